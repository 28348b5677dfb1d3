import { createHmac, timingSafeEqual } from "node:crypto";
import { isNudgeCategory, type NudgeCategory } from "./categories";

/**
 * Signed links in nudges, usable without signing in: one to stop a category in one click
 * (`List-Unsubscribe`), one to open the member's preference page. A token names its purpose, its
 * member and (for unsubscribing) its category, under an HMAC of the deployment's secret, so it
 * cannot be forged, nor turned into another member's, another category's or the other purpose.
 * They do not expire: an unsubscribe link in a year-old email must still work (RFC 8058).
 */
export type LinkToken =
  | { purpose: "unsubscribe"; userId: string; category: NudgeCategory }
  | { purpose: "preferences"; userId: string };

const PURPOSES = { unsubscribe: "u", preferences: "p" } as const;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Longest token Kindred makes, with room to spare; anything longer is refused unread. */
export const TOKEN_MAX = 200;

function mac(secret: string, body: string): string {
  return createHmac("sha256", secret)
    .update(`kindred:nudge-link:${body}`)
    .digest("base64url")
    .slice(0, 32);
}

export function signLinkToken(secret: string, token: LinkToken): string {
  const body =
    token.purpose === "unsubscribe"
      ? `${PURPOSES.unsubscribe}.${token.userId}.${token.category}`
      : `${PURPOSES.preferences}.${token.userId}`;
  return `${body}.${mac(secret, body)}`;
}

/** The token's content when it is Kindred's and intact; null otherwise. */
export function verifyLinkToken(secret: string, value: unknown): LinkToken | null {
  if (typeof value !== "string" || value.length > TOKEN_MAX) return null;
  const cut = value.lastIndexOf(".");
  if (cut <= 0) return null;
  const body = value.slice(0, cut);
  const given = Buffer.from(value.slice(cut + 1));
  const expected = Buffer.from(mac(secret, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [purpose, userId, category, ...rest] = body.split(".");
  if (rest.length || !userId || !ID.test(userId)) return null;
  if (purpose === PURPOSES.preferences && category === undefined) {
    return { purpose: "preferences", userId };
  }
  if (purpose === PURPOSES.unsubscribe && isNudgeCategory(category)) {
    return { purpose: "unsubscribe", userId, category };
  }
  return null;
}
