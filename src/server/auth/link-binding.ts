import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Db } from "../db";
import type { Env } from "../env";
import { returnPathOnAny } from "../http/origins";
import type { CookieReader } from "../trpc/init";
import { hashVerificationToken, normalizeEmail, SIGN_IN_LINK_MINUTES } from "./tokens";

/**
 * Login CSRF: a sign-in link is bound to the browser that asked for it. That browser holds a
 * random nonce in an httpOnly cookie and the link's VerificationToken row holds the nonce's
 * hash. Opened there, the link signs in as usual; opened in any other browser (someone sent
 * the victim their own link), it first says which account it signs into and asks.
 */

const NONCE = /^[A-Za-z0-9_-]{43}$/;

export type LinkState = "invalid" | "this-browser" | "other-browser";
export type LinkParams = { token: string; email: string };

/** `__Host-` on https: only this exact origin can set or read it. */
export function browserCookieName(appUrl: string): string {
  return appUrl.startsWith("https://")
    ? "__Host-kindred.sign-in-browser"
    : "kindred.sign-in-browser";
}

export function newBrowserNonce(): string {
  return randomBytes(32).toString("base64url");
}

export function readBrowserNonce(cookies: CookieReader | undefined, appUrl: string): string | null {
  const value = cookies?.get(browserCookieName(appUrl))?.value;
  return value && NONCE.test(value) ? value : null;
}

/** The cookie lives as long as a link does; every new link (or confirmation) renews it. */
export function browserCookieHeader(appUrl: string, nonce: string): string {
  const secure = appUrl.startsWith("https://") ? "; Secure" : "";
  return `${browserCookieName(appUrl)}=${nonce}; Path=/; Max-Age=${SIGN_IN_LINK_MINUTES * 60}; HttpOnly; SameSite=Lax${secure}`;
}

export function hashBrowserNonce(nonce: string, secret: string): string {
  return createHash("sha256").update(`sign-in-browser:${nonce}:${secret}`).digest("hex");
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The live link these parameters name, if any. */
async function findLink(db: Db, env: Env, link: LinkParams) {
  if (!link.token || link.token.length > 200 || !link.email || link.email.length > 254) return null;
  const row = await db.verificationToken.findUnique({
    where: { token: hashVerificationToken(link.token, env.authSecret) },
    select: { identifier: true, token: true, expires: true, browserHash: true },
  });
  if (!row || row.identifier !== normalizeEmail(link.email)) return null;
  return row.expires.getTime() > Date.now() ? row : null;
}

/** Whether the link is live and was asked for (or confirmed) in the browser holding `nonce`. */
export async function linkState(
  db: Db,
  env: Env,
  link: LinkParams & { nonce: string | null },
): Promise<LinkState> {
  const row = await findLink(db, env, link);
  if (!row) return "invalid";
  const mine =
    link.nonce !== null &&
    row.browserHash !== null &&
    sameHash(row.browserHash, hashBrowserNonce(link.nonce, env.authSecret));
  return mine ? "this-browser" : "other-browser";
}

/** Binds a live link to the browser holding `nonce` (an explicit confirmation there). */
export async function bindLink(
  db: Db,
  env: Env,
  link: LinkParams & { nonce: string },
): Promise<boolean> {
  const row = await findLink(db, env, link);
  if (!row) return false;
  const { count } = await db.verificationToken.updateMany({
    where: { token: row.token, identifier: row.identifier, expires: { gt: new Date() } },
    data: { browserHash: hashBrowserNonce(link.nonce, env.authSecret) },
  });
  return count === 1;
}

/** Query string of a link's next step; the return address is re-checked, never passed blindly. */
export function linkQuery(
  origin: string,
  link: LinkParams & { callbackUrl?: string | null },
  origins: readonly string[] = [origin],
) {
  const params = new URLSearchParams({ token: link.token, email: link.email });
  const path = returnPathOnAny(link.callbackUrl, origins);
  if (path) params.set("callbackUrl", `${origin}${path}`);
  return params.toString();
}
