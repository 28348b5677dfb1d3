import { sessionFromToken } from "../auth/session";
import { sessionCookie, sessionCookieName } from "../auth/tokens";
import { db } from "../db";
import { env } from "../env";
import { producerQueue } from "../jobs/producer";
import type { Context } from "./init";

type CookieReader = { get(name: string): { value: string } | undefined };

/**
 * The client address for rate limits. Route handlers do not see the socket, so this trusts the
 * last X-Forwarded-For hop: the one the deployment's own reverse proxy appended (a client can
 * prepend fake hops, not append after the proxy).
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return forwarded || headers.get("x-real-ip") || "local";
}

export async function createContext(input: {
  headers: Headers;
  cookies: CookieReader;
  /** Headers of the HTTP response, where a procedure may set a cookie; absent for RSC calls. */
  resHeaders?: Headers;
}): Promise<Context> {
  const e = env();
  const token = input.cookies.get(sessionCookieName(e.appUrl))?.value;
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
    queue: producerQueue,
    resHeaders: input.resHeaders ?? null,
  };
}
