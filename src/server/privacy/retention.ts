import { z } from "zod";
import type { Db } from "../db";
import { defineJob } from "../jobs/define";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * What Kindred keeps only for a while, and for how long. The retention job (`privacy.retention`,
 * hourly) applies every rule; the privacy page (/privacy) states them from this same list, so the
 * page cannot say one thing while the code does another.
 *
 * Everything not listed here is kept while the account it belongs to exists (see inventory.ts).
 */
export type RetentionRule = {
  id: string;
  /** What goes, in the page's words. */
  what: string;
  /** For how long, in the page's words. */
  kept: string;
  /** Removes what is past its time; returns how many rows went. Safe to run twice at once. */
  prune: (db: Db, now: Date) => Promise<number>;
};

const before = (now: Date, ms: number) => new Date(now.getTime() - ms);

export const RETENTION_RULES = [
  {
    id: "sign-in-links",
    what: "Sign-in links (a hash of the link and the address it was sent to)",
    kept: "Until the link expires (30 minutes) or is used",
    prune: async (db, now) =>
      (await db.verificationToken.deleteMany({ where: { expires: { lt: now } } })).count,
  },
  {
    id: "sessions",
    what: "Sessions (which browser is signed in)",
    kept: "Until you sign out, or 30 days after the last visit",
    prune: async (db, now) =>
      (await db.session.deleteMany({ where: { expires: { lt: now } } })).count,
  },
  {
    id: "address-changes",
    what: "A change of sign-in address waiting for its confirmation link",
    kept: "Until it is confirmed or its link expires",
    prune: async (db, now) =>
      (await db.emailChange.deleteMany({ where: { expires: { lt: now } } })).count,
  },
  {
    id: "account-deletions",
    what: "A request to delete your account waiting for its confirmation link",
    kept: "Until it is confirmed (the account then goes) or its link expires (1 hour)",
    prune: async (db, now) =>
      (await db.accountDeletion.deleteMany({ where: { expires: { lt: now } } })).count,
  },
  {
    id: "rate-limits",
    what: "Counts of sign-in and upload attempts, by address and network address",
    kept: "1 hour",
    prune: async (db, now) =>
      (await db.rateLimitHit.deleteMany({ where: { createdAt: { lt: before(now, HOUR) } } })).count,
  },
  {
    id: "email-log",
    what: "The email log: each email sent to you (address, subject, text) and what happened to it",
    kept: "90 days after it was sent or given up on",
    prune: async (db, now) =>
      (
        await db.email.deleteMany({
          where: { status: { in: ["SENT", "FAILED"] }, createdAt: { lt: before(now, 90 * DAY) } },
        })
      ).count,
  },
  {
    id: "email-events",
    what: "Delivery reports from the email provider (ids and event types only)",
    kept: "30 days",
    prune: async (db, now) =>
      (await db.emailEvent.deleteMany({ where: { receivedAt: { lt: before(now, 30 * DAY) } } }))
        .count,
  },
  {
    id: "nudge-days",
    what: "Which day a nudge was sent to you (so that no day gets two)",
    kept: "30 days",
    prune: async (db, now) =>
      (await db.nudgeDay.deleteMany({ where: { day: { lt: before(now, 30 * DAY) } } })).count,
  },
  {
    id: "payment-events",
    what: "Payment notifications from Stripe, with the objects they describe",
    kept: "90 days after they arrive",
    prune: async (db, now) =>
      (await db.stripeEvent.deleteMany({ where: { receivedAt: { lt: before(now, 90 * DAY) } } }))
        .count,
  },
  {
    id: "demo-mailbox",
    what: "The demo mailbox's copies of emails (demo deployments only: nothing is sent)",
    kept: "7 days",
    prune: async (db, now) =>
      (await db.outboxMessage.deleteMany({ where: { createdAt: { lt: before(now, 7 * DAY) } } }))
        .count,
  },
  {
    id: "account-exports",
    what: "The ZIP of your data you asked for (Export all my data)",
    kept: "7 days after it is ready (a day, if it could not be made)",
    prune: async (db, now) =>
      (await db.accountExport.deleteMany({ where: { expiresAt: { lt: now } } })).count,
  },
] as const satisfies readonly RetentionRule[];

export type RetentionRuleId = (typeof RETENTION_RULES)[number]["id"];

/** Applies every rule; the counts say what went, by rule. */
export async function pruneExpired(db: Db, now = new Date()): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const rule of RETENTION_RULES) removed[rule.id] = await rule.prune(db, now);
  return removed;
}

/**
 * Hourly: what is past its time goes (a few minutes late at most, never early). A run that
 * overlaps another, or is retried after a crash, only deletes what is already gone.
 */
export const retentionJob = defineJob({
  name: "privacy.retention",
  payload: z.object({}),
  cron: { expression: "23 * * * *", payload: {} },
  retry: { limit: 2, delaySeconds: 300, backoff: false },
  async handler(_payload, { db }) {
    const removed = await pruneExpired(db);
    const total = Object.values(removed).reduce((sum, n) => sum + n, 0);
    if (total > 0) console.log(`[privacy] retention removed ${JSON.stringify(removed)}`);
  },
});
