import type { Db } from "../db";
import type { Queue } from "../jobs/queue";
import { sendEmailJob } from "./jobs";
import { type EmailTemplate, renderEmail } from "./render";

// The send path lives in send.ts so jobs.ts can import it without an import cycle.
export { type SendOutcome, sendQueuedEmail } from "./send";

export type QueueEmailInput = {
  /** One logical email, e.g. `sign-in:<token hash>` or `welcome:<user id>`. */
  dedupeKey: string;
  category: string;
  to: string;
  template: EmailTemplate;
  headers?: Record<string, string>;
  /** Not before this instant (the send job starts then; the sweep leaves it alone until then). */
  sendAfter?: Date;
};

/**
 * Records an email once per dedupe key and hands it to the `email.send` job. Safe to call again
 * with the same key (from a retry, a second worker, a double click): nothing new is stored, and
 * an email still QUEUED is enqueued again in case a crash fell between insert and enqueue.
 */
export async function queueEmail(
  db: Pick<Db, "email">,
  queue: Queue,
  input: QueueEmailInput,
): Promise<{ emailId: string; created: boolean }> {
  // Repeat calls are common (schedulers, retries); skip rendering when the row already exists.
  const existing = await db.email.findUnique({
    where: { dedupeKey: input.dedupeKey },
    select: { id: true, status: true },
  });
  if (existing) return enqueueIfQueued(queue, existing, false, input.sendAfter);

  const { subject, html, text } = await renderEmail(input.template);
  // ON CONFLICT DO NOTHING on the unique key: a concurrent caller that inserted first wins and
  // this call falls back to its row.
  const [inserted] = await db.email.createManyAndReturn({
    data: [
      {
        dedupeKey: input.dedupeKey,
        category: input.category,
        toAddress: input.to,
        subject,
        html,
        text,
        headers: input.headers ?? {},
        sendAfter: input.sendAfter ?? null,
      },
    ],
    skipDuplicates: true,
    select: { id: true, status: true },
  });
  if (inserted) return enqueueIfQueued(queue, inserted, true, input.sendAfter);

  const winner = await db.email.findUniqueOrThrow({
    where: { dedupeKey: input.dedupeKey },
    select: { id: true, status: true },
  });
  return enqueueIfQueued(queue, winner, false, input.sendAfter);
}

/** Queues again an email already recorded under this key (a retry), if it is still QUEUED. */
export async function requeueEmail(db: Db, queue: Queue, dedupeKey: string) {
  const row = await db.email.findUnique({
    where: { dedupeKey },
    select: { id: true, status: true, sendAfter: true },
  });
  if (row) await enqueueIfQueued(queue, row, false, row.sendAfter ?? undefined);
  return row;
}

async function enqueueIfQueued(
  queue: Queue,
  email: { id: string; status: string },
  created: boolean,
  sendAfter?: Date,
): Promise<{ emailId: string; created: boolean }> {
  if (email.status === "QUEUED") {
    await queue.send(
      sendEmailJob,
      { emailId: email.id },
      { singletonKey: email.id, ...(sendAfter ? { startAfter: sendAfter } : {}) },
    );
  }
  return { emailId: email.id, created };
}
