/**
 * The session cookie next-auth sets (database sessions), and how Kindred refreshes its expiry
 * as the session slides (the web server re-sets it on signed-in pages: signed-in-pages.ts).
 */
export const SECURE_SESSION_COOKIE = "__Secure-next-auth.session-token";
export const PLAIN_SESSION_COOKIE = "next-auth.session-token";

/** A session lasts this long after its last renewal... */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** ...and is renewed on use at most this often (one write a day per active session). */
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;

export function sessionCookieName(appUrl: string): string {
  return appUrl.startsWith("https://") ? SECURE_SESSION_COOKIE : PLAIN_SESSION_COOKIE;
}

/** The cookie as next-auth writes it, with a new expiry. */
export function sessionCookieHeader(
  name: string,
  token: string,
  expiry: { expires: Date } | { maxAgeSeconds: number },
): string {
  return [
    `${name}=${encodeURIComponent(token)}`,
    "Path=/",
    "expires" in expiry
      ? `Expires=${expiry.expires.toUTCString()}`
      : `Max-Age=${expiry.maxAgeSeconds}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(name === SECURE_SESSION_COOKIE ? ["Secure"] : []),
  ].join("; ");
}
