import type { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "../audit/service";
import { hashVerificationToken, newVerificationToken, normalizeEmail } from "../auth/tokens";
import { syncCustomerEmailJob } from "../billing/customer-email";
import type { Db } from "../db";
import { type QueueEmailInput, queueEmail, requeueEmail } from "../email/service";
import type { Env } from "../env";
import { DomainError } from "../errors";
import type { Queue } from "../jobs/queue";
import { checkRateLimits } from "../rate-limit";
import type { confirmEmailChangeInput, requestEmailChangeInput } from "./schemas";

/**
 * Changing the address a member signs in with. The change waits until a link sent to the new
 * address is opened (proof that the member reads it); then the account moves in one
 * transaction, the old address is told, and Stripe's copy of the address follows by a job.
 */

export const EMAIL_CHANGE_HOURS = 24;
export const EMAIL_CHANGE_LIMIT = { max: 5, windowSeconds: 3600 };

type Deps = { db: Db; queue: Queue; env: Env };

const taken = (email: string) =>
  new DomainError("CONFLICT", "Another account uses that address.", {
    newEmail: [`Another Kindred account signs in with ${email}.`],
  });

export async function requestEmailChange(
  deps: Deps,
  userId: string,
  input: z.infer<typeof requestEmailChangeInput> & { origin?: string },
): Promise<{ newEmail: string; expires: Date }> {
  const { db, queue, env } = deps;
  const newEmail = normalizeEmail(input.newEmail);
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) throw new DomainError("NOT_FOUND", "Your account no longer exists.");
  if (user.email === newEmail) {
    throw new DomainError("BAD_REQUEST", "That is already your address.", {
      newEmail: ["That is already the address you sign in with."],
    });
  }
  await checkRateLimits(
    db,
    [{ bucket: "email-change:user", key: userId, ...EMAIL_CHANGE_LIMIT }],
    (_limit, retryAfter) =>
      `You asked to change your address several times in the last hour. Please wait ${Math.ceil(retryAfter / 60)} minutes; the last link sent still works.`,
  );
  if (await db.user.findUnique({ where: { email: newEmail }, select: { id: true } })) {
    throw taken(newEmail);
  }

  const token = newVerificationToken();
  const tokenHash = hashVerificationToken(token, env.authSecret);
  const expires = new Date(Date.now() + EMAIL_CHANGE_HOURS * 3600_000);
  // One change waits at a time: a new request replaces the last (its link stops working).
  await db.$transaction([
    db.emailChange.deleteMany({ where: { userId } }),
    db.emailChange.create({ data: { userId, newEmail, tokenHash, expires } }),
  ]);
  const origin = input.origin && env.origins.includes(input.origin) ? input.origin : env.appUrl;
  await queueEmail(db, queue, {
    dedupeKey: `email-change:${tokenHash}`,
    category: "account",
    to: newEmail,
    template: {
      kind: "email-change",
      // A page with a button: a mail scanner opening the link changes nothing.
      url: `${origin}/email/change?${new URLSearchParams({ token })}`,
      newEmail,
      expiresInHours: EMAIL_CHANGE_HOURS,
      appUrl: origin,
    },
  });
  return { newEmail, expires };
}

/** The change waiting for its link, if any (expired ones do not count). */
export async function pendingEmailChange(db: Db, userId: string) {
  return db.emailChange.findFirst({
    where: { userId, expires: { gt: new Date() } },
    select: { newEmail: true, expires: true },
  });
}

export async function cancelEmailChange(db: Db, userId: string): Promise<{ cancelled: number }> {
  const { count } = await db.emailChange.deleteMany({ where: { userId } });
  return { cancelled: count };
}

/** Is this link live? For the confirm page, before the member presses the button. */
export async function emailChangeState(
  deps: { db: Db; env: Env },
  input: z.infer<typeof confirmEmailChangeInput>,
): Promise<{ state: "live"; newEmail: string } | { state: "dead" }> {
  const row = await deps.db.emailChange.findUnique({
    where: { tokenHash: hashVerificationToken(input.token, deps.env.authSecret) },
    select: { newEmail: true, expires: true },
  });
  return row && row.expires > new Date()
    ? { state: "live", newEmail: row.newEmail }
    : { state: "dead" };
}

/** Inside a transaction jobs wait: a job run before the commit would not see its row. */
const AFTER_COMMIT: Queue = { send: async () => null };

function noticeOf(changeId: string, oldEmail: string, newEmail: string, env: Env): QueueEmailInput {
  return {
    dedupeKey: `email-changed:${changeId}`,
    category: "account",
    to: oldEmail,
    template: { kind: "email-changed", newEmail, appUrl: env.appUrl },
  };
}

export async function confirmEmailChange(
  deps: Deps,
  input: z.infer<typeof confirmEmailChangeInput>,
): Promise<{ email: string }> {
  const { db, queue, env } = deps;
  const tokenHash = hashVerificationToken(input.token, env.authSecret);
  const dead = new DomainError(
    "BAD_REQUEST",
    "This link has expired or was already used. Ask for a new one in your settings.",
  );
  let moved: { userId: string; oldEmail: string; newEmail: string; changeId: string };
  try {
    moved = await db.$transaction(async (tx) => {
      // Deleting the row claims the link: of two clicks at once, one finds it.
      const [change] = await tx.$queryRaw<
        { id: string; userId: string; newEmail: string; expires: Date }[]
      >`DELETE FROM "EmailChange" WHERE "tokenHash" = ${tokenHash}
        RETURNING id, "userId", "newEmail", expires`;
      if (!change || change.expires <= new Date()) throw dead;
      const user = await tx.user.findUnique({
        where: { id: change.userId },
        select: { email: true, deactivatedAt: true },
      });
      if (!user || user.deactivatedAt) throw dead;
      await tx.user.update({
        where: { id: change.userId },
        data: { email: change.newEmail, emailVerified: new Date() },
      });
      // Sign-in links still out for the old address stop working with it.
      await tx.verificationToken.deleteMany({ where: { identifier: user.email } });
      await tx.emailChange.deleteMany({ where: { userId: change.userId } });
      // The old address is told, in the same transaction (the email sweep sends it if this
      // process stops right after the commit); its job is queued once committed.
      await queueEmail(tx, AFTER_COMMIT, noticeOf(change.id, user.email, change.newEmail, env));
      // The log keeps ids only: no address is copied into it.
      await recordAudit(tx, {
        actorId: change.userId,
        action: "user.email_changed",
        targetType: "user",
        targetUserId: change.userId,
      });
      return {
        userId: change.userId,
        oldEmail: user.email,
        newEmail: change.newEmail,
        changeId: change.id,
      };
    });
  } catch (error) {
    // Someone took the address between the request and the click.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError(
        "CONFLICT",
        "Another account started using that address meanwhile; your address is unchanged.",
      );
    }
    throw error;
  }

  await requeueEmail(
    db,
    queue,
    noticeOf(moved.changeId, moved.oldEmail, moved.newEmail, env).dedupeKey,
  );
  await queue.send(
    syncCustomerEmailJob,
    { userId: moved.userId },
    { singletonKey: `customer-email:${moved.changeId}` },
  );
  return { email: moved.newEmail };
}
