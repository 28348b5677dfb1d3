import type { IncomingMessage, ServerResponse } from "node:http";
import { inSignedInArea } from "@/lib/signed-in-areas";
import {
  PLAIN_SESSION_COOKIE,
  SECURE_SESSION_COOKIE,
  SESSION_MAX_AGE_SECONDS,
  sessionCookieHeader,
} from "../auth/session-cookie";
import { newCspNonce, nonceCsp } from "./csp";
import { setTrustedHeader } from "./trusted-header";

/**
 * What every signed-in page's response carries, set by Kindred's web server before Next.js
 * renders (scripts/web.ts). It was a Next proxy (`src/proxy.ts`) until its cost was measured:
 * Next's middleware machinery took about 8 % of every signed-in page's throughput, for three
 * headers (docs/performance.md, "Eighth round").
 *
 * - A per-request nonce policy: `script-src 'self' 'nonce-…' 'strict-dynamic'`, no
 *   'unsafe-inline'. It goes on the request, where Next reads the nonce and puts it on its own
 *   scripts, and on the response, where the browser enforces it.
 * - `Cache-Control: private, no-store`: member content is never stored by a cache.
 * - The session cookie again with a fresh Max-Age: sessions slide on use (the row is renewed
 *   when read), so the browser's cookie must too, or a member who only reads pages would lose it
 *   30 days after signing in. The database row decides validity.
 *
 * The areas are listed in src/lib/signed-in-areas.ts. Public pages keep the static site-wide
 * policy of next.config.mjs, whose rule excludes these same areas (keep the two lists in step: a
 * unit test checks it).
 */

/**
 * The path as Next will route it: dot segments resolved (also `%2e`), percent-escapes decoded,
 * repeated slashes collapsed. So no spelling of a signed-in page's address escapes the policy.
 */
export function routedPath(url: string): string {
  const raw = url.split("?", 1)[0] ?? "/";
  let path: string;
  try {
    path = new URL(`http://kindred.invalid${raw.startsWith("/") ? raw : `/${raw}`}`).pathname;
  } catch {
    path = raw;
  }
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape: match the path as it came.
  }
  return path.replace(/\/{2,}/g, "/");
}

/** A signed-in area's page, document or RSC request, but not a prefetch (it carries no scripts). */
export function isSignedInPage(req: Pick<IncomingMessage, "url" | "headers">): boolean {
  if (req.headers["next-router-prefetch"] !== undefined) return false;
  if (req.headers.purpose === "prefetch") return false;
  return inSignedInArea(routedPath(req.url ?? "/"));
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return null;
}

/** Sets the three on a signed-in page's request and response (see above). */
export function secureSignedInPage(req: IncomingMessage, res: ServerResponse, dev: boolean) {
  const csp = nonceCsp(newCspNonce(), dev);
  // Replaces any policy the client sent: the nonce Next uses must be this one.
  setTrustedHeader(req, "content-security-policy", csp);
  res.setHeader("content-security-policy", csp);
  res.setHeader("cache-control", "private, no-store");
  const cookies: string[] = [];
  for (const name of [SECURE_SESSION_COOKIE, PLAIN_SESSION_COOKIE]) {
    const token = cookieValue(req.headers.cookie, name);
    if (token) {
      cookies.push(sessionCookieHeader(name, token, { maxAgeSeconds: SESSION_MAX_AGE_SECONDS }));
    }
  }
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
}
