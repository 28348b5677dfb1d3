import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { formatDate } from "@/lib/format-date";
import { formatMoney } from "@/lib/money";
import { tellSeated } from "../cohorts/notify";
import { takeSeat } from "../cohorts/seats";
import type { Db } from "../db";
import { queueEmail } from "../email/service";
import { env } from "../env";
import { DomainError } from "../errors";
import { defineJob } from "../jobs/define";
import type { Queue } from "../jobs/queue";
import { graceEndsAt } from "./rules";
import { type Stripe, stripe } from "./stripe";
import {
  syncCharge,
  syncCheckoutSession,
  syncInvoice,
  syncSubscription,
  UnknownCustomer,
} from "./sync";

/**
 * Stripe's webhooks: verified on the raw body, stored once by event id and queued; the worker
 * then acts on each by re-reading the object from Stripe (sync.ts), so duplicates and any order
 * converge. Acknowledging only what is stored keeps Stripe's side fast (no Stripe call inside
 * the request); a request that cannot store or queue answers 500 and Stripe sends it again. The
 * demo seed and the tests can process inline, where a failing handler answers 500.
 */

export const MAX_WEBHOOK_BYTES = 512 * 1024;

export type WebhookReply = { status: number; body: { received: boolean; [key: string]: unknown } };

/** Types Kindred acts on; every other type is acknowledged and ignored. */
export const HANDLED_TYPES = [
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "customer.subscription.paused",
  "customer.subscription.resumed",
  "customer.subscription.trial_will_end",
  "invoice.paid",
  "invoice.payment_failed",
  "charge.refunded",
  "charge.dispute.created",
] as const;

function objectIdOf(event: Stripe.Event): string | null {
  const object = event.data.object as { id?: string; charge?: string | { id: string } };
  if (event.type === "charge.dispute.created") {
    const charge = object.charge;
    return typeof charge === "string" ? charge : (charge?.id ?? null);
  }
  return typeof object.id === "string" ? object.id : null;
}

async function tellPaymentFailed(
  db: Db,
  queue: Queue,
  invoice: Stripe.Invoice,
  sub: Stripe.Subscription | null,
) {
  // Only while the failure still stands: a later payment (delivered first) sends nothing.
  if (!invoice.id || invoice.status !== "open" || sub?.status !== "past_due") return;
  const row = await db.subscription.findUnique({
    where: { id: sub.id },
    select: {
      status: true,
      paused: true,
      pastDueSince: true,
      plan: { select: { name: true } },
      user: { select: { email: true, name: true, timeZone: true } },
    },
  });
  if (!row) return;
  const e = env();
  const until = graceEndsAt(row, e.billing.graceDays) ?? new Date();
  const next = invoice.next_payment_attempt ? new Date(invoice.next_payment_attempt * 1000) : null;
  await queueEmail(db, queue, {
    dedupeKey: `payment-failed:${invoice.id}`,
    category: "billing",
    to: row.user.email,
    template: {
      kind: "payment-failed",
      name: row.user.name,
      planName: row.plan?.name ?? "membership",
      amount: formatMoney(invoice.amount_due, invoice.currency),
      accessUntil: formatDate(until, row.user.timeZone, "long"),
      nextAttempt: next ? formatDate(next, row.user.timeZone, "long") : null,
      url: `${e.appUrl}/app/settings/billing`,
      appUrl: e.appUrl,
    },
  });
}

/**
 * A trial ends in a few days (Stripe says so three days before): tell the member when, what it
 * will cost and how to cancel, or, when they already cancelled, that nothing will be charged.
 * Read from Kindred's copy just synced, so an event replayed after the trial ended (or for a trial
 * that was ended early) sends nothing; once per trial end by the dedupe key.
 */
async function tellTrialEnding(db: Db, queue: Queue, subscriptionId: string, now: Date) {
  const row = await db.subscription.findUnique({
    where: { id: subscriptionId },
    select: {
      status: true,
      trialEnd: true,
      cancelAtPeriodEnd: true,
      amount: true,
      currency: true,
      interval: true,
      plan: { select: { name: true } },
      user: { select: { email: true, name: true, timeZone: true } },
    },
  });
  if (row?.status !== "TRIALING" || !row.trialEnd || row.trialEnd <= now) return;
  const e = env();
  await queueEmail(db, queue, {
    dedupeKey: `trial-ending:${subscriptionId}:${row.trialEnd.getTime()}`,
    category: "billing",
    to: row.user.email,
    template: {
      kind: "trial-ending",
      name: row.user.name,
      planName: row.plan?.name ?? "membership",
      trialEnds: formatDate(row.trialEnd, row.user.timeZone, "long"),
      price: `${formatMoney(row.amount, row.currency)} a ${row.interval === "YEAR" ? "year" : "month"}`,
      renews: !row.cancelAtPeriodEnd,
      url: `${e.appUrl}/app/settings/billing`,
      appUrl: e.appUrl,
    },
  });
}

/**
 * A bought cohort seat seats its buyer (or puts them on the waitlist when the cohort filled up
 * meanwhile). Only when they have no place in it yet: a member who left is not pulled back in by
 * a replayed event. A cohort that finished or closed keeps the purchase for the admin to refund.
 */
async function seatBuyer(db: Db, queue: Queue, userId: string, planId: string) {
  const plan = await db.plan.findUnique({
    where: { id: planId },
    select: { scope: true, cohortId: true },
  });
  if (plan?.scope !== "COHORT_SEAT" || !plan.cohortId) return;
  const place = await db.cohortMember.findUnique({
    where: { cohortId_userId: { cohortId: plan.cohortId, userId } },
    select: { id: true },
  });
  if (place) return;
  try {
    const seat = await takeSeat(db, userId, plan.cohortId, "invite", new Date());
    if (seat.status === "ACTIVE") await tellSeated(queue, plan.cohortId, [userId]);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    console.warn(`[billing] bought seat in cohort ${plan.cohortId} not taken: ${error.message}`);
  }
}

/** Acts on one event. Throws when it should be retried. */
export async function handleEvent(
  db: Db,
  queue: () => Promise<Queue>,
  event: Stripe.Event,
): Promise<"processed" | "ignored"> {
  const id = objectIdOf(event);
  if (!id || !(HANDLED_TYPES as readonly string[]).includes(event.type)) return "ignored";
  switch (event.type) {
    case "checkout.session.completed": {
      const outcome = await syncCheckoutSession(db, id);
      if (outcome.kind === "purchase")
        await seatBuyer(db, await queue(), outcome.userId, outcome.planId);
      return "processed";
    }
    case "invoice.paid":
    case "invoice.payment_failed": {
      const { invoice, subscription } = await syncInvoice(db, id);
      if (event.type === "invoice.payment_failed") {
        await tellPaymentFailed(db, await queue(), invoice, subscription);
      }
      return "processed";
    }
    case "charge.refunded":
    case "charge.dispute.created":
      await syncCharge(db, id);
      return "processed";
    case "customer.subscription.trial_will_end":
      await syncSubscription(db, id);
      await tellTrialEnding(db, await queue(), id, new Date());
      return "processed";
    default:
      await syncSubscription(db, id);
      return "processed";
  }
}

/** Runs a stored event's handler and records the outcome. */
export async function processStoredEvent(
  db: Db,
  queue: () => Promise<Queue>,
  event: Stripe.Event,
): Promise<{ ok: boolean; outcome: string }> {
  await db.stripeEvent.update({ where: { id: event.id }, data: { attempts: { increment: 1 } } });
  try {
    const outcome = await handleEvent(db, queue, event);
    await db.stripeEvent.update({
      where: { id: event.id },
      data: {
        status: outcome === "processed" ? "PROCESSED" : "IGNORED",
        processedAt: new Date(),
        lastError: null,
      },
    });
    return { ok: true, outcome };
  } catch (error) {
    const unknown = error instanceof UnknownCustomer;
    await db.stripeEvent.update({
      where: { id: event.id },
      data: {
        status: unknown ? "IGNORED" : "FAILED",
        lastError: error instanceof Error ? error.message.slice(0, 1000) : String(error),
        ...(unknown ? { processedAt: new Date() } : {}),
      },
    });
    if (!unknown) console.error(`[billing] webhook ${event.type} ${event.id} failed`, error);
    return { ok: unknown, outcome: unknown ? "ignored: unknown customer" : "failed" };
  }
}

/** The whole webhook request: verify, store once, act. */
export async function receiveWebhook(
  db: Db,
  queue: () => Promise<Queue>,
  raw: string,
  signature: string | null,
  options: { secret?: string; process?: "queue" | "inline" } = {},
): Promise<WebhookReply> {
  const secret = options.secret ?? env().billing.webhookSecret;
  if (!signature) {
    return { status: 400, body: { received: false, error: "Missing Stripe-Signature header." } };
  }
  let event: Stripe.Event;
  try {
    event = stripe().webhooks.constructEvent(raw, signature, secret);
  } catch (error) {
    const message = error instanceof Error ? error.message : "invalid payload";
    return {
      status: 400,
      body: { received: false, error: `Webhook signature check failed: ${message.slice(0, 200)}` },
    };
  }
  // Signed but malformed (only a holder of the secret can send it): refused, not a 500 from the
  // insert below.
  const createdAt = new Date(
    (typeof event?.created === "number" ? event.created : Number.NaN) * 1000,
  );
  if (
    typeof event?.id !== "string" ||
    typeof event.type !== "string" ||
    !event.data?.object ||
    Number.isNaN(createdAt.getTime()) ||
    // PostgreSQL's jsonb holds no NUL character; Stripe never sends one.
    raw.includes("\\u0000")
  ) {
    return { status: 400, body: { received: false, error: "Not a Stripe event." } };
  }
  // One statement for a new event (INSERT … ON CONFLICT DO NOTHING RETURNING); only a
  // duplicate, which returns no row, costs a second read for its status.
  const [inserted] = await db.stripeEvent.createManyAndReturn({
    data: [
      {
        id: event.id,
        type: event.type,
        objectId: objectIdOf(event),
        createdAt,
        payload: event as unknown as Prisma.InputJsonValue,
      },
    ],
    skipDuplicates: true,
    select: { status: true },
  });
  const stored =
    inserted ??
    (await db.stripeEvent.findUniqueOrThrow({
      where: { id: event.id },
      select: { status: true },
    }));
  if (stored.status === "PROCESSED" || stored.status === "IGNORED") {
    return { status: 200, body: { received: true, duplicate: true } };
  }
  if (options.process !== "inline") {
    // Stored: the worker acts on it (and retries it) from here. If the job cannot be queued,
    // Stripe must send the event again: the row alone would wait for the sweep.
    await (await queue()).send(billingEventJob, { eventId: event.id }, { singletonKey: event.id });
    return { status: 200, body: { received: true, queued: true } };
  }
  const result = await processStoredEvent(db, queue, event);
  return result.ok
    ? { status: 200, body: { received: true, outcome: result.outcome } }
    : { status: 500, body: { received: false, error: "Handler failed; Stripe will retry." } };
}

/**
 * Acting on a stored event, in the worker: the handler's failure is retried with backoff here
 * (and shown on the console as FAILED, with a replay button), not left to Stripe's schedule.
 */
export const billingEventJob = defineJob({
  name: "billing.webhook-event",
  payload: z.object({ eventId: z.string().min(1).max(255) }),
  retry: { limit: 8, delaySeconds: 5, backoff: true },
  policy: "short",
  // A burst of events (a renewal day) drains in batches, a few at a time: customers' syncs
  // lock one another only when they are the same customer.
  batch: { size: 20, concurrency: 4 },
  async handler({ eventId }, ctx) {
    const row = await ctx.db.stripeEvent.findUnique({
      where: { id: eventId },
      select: { status: true, payload: true },
    });
    if (!row || row.status === "PROCESSED" || row.status === "IGNORED") return;
    const result = await processStoredEvent(
      ctx.db,
      async () => ctx.queue,
      row.payload as unknown as Stripe.Event,
    );
    if (!result.ok) throw new Error(`billing event ${eventId} failed; retrying`);
  },
});

/** How long a stored event may wait before the sweep queues it again. */
const SWEEP_AFTER_MS = 2 * 60_000;
const SWEEP_MAX_ATTEMPTS = 20;

/**
 * The safety net: an event stored but never queued (a crash between the two, or a queue that
 * refused), or one whose retries ran out while the cause went away, is queued again.
 */
export const sweepBillingEventsJob = defineJob({
  name: "billing.sweep-events",
  payload: z.object({}),
  cron: { expression: "* * * * *", payload: {} },
  async handler(_payload, { db, queue }) {
    const stale = await db.stripeEvent.findMany({
      where: {
        status: { in: ["RECEIVED", "FAILED"] },
        receivedAt: { lt: new Date(Date.now() - SWEEP_AFTER_MS) },
        attempts: { lt: SWEEP_MAX_ATTEMPTS },
      },
      orderBy: { receivedAt: "asc" },
      take: 500,
      select: { id: true },
    });
    for (const { id } of stale) {
      await queue.send(billingEventJob, { eventId: id }, { singletonKey: id });
    }
  },
});

/** Replays a stored event from the console (same handler, same convergence). */
export async function replayEvent(db: Db, queue: () => Promise<Queue>, eventId: string) {
  const row = await db.stripeEvent.findUnique({
    where: { id: eventId },
    select: { payload: true },
  });
  if (!row) throw new DomainError("NOT_FOUND", "No webhook event has that id.");
  return processStoredEvent(db, queue, row.payload as unknown as Stripe.Event);
}
