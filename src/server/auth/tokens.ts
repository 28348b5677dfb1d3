import { createHash, randomBytes } from "node:crypto";

export const SIGN_IN_LINK_MINUTES = 30;

/** A session lasts this long after its last renewal... */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** ...and is renewed on use at most this often (one write a day per active session). */
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;

/** The same hashing next-auth's email callback applies before looking the token up. */
export function hashVerificationToken(token: string, secret: string): string {
  return createHash("sha256").update(`${token}${secret}`).digest("hex");
}

export function newVerificationToken(): string {
  return randomBytes(32).toString("hex");
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function sessionCookieName(appUrl: string): string {
  return appUrl.startsWith("https://")
    ? "__Secure-next-auth.session-token"
    : "next-auth.session-token";
}

/** The session cookie as next-auth sets it, with a new expiry (the cookie slides with the row). */
export function sessionCookie(appUrl: string, token: string, expires: Date): string {
  const secure = appUrl.startsWith("https://");
  return [
    `${sessionCookieName(appUrl)}=${encodeURIComponent(token)}`,
    "Path=/",
    `Expires=${expires.toUTCString()}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}
