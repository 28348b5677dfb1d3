import { hashVerificationToken, newVerificationToken } from "../auth/tokens";
import type { Db } from "../db";
import { queueEmail } from "../email/service";
import type { Env } from "../env";
import { DomainError } from "../errors";
import type { Queue } from "../jobs/queue";
import { checkRateLimits } from "../rate-limit";
import { assertDeletable, deleteAccount, refuseDemoAccount } from "./delete";

/**
 * A member deleting their own account: asked for in settings, confirmed by a link emailed to
 * the account's address (proof that whoever asks reads that inbox, not just a browser left
 * signed in), opened in a browser signed in to the same account, where a last button deletes
 * it. The link works once, for an hour; asking again replaces it. Tokens are made and hashed as
 * sign-in and address-change links are (auth/tokens.ts); only the hash is stored.
 */

export const DELETION_LINK_MINUTES = 60;
export const DELETION_REQUEST_LIMIT = { max: 3, windowSeconds: 3600 };

type Deps = { db: Db; queue: Queue; env: Env };

export async function requestDeletion(
  deps: Deps,
  userId: string,
  input: { origin?: string },
): Promise<{ email: string; expires: Date }> {
  const { db, queue, env } = deps;
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) throw new DomainError("NOT_FOUND", "Your account no longer exists.");
  await assertDeletable(db, userId);
  await refuseDemoAccount(db, env.demo, userId);
  await checkRateLimits(
    db,
    [{ bucket: "account-deletion:user", key: userId, ...DELETION_REQUEST_LIMIT }],
    (_limit, retryAfter) =>
      `You asked several times in the last hour. Please wait ${Math.ceil(retryAfter / 60)} minutes; the last link we sent still works.`,
  );

  const token = newVerificationToken();
  const tokenHash = hashVerificationToken(token, env.authSecret);
  const expires = new Date(Date.now() + DELETION_LINK_MINUTES * 60_000);
  // One request waits at a time: a new one replaces the last (its link stops working).
  await db.$transaction([
    db.accountDeletion.deleteMany({ where: { userId } }),
    db.accountDeletion.create({ data: { userId, tokenHash, expires } }),
  ]);
  const origin = input.origin && env.origins.includes(input.origin) ? input.origin : env.appUrl;
  await queueEmail(db, queue, {
    dedupeKey: `account-deletion:${tokenHash}`,
    category: "account",
    to: user.email,
    template: {
      kind: "account-deletion",
      // A page with a button: a mail scanner opening the link deletes nothing.
      url: `${origin}/account/delete?${new URLSearchParams({ token })}`,
      expiresInMinutes: DELETION_LINK_MINUTES,
      appUrl: origin,
    },
  });
  return { email: user.email, expires };
}

/** The request waiting for its link, if any (expired ones do not count). */
export async function deletionState(db: Db, userId: string) {
  const pending = await db.accountDeletion.findFirst({
    where: { userId, expires: { gt: new Date() } },
    select: { expires: true },
  });
  return { pending };
}

export async function cancelDeletion(db: Db, userId: string): Promise<{ cancelled: number }> {
  const { count } = await db.accountDeletion.deleteMany({ where: { userId } });
  return { cancelled: count };
}

export type DeletionLinkState = "live" | "dead" | "other-account";

async function findLink(deps: { db: Db; env: Env }, token: string) {
  const row = await deps.db.accountDeletion.findUnique({
    where: { tokenHash: hashVerificationToken(token, deps.env.authSecret) },
    select: { userId: true, expires: true },
  });
  return row && row.expires > new Date() ? row : null;
}

/** For the confirm page, before the member presses the button. */
export async function deletionLinkState(
  deps: { db: Db; env: Env },
  userId: string,
  token: string,
): Promise<{ state: DeletionLinkState }> {
  const row = await findLink(deps, token);
  if (!row) return { state: "dead" };
  return { state: row.userId === userId ? "live" : "other-account" };
}

export async function confirmDeletion(
  deps: { db: Db; env: Env },
  userId: string,
  token: string,
): Promise<{ deleted: true }> {
  const row = await findLink(deps, token);
  if (!row) {
    throw new DomainError(
      "BAD_REQUEST",
      "This link has expired or was already used. Ask for a new one in your settings.",
    );
  }
  if (row.userId !== userId) {
    throw new DomainError(
      "FORBIDDEN",
      "This link is for another Kindred account. Sign in with the address it was sent to.",
    );
  }
  // The request row goes with the account; if the deletion fails half-way (Stripe away), the
  // link still works for another try.
  await deleteAccount(deps.db, userId, { kind: "member" });
  return { deleted: true };
}
