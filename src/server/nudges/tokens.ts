import { createHmac, timingSafeEqual } from "node:crypto";
import { isNudgeCategory, type NudgeCategory } from "./categories";

/**
 * Signed links in nudges, usable without signing in: one to stop a category in one click
 * (`List-Unsubscribe`), one to open the member's preference page. A token names its purpose, its
 * member, (for unsubscribing) its category and the day it was issued, under an HMAC of the
 * deployment's secret, so it cannot be forged, nor turned into another member's, another
 * category's or the other purpose, nor made younger.
 *
 * A token lasts LINK_TOKEN_DAYS (a year): far longer than the 30 days the law asks an
 * unsubscribe link to keep working, so an old email still stops what it says, while a link that
 * leaked long ago stops opening the member's preferences. Past that, the pages ask the member
 * to sign in instead.
 */
export type LinkToken =
  | { purpose: "unsubscribe"; userId: string; category: NudgeCategory }
  | { purpose: "preferences"; userId: string };

/** What a link holds (null when it is not Kindred's, altered or expired), and whether it expired. */
export type LinkTokenReading = { link: LinkToken | null; expired: boolean };

export const LINK_TOKEN_DAYS = 365;
const DAY_MS = 86_400_000;
const PURPOSES = { unsubscribe: "u", preferences: "p" } as const;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ISSUED = /^[0-9a-z]{1,6}$/;
/** Longest token Kindred makes, with room to spare; anything longer is refused unread. */
export const TOKEN_MAX = 200;

function mac(secret: string, body: string): string {
  return createHmac("sha256", secret)
    .update(`kindred:nudge-link:${body}`)
    .digest("base64url")
    .slice(0, 32);
}

function dayOf(at: Date): number {
  return Math.floor(at.getTime() / DAY_MS);
}

export function signLinkToken(secret: string, token: LinkToken, now = new Date()): string {
  const issued = dayOf(now).toString(36);
  const body =
    token.purpose === "unsubscribe"
      ? `${PURPOSES.unsubscribe}.${token.userId}.${token.category}.${issued}`
      : `${PURPOSES.preferences}.${token.userId}.${issued}`;
  return `${body}.${mac(secret, body)}`;
}

/** What a link holds when it is Kindred's, intact and not expired; otherwise why not. */
export function readLinkToken(secret: string, value: unknown, now = new Date()): LinkTokenReading {
  const invalid: LinkTokenReading = { link: null, expired: false };
  if (typeof value !== "string" || value.length > TOKEN_MAX) return invalid;
  const cut = value.lastIndexOf(".");
  if (cut <= 0) return invalid;
  const body = value.slice(0, cut);
  const given = Buffer.from(value.slice(cut + 1));
  const expected = Buffer.from(mac(secret, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return invalid;
  const parts = body.split(".");
  const issued = parts.pop() ?? "";
  if (!ISSUED.test(issued)) return invalid;
  const age = dayOf(now) - Number.parseInt(issued, 36);
  // A day of slack for clocks that differ between the machine that signed and this one.
  if (age < -1) return invalid;
  const [purpose, userId, category, ...rest] = parts;
  if (rest.length || !userId || !ID.test(userId)) return invalid;
  let link: LinkToken | null = null;
  if (purpose === PURPOSES.preferences && category === undefined) {
    link = { purpose: "preferences", userId };
  } else if (purpose === PURPOSES.unsubscribe && isNudgeCategory(category)) {
    link = { purpose: "unsubscribe", userId, category };
  }
  if (!link) return invalid;
  return age > LINK_TOKEN_DAYS ? { link: null, expired: true } : { link, expired: false };
}

/** The token's content when it is Kindred's, intact and not expired; null otherwise. */
export function verifyLinkToken(
  secret: string,
  value: unknown,
  now = new Date(),
): LinkToken | null {
  return readLinkToken(secret, value, now).link;
}
