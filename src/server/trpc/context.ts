import { text } from "@/lib/input";
import { sessionFromToken } from "../auth/session";
import { sessionCookie, sessionCookieName } from "../auth/tokens";
import { db } from "../db";
import { env } from "../env";
import { CLIENT_IP_HEADER, UNKNOWN_CLIENT } from "../http/client-address";
import { requestOrigin } from "../http/origins";
import { producerQueue } from "../jobs/producer";
import type { Context, CookieReader } from "./init";

// The session cookie is input too: a percent-encoded NUL in it would reach the session query.
const sessionToken = text({ label: "The session", min: 1, max: 255, trim: false });

/**
 * The client address for rate limits: only what Kindred's web server decided from the socket
 * and TRUSTED_PROXIES (it deletes any copy a client sent). X-Forwarded-For is never read here:
 * a client writes whatever it likes into it. Without the header (the app served some other
 * way) every request shares one bucket, which fails closed.
 */
export function clientIp(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER) || UNKNOWN_CLIENT;
}

export async function createContext(input: {
  headers: Headers;
  cookies: CookieReader;
  /** Headers of the HTTP response, where a procedure may set a cookie; absent for RSC calls. */
  resHeaders?: Headers;
}): Promise<Context> {
  const e = env();
  const cookie = input.cookies.get(sessionCookieName(e.appUrl))?.value;
  const token = sessionToken.safeParse(cookie).success ? cookie : undefined;
  const session = await sessionFromToken(db(), token);
  // The browser's cookie slides with the row (pages refresh it through the proxy).
  if (session?.renewed && token && input.resHeaders) {
    input.resHeaders.append("set-cookie", sessionCookie(e.appUrl, token, session.expires));
  }
  return {
    db: db(),
    env: e,
    session,
    ip: clientIp(input.headers),
    origin: requestOrigin(input.headers, e),
    queue: producerQueue,
    resHeaders: input.resHeaders ?? null,
    cookies: input.cookies,
    reads: new Map(),
  };
}
