import type { IncomingHttpHeaders } from "node:http";
import { PLAIN_SESSION_COOKIE, SECURE_SESSION_COOKIE } from "../auth/session-cookie";

/** Where the prerendered public pages live in the app (src/app/prerendered/[flavour]). */
export const PRERENDERED_PREFIX = "/prerendered";

/** Public pages identical for every anonymous visitor, and their place under the prefix. */
const PAGES: Record<string, string> = { "/": "", "/signin": "/signin" };

function hasSessionCookie(cookie: string | undefined): boolean {
  if (!cookie) return false;
  return cookie.split(";").some((pair) => {
    const name = pair.slice(0, pair.indexOf("=")).trim();
    return name === PLAIN_SESSION_COOKIE || name === SECURE_SESSION_COOKIE;
  });
}

/**
 * The path Kindred's web server hands to Next.js instead of the one asked for, or null to leave
 * the request alone. The home page and the sign-in page of an anonymous visitor are built once
 * (per flavour: a demo deployment shows its banner and demo accounts) and served from the build,
 * so they never render per request. Only an exact `GET /` or `GET /signin` qualifies: a query
 * (a return path, a notice, a client navigation's `_rsc`), a session cookie (which may be
 * valid: the page then offers "Open Kindred" or goes on to the dashboard) or a router request
 * goes to the rendered page as before. The prerendered copies are not addressable directly.
 */
export function prerenderedPath(
  req: { method?: string; url?: string; headers: IncomingHttpHeaders },
  demo: boolean,
): string | null {
  const url = req.url ?? "";
  if (url === PRERENDERED_PREFIX || url.startsWith(`${PRERENDERED_PREFIX}/`)) {
    return "/_not-found";
  }
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  const page = PAGES[url];
  if (page === undefined) return null;
  if (req.headers.rsc || req.headers["next-router-prefetch"]) return null;
  if (hasSessionCookie(req.headers.cookie)) return null;
  return `${PRERENDERED_PREFIX}/${demo ? "demo" : "standard"}${page}`;
}
