import { text } from "@/lib/input";
import { sessionFromToken } from "../auth/session";
import { sessionCookieName } from "../auth/tokens";
import { db } from "../db";
import { env } from "../env";
import { producerQueue } from "../jobs/producer";
import type { Context } from "./init";

type CookieReader = { get(name: string): { value: string } | undefined };

// The session cookie is input too: a percent-encoded NUL in it would reach the session query.
const sessionToken = text({ label: "The session", min: 1, max: 255, trim: false });

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
  const cookie = input.cookies.get(sessionCookieName(e.appUrl))?.value;
  const token = sessionToken.safeParse(cookie).success ? cookie : undefined;
  return {
    db: db(),
    env: e,
    session: await sessionFromToken(db(), token),
    ip: clientIp(input.headers),
    queue: producerQueue,
    resHeaders: input.resHeaders ?? null,
  };
}
