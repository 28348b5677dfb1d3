import { randomUUID } from "node:crypto";
import { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import { DeliveryError, type Mailer } from "./mailer";
import {
  type Claimed,
  MAX_SEND_ATTEMPTS,
  SEND_LOCK_SECONDS,
  type SendOutcome,
  sendQueuedEmail,
} from "./send";

/**
 * Sends queued emails through Resend's batch endpoint (up to 100 a request), at most once each,
 * at the deployment's pace.
 *
 * - **Claim**: one UPDATE takes the rows for this worker and stamps them with a new batch key.
 *   The key is the request's idempotency key, and it stays on the rows until Resend has
 *   answered: a batch cut off mid-call (a killed worker, a timeout, a 5xx) keeps its key and its
 *   members, and whoever claims it again (its lock lapsed) sends the same emails under the same
 *   key, which Resend answers from its first attempt instead of sending again. A lapsed batch is
 *   claimed whole by one UPDATE on its key, so it cannot be split between two workers.
 * - **Pace**: each request takes the next free slot of one shared row (`EmailRate`), so all
 *   workers together keep to `ratePerSecond`.
 * - **429**: wait what `retry-after` says (else a second), then the same request again.
 * - **A rejected batch** (422: one bad email rejects all) was sent to no one: its emails go one
 *   by one through the single path, where only the bad one fails.
 */
export const BATCH_MAX = 100;
const MAX_RATE_LIMITED_TRIES = 8;
const MAX_RETRY_AFTER_SECONDS = 60;
/** An ambiguous failure (5xx, network) keeps the batch claimed this long before a retry. */
const AMBIGUOUS_HOLD_SECONDS = 20;

const NOW = Prisma.raw("(now() AT TIME ZONE 'UTC')");

type Row = Claimed & { batchKey: string };

export type BatchOptions = {
  ratePerSecond: number;
  /** How long the claim holds (EMAIL_SEND_LOCK_SECONDS); SEND_LOCK_SECONDS when not given. */
  lockSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits for this request's slot at the shared pace. */
export async function takeRateSlot(db: Db, ratePerSecond: number, sleep = defaultSleep) {
  const gapMs = Math.max(1, Math.round(1000 / ratePerSecond));
  const gap = Prisma.raw(`interval '${gapMs} milliseconds'`);
  const [slot] = await db.$queryRaw<{ at: Date }[]>`
    INSERT INTO "EmailRate" (id, "nextAt") VALUES ('resend', ${NOW} + ${gap})
    ON CONFLICT (id) DO UPDATE SET "nextAt" = GREATEST("EmailRate"."nextAt", ${NOW}) + ${gap}
    RETURNING "nextAt" - ${gap} AS at`;
  const wait = (slot?.at.getTime() ?? 0) - Date.now();
  if (wait > 0) await sleep(wait);
}

async function claimFresh(db: Db, ids: string[], lockSeconds: number): Promise<Row[]> {
  const key = randomUUID();
  return db.$queryRaw<Row[]>`
    UPDATE "Email"
       SET status = 'SENDING', "lockedUntil" = ${NOW} + make_interval(secs => ${lockSeconds}),
           attempts = attempts + 1, "updatedAt" = ${NOW}, "batchKey" = ${key}
     WHERE id = ANY(${ids}::text[])
       AND (status = 'QUEUED' OR (status = 'SENDING' AND "lockedUntil" < ${NOW} AND "batchKey" IS NULL))
       AND ("sendAfter" IS NULL OR "sendAfter" <= ${NOW})
     RETURNING id, "dedupeKey", "toAddress", subject, html, text, headers, attempts, "batchKey"`;
}

/** Interrupted batches among `ids`, each claimed whole (every member, asked for or not). */
async function claimInterrupted(db: Db, ids: string[], lockSeconds: number): Promise<Row[][]> {
  const keys = await db.$queryRaw<{ batchKey: string }[]>`
    SELECT DISTINCT "batchKey" FROM "Email"
     WHERE id = ANY(${ids}::text[]) AND status = 'SENDING' AND "lockedUntil" < ${NOW}
       AND "batchKey" IS NOT NULL`;
  const groups: Row[][] = [];
  for (const { batchKey } of keys) {
    const rows = await db.$queryRaw<Row[]>`
      UPDATE "Email"
         SET "lockedUntil" = ${NOW} + make_interval(secs => ${lockSeconds}),
             attempts = attempts + 1, "updatedAt" = ${NOW}
       WHERE "batchKey" = ${batchKey} AND status = 'SENDING' AND "lockedUntil" < ${NOW}
       RETURNING id, "dedupeKey", "toAddress", subject, html, text, headers, attempts, "batchKey"`;
    if (rows.length) groups.push(rows);
  }
  return groups;
}

async function markSent(db: Db, rows: Row[], providerIds: string[]) {
  await db.$executeRaw`
    UPDATE "Email" AS e
       SET status = 'SENT', "providerId" = u.pid, "sentAt" = ${NOW}, "lockedUntil" = NULL,
           "lastError" = NULL, "batchKey" = NULL, "updatedAt" = ${NOW}
      FROM unnest(${rows.map((r) => r.id)}::text[], ${providerIds}::text[]) AS u(id, pid)
     WHERE e.id = u.id AND e.status = 'SENDING'`;
}

/** Back to the queue with no batch (nothing of it was sent), or FAILED past the attempts. */
async function release(db: Db, rows: Row[], lastError: string) {
  const ids = rows.map((r) => r.id);
  await db.$executeRaw`
    UPDATE "Email"
       SET status = CASE WHEN attempts >= ${MAX_SEND_ATTEMPTS} THEN 'FAILED'::"EmailStatus" ELSE 'QUEUED'::"EmailStatus" END,
           "lockedUntil" = NULL, "batchKey" = NULL, "lastError" = ${lastError}, "updatedAt" = ${NOW}
     WHERE id = ANY(${ids}::text[]) AND status = 'SENDING'`;
}

/** Resend may have taken it: keep the batch (and its key) for a retry of the same request. */
async function hold(db: Db, rows: Row[], lastError: string) {
  const ids = rows.map((r) => r.id);
  await db.$executeRaw`
    UPDATE "Email"
       SET status = CASE WHEN attempts >= ${MAX_SEND_ATTEMPTS} THEN 'FAILED'::"EmailStatus" ELSE status END,
           "lockedUntil" = ${NOW} + make_interval(secs => ${AMBIGUOUS_HOLD_SECONDS}),
           "lastError" = ${lastError}, "updatedAt" = ${NOW}
     WHERE id = ANY(${ids}::text[]) AND status = 'SENDING'`;
}

async function sendGroup(
  db: Db,
  mailer: Mailer,
  rows: Row[],
  from: string,
  options: BatchOptions,
): Promise<SendOutcome> {
  const sleep = options.sleep ?? defaultSleep;
  // The same order every time the batch is sent: the request must be identical.
  const ordered = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const emails = ordered.map((r) => ({
    from,
    to: r.toAddress,
    subject: r.subject,
    html: r.html,
    text: r.text,
    headers: (r.headers ?? {}) as Record<string, string>,
  }));
  const key = `batch:${ordered[0]?.batchKey}`;
  for (let tries = 1; ; tries++) {
    await takeRateSlot(db, options.ratePerSecond, sleep);
    try {
      const { ids } = await mailer.deliverBatch(emails, key);
      if (ids.length !== ordered.length) throw new Error("Resend answered a different count");
      await markSent(db, ordered, ids);
      return "sent";
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof DeliveryError && error.statusCode === 429) {
        if (tries < MAX_RATE_LIMITED_TRIES) {
          const seconds = Math.min(error.retryAfter ?? 1, MAX_RETRY_AFTER_SECONDS);
          await sleep(seconds * 1000);
          continue;
        }
        await release(db, ordered, message);
        throw error;
      }
      if (error instanceof DeliveryError && !error.retryable) {
        // The whole batch was refused, so nobody got anything: one by one, each on its own key.
        await release(db, ordered, message);
        for (const row of ordered) {
          await db.email.updateMany({
            where: { id: row.id, status: "QUEUED" },
            data: { attempts: { decrement: 1 } },
          });
          await sendQueuedEmail(db, mailer, row.id, from).catch(() => undefined);
        }
        return "failed";
      }
      await hold(db, ordered, message);
      throw error;
    }
  }
}

/**
 * Sends these queued emails (and any interrupted batch one of them belongs to). Throws when a
 * retry is needed (pg-boss retries with backoff; the sweep catches what falls out).
 */
export async function sendQueuedBatch(
  db: Db,
  mailer: Mailer,
  emailIds: string[],
  from: string,
  options: BatchOptions,
): Promise<{ sent: number }> {
  const ids = [...new Set(emailIds)];
  const lockSeconds = options.lockSeconds ?? SEND_LOCK_SECONDS;
  const groups = await claimInterrupted(db, ids, lockSeconds);
  // One key per request: at most BATCH_MAX emails are claimed under one key.
  for (let i = 0; i < ids.length; i += BATCH_MAX) {
    const fresh = await claimFresh(db, ids.slice(i, i + BATCH_MAX), lockSeconds);
    if (fresh.length) groups.push(fresh);
  }
  let sent = 0;
  let failure: unknown = null;
  for (const group of groups) {
    try {
      if ((await sendGroup(db, mailer, group, from, options)) === "sent") sent += group.length;
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure) throw failure;
  return { sent };
}
