import { createHash } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import { DeliveryError, type Mailer } from "./mailer";

/** How long one worker owns a row it is sending; a crashed worker's claim lapses after this. */
export const SEND_LOCK_SECONDS = 120;
/**
 * After this many claims a still-retryable email is given up on, so an endless provider outage
 * does not have the minute sweep retrying it forever.
 */
export const MAX_SEND_ATTEMPTS = 10;

export type SendOutcome = "sent" | "already-sent" | "in-progress" | "failed" | "missing";

/** A claimed email, as the claim's RETURNING gives it. */
export type Claimed = {
  id: string;
  dedupeKey: string;
  toAddress: string;
  subject: string;
  html: string;
  text: string;
  headers: unknown;
  attempts: number;
};

// Prisma stores TIMESTAMP(3) as UTC; `now()` alone would be the session's local time.
const NOW = Prisma.raw("(now() AT TIME ZONE 'UTC')");

/**
 * Takes the row for this worker only. One UPDATE both checks and sets the state, so of two
 * workers (or a job and the sweep) racing for one email exactly one gets a row back.
 */
async function claim(db: Db, emailId: string): Promise<Claimed | undefined> {
  const rows = await db.$queryRaw<Claimed[]>`
    UPDATE "Email"
       SET status = 'SENDING', "lockedUntil" = ${NOW} + make_interval(secs => ${SEND_LOCK_SECONDS}),
           attempts = attempts + 1, "updatedAt" = ${NOW}
     WHERE id = ${emailId}
       AND (status = 'QUEUED' OR (status = 'SENDING' AND "lockedUntil" < ${NOW}))
       AND ("sendAfter" IS NULL OR "sendAfter" <= ${NOW})
     RETURNING id, "dedupeKey", "toAddress", subject, html, text, headers, attempts`;
  return rows[0];
}

/** Resend accepts keys of 1-256 characters; longer dedupe keys are hashed, still stable. */
export function idempotencyKeyFor(dedupeKey: string): string {
  return dedupeKey.length <= 256
    ? dedupeKey
    : `sha256:${createHash("sha256").update(dedupeKey).digest("hex")}`;
}

async function outcomeWithoutClaim(db: Db, emailId: string): Promise<SendOutcome> {
  const row = await db.email.findUnique({ where: { id: emailId }, select: { status: true } });
  if (!row) return "missing";
  if (row.status === "SENT") return "already-sent";
  if (row.status === "FAILED") return "failed";
  // SENDING under someone else's live lock (or QUEUED again a moment ago): theirs to finish.
  return "in-progress";
}

/**
 * Sends one queued email at most once. The provider call carries the dedupe key as its
 * idempotency key, so even a crash after Resend accepted the email but before the row said SENT
 * cannot produce a second copy. Retryable failures go back to QUEUED and rethrow (pg-boss
 * retries with backoff); permanent ones end as FAILED without throwing.
 */
export async function sendQueuedEmail(
  db: Db,
  mailer: Mailer,
  emailId: string,
  from: string,
): Promise<SendOutcome> {
  const email = await claim(db, emailId);
  if (!email) return outcomeWithoutClaim(db, emailId);

  try {
    const { id } = await mailer.deliver({
      from,
      to: email.toAddress,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: (email.headers ?? {}) as Record<string, string>,
      idempotencyKey: idempotencyKeyFor(email.dedupeKey),
    });
    await db.email.update({
      where: { id: email.id },
      data: {
        status: "SENT",
        providerId: id,
        sentAt: new Date(),
        lockedUntil: null,
        lastError: null,
      },
    });
    return "sent";
  } catch (error) {
    // Anything that is not a classified provider answer (a bug, a driver hiccup) is retried.
    const retryable = !(error instanceof DeliveryError) || error.retryable;
    const lastError = error instanceof Error ? error.message : String(error);
    const giveUp = !retryable || email.attempts >= MAX_SEND_ATTEMPTS;
    await db.email.updateMany({
      where: { id: email.id, status: "SENDING" },
      data: { status: giveUp ? "FAILED" : "QUEUED", lockedUntil: null, lastError },
    });
    if (giveUp) return "failed";
    throw error;
  }
}
