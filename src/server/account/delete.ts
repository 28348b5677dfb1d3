import type { Prisma } from "@/generated/prisma/client";
import { FORMER_MEMBER_EMAIL, FORMER_MEMBER_ID, FORMER_MEMBER_NAME } from "@/lib/former-member";
import { recordAudit } from "../audit/service";
import { Stripe, stripe } from "../billing/stripe";
import { memberOwner } from "../crypto/envelope";
import { destroyKey } from "../crypto/vault";
import type { Db } from "../db";
import { DEMO_ACCOUNTS } from "../demo";
import { DomainError } from "../errors";
import { lockAdminChanges, otherActiveAdmins } from "../users/service";

/**
 * Deleting an account, the one path for a member (after the emailed link) and for an admin (on
 * the member's request). Safe to run again after a failure, or twice at once: every step finds
 * what is left of the account and finishes it.
 *
 * 1. Stripe first, through the API: the member's subscriptions are cancelled and the customer is
 *    deleted. If Stripe cannot be reached nothing in Kindred has changed yet and the member (or
 *    admin) tries again; a customer already deleted by an earlier attempt counts as done.
 * 2. Then one database transaction: sessions end; shared snapshots go (their cohort posts with
 *    them); what other people need to stay coherent (cohort posts and comments, programs the
 *    member wrote, paid purchases and invoices for the accounts) moves to one shared stand-in
 *    user, "A former member", who has no address that receives mail and cannot sign in; every
 *    email to the address, queued or sent, is removed (nothing queued can go out afterwards)
 *    with the other rows that name the address; the User row goes, and with it every private row
 *    (answers, drafts, people, reach-outs, commitments, check-ins, practice, uploads, nudge
 *    state, seats…) through the foreign keys' ON DELETE CASCADE; audit rows that named the
 *    member keep their entry with the person left out (ON DELETE SET NULL). Finally an audit
 *    entry without personal data records the deletion.
 *
 * Crypto-shredding (PRODUCT.md §8) is part of step 2: the member's data key (crypto/vault.ts) is
 * destroyed in the same transaction, before the User row goes, so copies of their private text
 * in backups can no longer be opened either (docs/architecture.md, "Encryption at rest").
 */

export { FORMER_MEMBER_EMAIL, FORMER_MEMBER_ID, FORMER_MEMBER_NAME };

export type DeletedBy = { kind: "member" } | { kind: "admin"; adminId: string; reason?: string };

const TX = { maxWait: 15_000, timeout: 30_000 } as const;

type Tx = Prisma.TransactionClient;

export function isFormerMember(userId: string): boolean {
  return userId === FORMER_MEMBER_ID;
}

async function ensureFormerMember(tx: Tx): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "User" (id, email, name, "deactivatedAt", "createdAt", "updatedAt")
    VALUES (${FORMER_MEMBER_ID}, ${FORMER_MEMBER_EMAIL}, ${FORMER_MEMBER_NAME}, now(), now(), now())
    ON CONFLICT DO NOTHING`;
}

/** Refuses to remove the last active admin (nobody could run the deployment then). */
async function refuseLastAdmin(tx: Tx, userId: string): Promise<void> {
  await lockAdminChanges(tx);
  if ((await otherActiveAdmins(tx, userId)) === 0) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "This is the last active admin account. Make someone else an admin first, then delete it.",
    );
  }
}

/** Before anything is done: the checks a request and a deletion share. */
export async function assertDeletable(db: Db, userId: string): Promise<void> {
  if (isFormerMember(userId)) {
    throw new DomainError("PRECONDITION_FAILED", "The former-member stand-in cannot be deleted.");
  }
  const user = await db.user.findUnique({ where: { id: userId }, select: { role: true } });
  if (user?.role === "ADMIN") {
    await db.$transaction((tx) => refuseLastAdmin(tx, userId));
  }
}

/**
 * On a demo deployment the shared demo accounts stay: anyone may sign in as them (the mailbox is
 * public), so anyone could otherwise delete them for every other visitor.
 */
export async function refuseDemoAccount(db: Db, demo: boolean, userId: string): Promise<void> {
  if (!demo) return;
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (user && DEMO_ACCOUNTS.some((a) => a.email === user.email)) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "This is one of the demo's shared accounts, so it cannot be deleted. Sign in with your own address to try deleting an account.",
    );
  }
}

const gone = (error: unknown) =>
  error instanceof Stripe.errors.StripeError && error.statusCode === 404;

/** Cancels the subscriptions and deletes the customer; a customer already gone is done. */
async function deleteStripeCustomer(customerId: string, subscriptionIds: string[]): Promise<void> {
  try {
    for (const id of subscriptionIds) {
      await stripe()
        .subscriptions.cancel(id)
        .catch((error: unknown) => {
          // Already cancelled or gone: deleting the customer below ends anything left anyway.
          if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
        });
    }
    await stripe()
      .customers.del(customerId)
      .catch((error: unknown) => {
        if (!gone(error)) throw error;
      });
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        "We could not reach our payment provider to cancel your membership, so nothing was deleted. Please try again in a few minutes.",
      );
    }
    throw error;
  }
}

/**
 * Deletes the account `userId`. Answers false when there was nothing left to delete (an earlier
 * or concurrent call finished it).
 */
export async function deleteAccount(
  db: Db,
  userId: string,
  by: DeletedBy,
): Promise<{ deleted: boolean }> {
  await assertDeletable(db, userId);
  const before = await db.user.findUnique({
    where: { id: userId },
    select: {
      billingCustomer: { select: { stripeCustomerId: true } },
      subscriptions: {
        where: { status: { notIn: ["CANCELED", "INCOMPLETE_EXPIRED"] } },
        select: { id: true },
      },
    },
  });
  if (!before) return { deleted: false };

  const customerId = before.billingCustomer?.stripeCustomerId ?? null;
  if (customerId) {
    await deleteStripeCustomer(
      customerId,
      before.subscriptions.map((s) => s.id),
    );
  }

  const deleted = await db.$transaction(async (tx) => {
    const [user] = await tx.$queryRaw<{ email: string; role: string; image: string | null }[]>`
      SELECT email, role::text AS role, image FROM "User" WHERE id = ${userId} FOR UPDATE`;
    if (!user) return false;
    if (user.role === "ADMIN") await refuseLastAdmin(tx, userId);
    await ensureFormerMember(tx);
    const standIn = { userId: FORMER_MEMBER_ID };

    // Sessions end at once (the cascade would also take them; this says it first).
    await tx.session.deleteMany({ where: { userId } });
    // Shared snapshots, and the cohort posts that show them (ON DELETE CASCADE).
    await tx.share.deleteMany({ where: { userId } });

    // What others need to stay coherent moves to the stand-in.
    await tx.cohortPost.updateMany({
      where: { authorId: userId },
      data: { authorId: FORMER_MEMBER_ID },
    });
    await tx.cohortPost.updateMany({
      where: { hiddenById: userId },
      data: { hiddenById: FORMER_MEMBER_ID },
    });
    await tx.cohortComment.updateMany({
      where: { authorId: userId },
      data: { authorId: FORMER_MEMBER_ID },
    });
    await tx.program.updateMany({
      where: { authorId: userId },
      data: { authorId: FORMER_MEMBER_ID },
    });
    await tx.purchase.updateMany({ where: { userId }, data: standIn });
    // The hosted invoice page shows the customer's name and address: the link goes.
    await tx.invoice.updateMany({
      where: { userId },
      data: { ...standIn, hostedInvoiceUrl: null },
    });
    await tx.refund.updateMany({
      where: { createdById: userId },
      data: { createdById: FORMER_MEMBER_ID },
    });
    // Pictures: one shown in what stays (a program's cover, an image in a step or in a kept
    // post or comment) stays with it; the rest, the avatar first, goes.
    const uploads = await tx.upload.findMany({
      where: { uploaderId: userId },
      select: { name: true },
    });
    const avatar = user.image?.replace(/^\/api\/uploads\//, "") ?? null;
    const candidates = uploads.map((u) => u.name).filter((name) => name !== avatar);
    const shown =
      candidates.length === 0
        ? []
        : await tx.$queryRaw<{ name: string }[]>`
            SELECT u.name FROM unnest(${candidates}::text[]) AS u(name)
             WHERE EXISTS (SELECT 1 FROM "Program" p WHERE p."coverImage" = '/api/uploads/' || u.name)
                OR EXISTS (SELECT 1 FROM "Step" s WHERE strpos(s.body, u.name) > 0)
                OR EXISTS (SELECT 1 FROM "CohortPost" c WHERE strpos(c.body, u.name) > 0)
                OR EXISTS (SELECT 1 FROM "CohortComment" c WHERE strpos(c.body, u.name) > 0)`;
    await tx.upload.updateMany({
      where: { uploaderId: userId, name: { in: shown.map((u) => u.name) } },
      data: { uploaderId: FORMER_MEMBER_ID },
    });
    await tx.upload.deleteMany({ where: { uploaderId: userId } });
    // Audit rows keep their entry; the id in targetId goes with the person (actor and target
    // columns are set to null by their foreign keys).
    await tx.auditLog.updateMany({
      where: { targetId: userId, targetType: { in: ["User", "user"] } },
      data: { targetId: null },
    });

    // The address: queued emails are cancelled (removed, so no worker or sweep can send them),
    // sent ones' copies go too, and so does every other row that names it.
    const address = user.email;
    await tx.email.deleteMany({ where: { toAddress: { equals: address, mode: "insensitive" } } });
    await tx.outboxMessage.deleteMany({ where: { toAddresses: { has: address } } });
    await tx.verificationToken.deleteMany({ where: { identifier: address } });
    await tx.emailSuppression.deleteMany({ where: { address } });
    await tx.rateLimitHit.deleteMany({ where: { key: { in: [address, userId] } } });
    // Stripe's webhook payloads about the customer carry its address.
    if (customerId) {
      await tx.$executeRaw`
        DELETE FROM "StripeEvent" WHERE "objectId" = ${customerId}
           OR payload::text LIKE ${`%"${customerId}"%`}`;
    }

    // Crypto-shredding: the member's data key goes in this transaction, so every sealed copy
    // of their text, in the rows below and in any backup, can no longer be opened.
    await destroyKey(tx, memberOwner(userId));
    await tx.user.delete({ where: { id: userId } });

    // No name, address or id of the member: who did it, and how.
    await recordAudit(tx, {
      actorId: by.kind === "admin" ? by.adminId : FORMER_MEMBER_ID,
      action: "user.account_deleted",
      targetType: "User",
      details:
        by.kind === "admin"
          ? { by: "admin", ...(by.reason ? { reason: by.reason } : {}) }
          : { by: "member" },
    });
    return true;
  }, TX);
  return { deleted };
}
