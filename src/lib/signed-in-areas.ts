/**
 * The first path segments of Kindred's signed-in areas: every page under them renders per
 * request for its member. The web server sets their nonce policy and no-store
 * (src/server/http/signed-in-pages.ts), next.config.mjs leaves them out of the static policy, and
 * links to them are not prefetched (src/components/ui/Link.tsx). A module of its own, without
 * server imports, because client components read it too.
 */
export const SIGNED_IN_AREAS = [
  "app",
  "coach",
  "admin",
  "settings",
  "dashboard",
  "search",
  "mailbox",
] as const;

const AREA = new RegExp(`^/(?:${SIGNED_IN_AREAS.join("|")})(?:[/?#]|$)`);

/** Whether a path (with or without a query or fragment) is in a signed-in area, as written. */
export function inSignedInArea(path: string): boolean {
  return AREA.test(path);
}
