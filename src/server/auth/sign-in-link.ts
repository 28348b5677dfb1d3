import type { z } from "zod";
import type { Db } from "../db";
import { queueEmail } from "../email/service";
import type { Env } from "../env";
import type { Queue } from "../jobs/queue";
import { checkRateLimits } from "../rate-limit";
import { hashBrowserNonce } from "./link-binding";
import type { requestLinkInput } from "./schemas";
import {
  hashVerificationToken,
  newVerificationToken,
  normalizeEmail,
  SIGN_IN_LINK_MINUTES,
} from "./tokens";

export const SIGN_IN_LIMITS = { perAddress: 5, perIp: 20, windowSeconds: 60 };

/**
 * Mints a single-use sign-in link the way next-auth's email provider would (same token hashing,
 * same callback URL), so next-auth's own callback verifies it, and queues the email. Kindred
 * issues links itself to rate-limit per address and per IP with a clear message first.
 */
export async function requestSignInLink(
  deps: { db: Db; queue: Queue; env: Env },
  input: z.infer<typeof requestLinkInput> & {
    ip: string;
    /** The requesting browser's nonce (see link-binding.ts); null when not asked by a browser. */
    browserNonce?: string | null;
    /** Where the link leads: the allowed origin the person asked from (APP_URL by default). */
    origin?: string;
  },
): Promise<{ email: string; emailId: string | null }> {
  const { db, queue, env } = deps;
  const email = normalizeEmail(input.email);
  await checkRateLimits(
    db,
    [
      {
        bucket: "sign-in:address",
        key: email,
        max: SIGN_IN_LIMITS.perAddress,
        windowSeconds: SIGN_IN_LIMITS.windowSeconds,
      },
      {
        bucket: "sign-in:ip",
        key: input.ip,
        max: SIGN_IN_LIMITS.perIp,
        windowSeconds: SIGN_IN_LIMITS.windowSeconds,
      },
    ],
    (limit, retryAfter) =>
      limit.bucket === "sign-in:address"
        ? `Too many sign-in links were requested for ${email}. Please wait ${retryAfter} seconds and try again; the links already sent still work.`
        : `Too many sign-in requests from your network. Please wait ${retryAfter} seconds and try again.`,
  );

  const existing = await db.user.findUnique({ where: { email }, select: { deactivatedAt: true } });
  // A deactivated account gets no link; the answer is the same so addresses cannot be probed.
  if (existing?.deactivatedAt) return { email, emailId: null };

  const token = newVerificationToken();
  const hashed = hashVerificationToken(token, env.authSecret);
  await db.verificationToken.create({
    data: {
      identifier: email,
      token: hashed,
      expires: new Date(Date.now() + SIGN_IN_LINK_MINUTES * 60_000),
      browserHash: input.browserNonce ? hashBrowserNonce(input.browserNonce, env.authSecret) : null,
    },
  });
  const origin = input.origin && env.origins.includes(input.origin) ? input.origin : env.appUrl;
  const params = new URLSearchParams({
    callbackUrl: `${origin}${input.callbackUrl ?? "/dashboard"}`,
    token,
    email,
  });
  const { emailId } = await queueEmail(db, queue, {
    dedupeKey: `sign-in:${hashed}`,
    category: "sign-in",
    to: email,
    template: {
      kind: "sign-in",
      // A page with a button, not the callback itself: mail scanners that pre-fetch links must
      // not spend the single-use token.
      url: `${origin}/signin/confirm?${params}`,
      expiresInMinutes: SIGN_IN_LINK_MINUTES,
      appUrl: origin,
    },
  });
  return { email, emailId };
}
