import type { PlanInterval, Prisma, SubscriptionStatus } from "@/generated/prisma/client";
import type { Db } from "../db";
import { fromUnix, idOf, type Stripe, stripe } from "./stripe";

/**
 * Bringing our rows in step with Stripe. Every function re-reads the object from Stripe and
 * writes what it says now, under a lock per Stripe customer: whatever order events arrive in,
 * however often, the last sync of a customer reads Stripe's latest state and writes it, so the
 * database converges to the same rows as one in-order delivery.
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

/** Runs `work` holding the customer's lock, with the Kindred user it belongs to. */
async function asCustomer<T>(
  db: Db,
  customerId: string | null,
  work: (tx: Tx, userId: string) => Promise<T>,
): Promise<T> {
  if (!customerId) throw new UnknownCustomer(null);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`stripe:${customerId}`}, 0))`;
    const owner = await tx.billingCustomer.findUnique({
      where: { stripeCustomerId: customerId },
      select: { userId: true },
    });
    if (!owner) throw new UnknownCustomer(customerId);
    return work(tx, owner.userId);
  }, TX);
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
  const first = await fetchSubscription(subscriptionId);
  const customerId = idOf(first.customer);
  await asCustomer(db, customerId, async (tx, userId) => {
    // Read again under the lock: a sync that waited behind another must write the newer state.
    const sub = await fetchSubscription(subscriptionId);
    await writeSubscription(tx, userId, sub, null);
  });
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
  const first = await stripe().invoices.retrieve(invoiceId);
  return asCustomer(db, idOf(first.customer), async (tx, userId) => {
    const invoice = await stripe().invoices.retrieve(invoiceId);
    await writeInvoice(tx, userId, invoice);
    const subId = invoiceSubscriptionId(invoice);
    const sub = subId ? await fetchSubscription(subId) : null;
    if (sub) await writeSubscription(tx, userId, sub, null);
    return { userId, invoice, subscription: sub };
  });
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
  | { kind: "purchase"; userId: string; planId: string; created: boolean }
  | { kind: "subscription"; userId: string }
  | { kind: "open" };

/** A completed Checkout Session: the purchase it paid for, or the subscription it started. */
export async function syncCheckoutSession(db: Db, sessionId: string): Promise<CheckoutOutcome> {
  const first = await stripe().checkout.sessions.retrieve(sessionId);
  return asCustomer(db, idOf(first.customer), async (tx, userId) => {
    const session = await stripe().checkout.sessions.retrieve(sessionId);
    if (session.status !== "complete") return { kind: "open" as const };
    if (session.mode === "subscription") {
      const subId = idOf(session.subscription);
      if (subId) await writeSubscription(tx, userId, await fetchSubscription(subId), session.id);
      return { kind: "subscription" as const, userId };
    }
    const planId = session.metadata?.planId;
    if (!planId) throw new Error(`checkout session ${session.id} names no plan`);
    const intentId = idOf(session.payment_intent);
    const intent = intentId ? await stripe().paymentIntents.retrieve(intentId) : null;
    const chargeId = idOf(intent?.latest_charge ?? null);
    const charge = chargeId ? await fetchCharge(chargeId) : null;
    const amount = session.amount_total ?? intent?.amount ?? 0;
    const data = {
      userId,
      planId,
      paymentIntentId: intentId,
      amount,
      currency: session.currency ?? intent?.currency ?? "usd",
      paidAt: fromUnix(charge?.created ?? session.created) ?? new Date(0),
      ...chargeFacts(charge, amount),
    };
    const existing = await tx.purchase.findUnique({
      where: { checkoutSessionId: session.id },
      select: { id: true },
    });
    const purchase = await tx.purchase.upsert({
      where: { checkoutSessionId: session.id },
      create: { checkoutSessionId: session.id, ...data },
      update: data,
      select: { id: true },
    });
    if (charge) await writeRefunds(tx, charge, purchase.id);
    return { kind: "purchase" as const, userId, planId, created: !existing };
  });
}

/** A charge's refunds and dispute, onto the purchase it paid (if any) and the refund list. */
export async function syncCharge(db: Db, chargeId: string): Promise<void> {
  const first = await fetchCharge(chargeId);
  await asCustomer(db, idOf(first.customer), async (tx) => {
    const charge = await fetchCharge(chargeId);
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
  });
}
