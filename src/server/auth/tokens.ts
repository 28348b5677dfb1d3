import { createHash, randomBytes } from "node:crypto";

export const SIGN_IN_LINK_MINUTES = 30;

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
