import NextLink from "next/link";
import type { ComponentProps } from "react";
import { inSignedInArea } from "@/lib/signed-in-areas";

type Href = ComponentProps<typeof NextLink>["href"];

/**
 * Whether a link may be prefetched as it scrolls into view: not when it leads into a signed-in
 * area. Those pages render per request and have no loading boundary, so Next's prefetch of them
 * fetches only their route tree, one request per link on screen (16 to 26 per page view of Today,
 * the journal, search or the coach's cohort page: docs/performance.md, "Eleventh round"), while
 * the click fetches the page in full all the same. Links to
 * public pages (static: home, sign-in, pricing) keep Next's prefetch.
 */
export function prefetchesInView(href: Href): boolean {
  const path = typeof href === "string" ? href : (href.pathname ?? "");
  return !inSignedInArea(path);
}

/**
 * `next/link` for every link of the app (biome.json forbids importing next/link elsewhere):
 * the same component, without prefetching links into signed-in areas unless `prefetch` says so.
 */
export default function Link({ prefetch, ...props }: ComponentProps<typeof NextLink>) {
  return (
    <NextLink
      prefetch={prefetch ?? (prefetchesInView(props.href) ? undefined : false)}
      {...props}
    />
  );
}
