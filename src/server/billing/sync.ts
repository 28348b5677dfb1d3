import type { PlanInterval, Prisma, SubscriptionStatus } from "@/generated/prisma/client";
import type { Db } from "../db";
import { fromUnix, idOf, type Stripe, stripe } from "./stripe";

/**
 * Bringing our rows in step with Stripe. Every sync reads the objects from Stripe, writes what
 * they say in a short transaction under a lock per Stripe customer, then reads them again: if
 * Stripe has moved on meanwhile (a concurrent sync may have written the newer state before this
 * one wrote the older), it goes round again. So whatever order events arrive in, however often,
 * the last write of a customer's rows is Stripe's latest state, and the database converges to
 * the same rows as one in-order delivery.
 *
 * No transaction is ever held across a call to Stripe: a slow Stripe must not pin database
 * connections, and the embedded database (one open transaction at a time) serves the built-in
 * emulator from the same database.
 */

type Tx = Prisma.TransactionClient;

/** The customer isn't one of ours (another app on the same Stripe account): nothing to do. */
export class UnknownCustomer extends Error {
  constructor(customerId: string | null) {
    super(`Stripe customer ${customerId ?? "(none)"} is not a Kindred member`);
    this.name = "UnknownCustomer";
  }
}

const TX = { maxWait: 20_000, timeout: 30_000 } as const;

const MAX_ROUNDS = 5;

/**
 * Reads with `read`, writes with `write` under the customer's lock, and repeats while a fresh read
 * differs from what was written. Returns the last state written and the member it belongs to.
 */
async function converge<T>(
  db: Db,
  customerOf: (value: T) => string | null,
  read: () => Promise<T>,
  write: (tx: Tx, userId: string, value: T) => Promise<void>,
): Promise<{ value: T; userId: string }> {
  let value = await read();
  for (let round = 1; ; round++) {
    const customerId = customerOf(value);
    if (!customerId) throw new UnknownCustomer(null);
    const current = value;
    const userId = await db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`stripe:${customerId}`}, 0))`;
      const owner = await tx.billingCustomer.findUnique({
        where: { stripeCustomerId: customerId },
        select: { userId: true },
      });
      if (!owner) throw new UnknownCustomer(customerId);
      await write(tx, owner.userId, current);
      return owner.userId;
    }, TX);
    const again = await read();
    if (JSON.stringify(again) === JSON.stringify(current) || round >= MAX_ROUNDS) {
      return { value: current, userId };
    }
    value = again;
  }
}

const STATUS: Record<string, SubscriptionStatus> = {
  trialing: "TRIALING",
  active: "ACTIVE",
  past_due: "PAST_DUE",
  paused: "PAUSED",
  canceled: "CANCELED",
  unpaid: "UNPAID",
  incomplete: "INCOMPLETE",
  incomplete_expired: "INCOMPLETE_EXPIRED",
};

const INTERVAL: Record<string, PlanInterval> = { month: "MONTH", year: "YEAR" };

async function planForPrice(tx: Tx, priceId: string, metadataPlanId?: string) {
  const price = await tx.planPrice.findUnique({
    where: { stripePriceId: priceId },
    select: { planId: true },
  });
  if (price) return price.planId;
  if (!metadataPlanId) return null;
  const plan = await tx.plan.findUnique({ where: { id: metadataPlanId }, select: { id: true } });
  return plan?.id ?? null;
}

async function writeSubscription(
  tx: Tx,
  userId: string,
  sub: Stripe.Subscription,
  checkoutSessionId: string | null,
) {
  const item = sub.items.data[0];
  if (!item) throw new Error(`subscription ${sub.id} has no items`);
  const price = item.price;
  const status = STATUS[sub.status] ?? "INCOMPLETE";
  // The grace period counts from the invoice that failed (Stripe's time, not ours), so every
  // replay writes the same instant.
  const latest = typeof sub.latest_invoice === "object" ? sub.latest_invoice : null;
  const pastDueSince =
    status === "PAST_DUE" ? (fromUnix(latest?.created) ?? fromUnix(sub.created)) : null;
  const data = {
    userId,
    planId: await planForPrice(tx, price.id, sub.metadata?.planId),
    stripePriceId: price.id,
    status,
    amount: price.unit_amount ?? 0,
    currency: price.currency,
    interval: INTERVAL[price.recurring?.interval ?? "month"] ?? "MONTH",
    paused: sub.pause_collection != null,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    currentPeriodEnd: fromUnix(item.current_period_end),
    trialEnd: fromUnix(sub.trial_end),
    canceledAt: fromUnix(sub.canceled_at),
    endedAt: fromUnix(sub.ended_at),
    pastDueSince,
    startedAt: fromUnix(sub.start_date) ?? fromUnix(sub.created) ?? new Date(0),
  };
  await tx.subscription.upsert({
    where: { id: sub.id },
    create: { id: sub.id, ...data, checkoutSessionId },
    update: { ...data, ...(checkoutSessionId ? { checkoutSessionId } : {}) },
  });
}

async function fetchSubscription(id: string) {
  return stripe().subscriptions.retrieve(id, { expand: ["latest_invoice"] });
}

export async function syncSubscription(db: Db, subscriptionId: string): Promise<void> {
  await converge(
    db,
    (sub) => idOf(sub.customer),
    () => fetchSubscription(subscriptionId),
    (tx, userId, sub) => writeSubscription(tx, userId, sub, null),
  );
}

function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  return idOf(invoice.parent?.subscription_details?.subscription ?? null);
}

async function writeInvoice(tx: Tx, userId: string, invoice: Stripe.Invoice) {
  if (!invoice.id) return;
  const data = {
    userId,
    subscriptionId: invoiceSubscriptionId(invoice),
    status: invoice.status ?? "draft",
    amountDue: invoice.amount_due,
    amountPaid: invoice.amount_paid,
    currency: invoice.currency,
    attemptCount: invoice.attempt_count,
    nextPaymentAttempt: fromUnix(invoice.next_payment_attempt),
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    issuedAt: fromUnix(invoice.created) ?? new Date(0),
    paidAt: fromUnix(invoice.status_transitions?.paid_at),
  };
  await tx.invoice.upsert({
    where: { id: invoice.id },
    create: { id: invoice.id, ...data },
    update: data,
  });
}

/** An invoice and, when it belongs to one, its subscription. Returns both as Stripe has them. */
export async function syncInvoice(db: Db, invoiceId: string) {
  const { value, userId } = await converge(
    db,
    ({ invoice }) => idOf(invoice.customer),
    async () => {
      const invoice = await stripe().invoices.retrieve(invoiceId);
      const subId = invoiceSubscriptionId(invoice);
      return { invoice, subscription: subId ? await fetchSubscription(subId) : null };
    },
    async (tx, userId, { invoice, subscription }) => {
      await writeInvoice(tx, userId, invoice);
      if (subscription) await writeSubscription(tx, userId, subscription, null);
    },
  );
  return { userId, ...value };
}

async function writeRefunds(tx: Tx, charge: Stripe.Charge, purchaseId: string | null) {
  for (const refund of charge.refunds?.data ?? []) {
    if (refund.status === "failed" || refund.status === "canceled") continue;
    const data = {
      chargeId: charge.id,
      purchaseId,
      amount: refund.amount,
      currency: refund.currency,
      reason: refund.metadata?.note ?? refund.reason ?? "",
      createdById: refund.metadata?.adminId ?? null,
      createdAt: fromUnix(refund.created) ?? new Date(0),
    };
    await tx.refund.upsert({
      where: { id: refund.id },
      create: { id: refund.id, ...data },
      update: data,
    });
  }
}

/** The purchase's money as its charge says now: refunded amount, full refund, dispute. */
function chargeFacts(charge: Stripe.Charge | null, amount: number) {
  if (!charge) return { chargeId: null, amountRefunded: 0, refundedAt: null, disputed: false };
  const refunds = charge.refunds?.data ?? [];
  const lastRefund = Math.max(0, ...refunds.map((r) => r.created));
  const full = charge.amount_refunded >= amount;
  return {
    chargeId: charge.id,
    amountRefunded: charge.amount_refunded,
    refundedAt: full ? (fromUnix(lastRefund || charge.created) ?? new Date(0)) : null,
    disputed: charge.disputed,
  };
}

async function fetchCharge(id: string) {
  return stripe().charges.retrieve(id, { expand: ["refunds"] });
}

export type CheckoutOutcome =
  | { kind: "purchase"; userId: string; planId: string }
  | { kind: "subscription"; userId: string }
  | { kind: "open" };

/** A completed Checkout Session: the purchase it paid for, or the subscription it started. */
export async function syncCheckoutSession(db: Db, sessionId: string): Promise<CheckoutOutcome> {
  const { value, userId } = await converge(
    db,
    ({ session }) => idOf(session.customer),
    async () => {
      const session = await stripe().checkout.sessions.retrieve(sessionId);
      if (session.status !== "complete") return { session, sub: null, intent: null, charge: null };
      if (session.mode === "subscription") {
        const subId = idOf(session.subscription);
        return {
          session,
          sub: subId ? await fetchSubscription(subId) : null,
          intent: null,
          charge: null,
        };
      }
      const intentId = idOf(session.payment_intent);
      const intent = intentId ? await stripe().paymentIntents.retrieve(intentId) : null;
      const chargeId = idOf(intent?.latest_charge ?? null);
      return { session, sub: null, intent, charge: chargeId ? await fetchCharge(chargeId) : null };
    },
    async (tx, userId, { session, sub, intent, charge }) => {
      if (session.status !== "complete") return;
      if (session.mode === "subscription") {
        if (sub) await writeSubscription(tx, userId, sub, session.id);
        return;
      }
      const planId = session.metadata?.planId;
      if (!planId) throw new Error(`checkout session ${session.id} names no plan`);
      const amount = session.amount_total ?? intent?.amount ?? 0;
      const data = {
        userId,
        planId,
        paymentIntentId: intent?.id ?? null,
        amount,
        currency: session.currency ?? intent?.currency ?? "usd",
        paidAt: fromUnix(charge?.created ?? session.created) ?? new Date(0),
        ...chargeFacts(charge, amount),
      };
      const purchase = await tx.purchase.upsert({
        where: { checkoutSessionId: session.id },
        create: { checkoutSessionId: session.id, ...data },
        update: data,
        select: { id: true },
      });
      if (charge) await writeRefunds(tx, charge, purchase.id);
    },
  );
  const { session } = value;
  if (session.status !== "complete") return { kind: "open" };
  if (session.mode === "subscription") return { kind: "subscription", userId };
  return { kind: "purchase", userId, planId: session.metadata?.planId ?? "" };
}

/** A charge's refunds and dispute, onto the purchase it paid (if any) and the refund list. */
export async function syncCharge(db: Db, chargeId: string): Promise<void> {
  await converge(
    db,
    (charge) => idOf(charge.customer),
    () => fetchCharge(chargeId),
    async (tx, _userId, charge) => {
      const intentId = idOf(charge.payment_intent);
      const purchase = await tx.purchase.findFirst({
        where: {
          OR: [{ chargeId: charge.id }, ...(intentId ? [{ paymentIntentId: intentId }] : [])],
        },
        select: { id: true, amount: true },
      });
      if (purchase) {
        await tx.purchase.update({
          where: { id: purchase.id },
          data: chargeFacts(charge, purchase.amount),
        });
      }
      await writeRefunds(tx, charge, purchase?.id ?? null);
    },
  );
}
