import { createHash, randomBytes } from "node:crypto";
import { sessionCookieHeader, sessionCookieName } from "./session-cookie";

export const SIGN_IN_LINK_MINUTES = 30;

export {
  SESSION_MAX_AGE_SECONDS,
  SESSION_UPDATE_AGE_SECONDS,
  sessionCookieName,
} from "./session-cookie";

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

/** The session cookie as next-auth sets it, with a new expiry (the cookie slides with the row). */
export function sessionCookie(appUrl: string, token: string, expires: Date): string {
  return sessionCookieHeader(sessionCookieName(appUrl), token, { expires });
}
