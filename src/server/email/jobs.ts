import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { defineJob } from "../jobs/define";
import { createMailer } from "./mailer";
import { BATCH_MAX, sendQueuedBatch } from "./send-batch";

export const sendEmailJob = defineJob({
  name: "email.send",
  payload: z.object({ emailId: z.string() }),
  // Backoff spaces out retries after outages; the sweep below catches what falls out.
  retry: { limit: 5, delaySeconds: 15, backoff: true },
  // At most one queued job per email (singletonKey = email id): the sweep cannot pile up copies.
  policy: "short",
  // Up to 100 queued emails a poll go to Resend as one batch request (send-batch.ts).
  batch: { size: BATCH_MAX, concurrency: 1 },
  async handler({ emailId }, ctx) {
    await sendQueuedBatch(ctx.db, createMailer(ctx.env), [emailId], ctx.env.email.from, {
      ratePerSecond: ctx.env.email.ratePerSecond,
      lockSeconds: ctx.env.email.sendLockSeconds,
    });
  },
  async handleBatch(items, ctx) {
    try {
      await sendQueuedBatch(
        ctx.db,
        createMailer(ctx.env),
        items.map((item) => item.payload.emailId),
        ctx.env.email.from,
        {
          ratePerSecond: ctx.env.email.ratePerSecond,
          lockSeconds: ctx.env.email.sendLockSeconds,
        },
      );
      return { failed: [] };
    } catch (error) {
      console.error("[email] batch send failed; retrying", error);
      // Retried job by job: those already sent are no-ops when they run again.
      return { failed: items.map((item) => item.jobId) };
    }
  },
});

/** Emails a single sweep re-enqueues, so a backlog drains over several minutes, not at once. */
export const SWEEP_BATCH = 500;

/**
 * The safety net for lost jobs: a crash between insert and enqueue, a job that exhausted its
 * retries while the email went back to QUEUED, a worker that died holding a send lock.
 * Sending is idempotent, so re-enqueueing an email that is also in the queue costs one no-op.
 */
export const sweepEmailsJob = defineJob({
  name: "email.sweep",
  payload: z.object({}),
  cron: { expression: "* * * * *", payload: {} },
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  async handler(_payload, ctx) {
    const now = Prisma.raw("(now() AT TIME ZONE 'UTC')");
    // `updatedAt`, not `createdAt`: an email that just went back to QUEUED after a failure is
    // left to pg-boss's backoff for a minute before the sweep steps in.
    const stale = await ctx.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Email"
       WHERE (status = 'QUEUED' AND "updatedAt" < ${now} - interval '1 minute'
              AND ("sendAfter" IS NULL OR "sendAfter" <= ${now}))
          OR (status = 'SENDING' AND "lockedUntil" < ${now})
       ORDER BY "createdAt"
       LIMIT ${SWEEP_BATCH}`;
    for (const { id } of stale) {
      await ctx.queue.send(sendEmailJob, { emailId: id }, { singletonKey: id });
    }
  },
});

export const emailJobs = [sendEmailJob, sweepEmailsJob] as const;
