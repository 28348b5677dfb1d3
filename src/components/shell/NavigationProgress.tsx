"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";

/** Longest a bar may stay up if no new address ever renders (a navigation Next abandoned). */
const GIVE_UP_MS = 30_000;

/**
 * Which same-origin address a click starts a client-side navigation to, or null. Next's `<Link>`
 * calls `preventDefault` when it takes a click over, so a click it left alone (a new tab, a
 * download, another origin, a plain `<a>`) is the browser's to show; so is a link to the page
 * already shown or to a place on it.
 */
export function navigationTarget(event: MouseEvent, here: Location): string | null {
  if (!event.defaultPrevented || event.button !== 0) return null;
  const target = event.target instanceof Element ? event.target : null;
  const anchor = target?.closest("a[href]");
  if (!(anchor instanceof HTMLAnchorElement)) return null;
  const url = new URL(anchor.href, here.href);
  if (url.origin !== here.origin) return null;
  if (url.pathname === here.pathname && url.search === here.search) return null;
  return url.pathname + url.search;
}

/**
 * Feedback while a client-side navigation loads. Signed-in pages have no route-level
 * `loading.tsx`: the first HTML of a page is the whole page (no Suspense fallback, so it reads
 * without JavaScript and React does not hold its reveal back; docs/performance.md), and a click
 * keeps the page it came from on screen until the next one has rendered. This bar, and a
 * "Loading…" for screen readers, fill that wait. It waits 150 ms before showing (see
 * globals.css), so a quick page (or a prefetched public one) arrives without a flash.
 */
export function NavigationProgress() {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const [pending, setPending] = useState(false);

  // A new address has rendered: the navigation is over. (Also the first render: nothing pends.)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the address is the trigger.
  useEffect(() => setPending(false), [pathname, search]);

  useEffect(() => {
    // On window, so React's listener on the document (and Link's preventDefault) runs first.
    const onClick = (event: MouseEvent) => {
      if (navigationTarget(event, window.location)) setPending(true);
    };
    const stop = () => setPending(false);
    window.addEventListener("click", onClick);
    window.addEventListener("popstate", stop);
    return () => {
      window.removeEventListener("click", onClick);
      window.removeEventListener("popstate", stop);
    };
  }, []);

  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => setPending(false), GIVE_UP_MS);
    return () => window.clearTimeout(timer);
  }, [pending]);

  return (
    <>
      {pending && (
        <div
          aria-hidden="true"
          data-testid="navigation-progress"
          className="navigation-progress fixed inset-x-0 top-0 z-50 h-1 overflow-hidden bg-brand-soft"
        >
          <div className="h-full w-1/3 bg-brand" />
        </div>
      )}
      <span role="status" className="sr-only">
        {pending ? "Loading…" : ""}
      </span>
    </>
  );
}
