import type Stripe from "stripe";
import { type EmuContext, hostedUrl } from "./context";
import { invalidRequest, noSuch } from "./errors";
import { formatMoney } from "./format";
import {
  type AnyObject,
  cardChargesFail,
  chargeObject,
  DECLINE_MESSAGE,
  disputeObject,
  type EmuInvoice,
  type EmuSubscription,
  type Interval,
  invoiceObject,
  invoicePaymentObject,
  type Metadata,
  paymentIntentObject,
  paymentMethodObject,
  previousAttributes,
  refundObject,
  subscriptionItem,
  subscriptionObject,
  type TestCard,
  trialNoticeAt,
} from "./objects";
import type { Stored, StripeEmuReader, StripeEmuTx } from "./store";
import { emitEvent } from "./webhooks";

/**
 * The billing behaviour: charging cards, subscription invoices, renewals and retries, cancels,
 * pauses, refunds and disputes. Every function runs inside the caller's transaction and locks
 * the rows it changes, and emits the events Stripe would.
 */

export const DAY = 86_400;
/** Stripe's default Smart Retries are replaced by a plain schedule: every 3 days, 3 attempts. */
export const RETRY_DELAY_SECONDS = 3 * DAY;
export const MAX_PAYMENT_ATTEMPTS = 3;

const clone = <T>(value: T): T => structuredClone(value);
const asAny = (value: unknown) => value as AnyObject;
const asRecord = (value: unknown) => value as Record<string, unknown>;

/** A deleted object (a customer's stub) is gone for every call but its own retrieve. */
function isDeleted(object: Stored): boolean {
  return (object as { deleted?: unknown }).deleted === true;
}

export async function lockOrThrow<T extends Stored>(
  tx: StripeEmuTx,
  id: string,
  kind: string,
  type: string,
  param = "id",
): Promise<T> {
  const object = await tx.lock<T>(id);
  if (!object || object.object !== type || isDeleted(object)) throw noSuch(kind, id, param);
  return object;
}

export async function getOrThrow<T extends Stored>(
  reader: StripeEmuReader,
  id: string,
  kind: string,
  type: string,
  param = "id",
): Promise<T> {
  const object = await reader.get<T>(id);
  if (!object || object.object !== type || isDeleted(object)) throw noSuch(kind, id, param);
  return object;
}

// ─── Periods ────────────────────────────────────────────────────────────────────────────────

function addMonths(anchor: number, months: number): number {
  const date = new Date(anchor * 1000);
  const day = date.getUTCDate();
  const target = new Date(date);
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  // The 31st renews on the last day of shorter months, and on the 31st again after them.
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return Math.floor(target.getTime() / 1000);
}

function addIntervals(anchor: number, interval: Interval, count: number, n: number): number {
  switch (interval) {
    case "day":
      return anchor + n * count * DAY;
    case "week":
      return anchor + n * count * 7 * DAY;
    case "month":
      return addMonths(anchor, n * count);
    case "year":
      return addMonths(anchor, n * count * 12);
  }
}

/** The first period boundary after `after`, counted from the billing cycle anchor. */
export function periodEndAfter(anchor: number, recurring: Stripe.Price.Recurring, after: number) {
  for (let n = 1; n < 100_000; n++) {
    const end = addIntervals(anchor, recurring.interval as Interval, recurring.interval_count, n);
    if (end > after) return end;
  }
  throw new Error("period out of range");
}

// ─── Cards and charges ──────────────────────────────────────────────────────────────────────

export async function attachCard(
  tx: StripeEmuTx,
  ctx: EmuContext,
  card: TestCard,
  customer: string | null,
  email: string | null,
): Promise<Stripe.PaymentMethod> {
  const pm = paymentMethodObject({ created: ctx.now, card, customer, email });
  await tx.insert(asAny(pm));
  if (customer) await emitEvent(tx, ctx, "payment_method.attached", asAny(pm));
  return pm;
}

export async function setDefaultCard(
  tx: StripeEmuTx,
  ctx: EmuContext,
  customerId: string,
  pm: string,
): Promise<void> {
  const customer = await lockOrThrow<Stripe.Customer & AnyObject>(
    tx,
    customerId,
    "customer",
    "customer",
  );
  const before = clone(customer);
  customer.invoice_settings.default_payment_method = pm;
  await tx.update(customer);
  await emitEvent(tx, ctx, "customer.updated", customer, before);
}

const declined = {
  code: "card_declined",
  declineCode: "generic_decline",
  message: DECLINE_MESSAGE,
};

/**
 * One charge attempt on `pi` (new or locked by the caller) with a saved card; updates the
 * PaymentIntent (not saved here) and stores the charge.
 */
async function chargeCard(
  tx: StripeEmuTx,
  ctx: EmuContext,
  pi: Stripe.PaymentIntent,
  pm: Stripe.PaymentMethod,
): Promise<{ charge: Stripe.Charge; ok: boolean }> {
  const failure = cardChargesFail(pm) ? declined : null;
  const charge = chargeObject({
    created: ctx.now,
    amount: pi.amount,
    currency: pi.currency,
    customer: typeof pi.customer === "string" ? pi.customer : null,
    description: pi.description,
    metadata: pi.metadata,
    paymentIntent: pi.id,
    paymentMethod: pm,
    failure,
  });
  await tx.insert(asAny(charge));
  pi.latest_charge = charge.id;
  pi.payment_method = pm.id;
  if (failure) {
    pi.status = "requires_payment_method";
    pi.last_payment_error = {
      type: "card_error",
      code: failure.code,
      decline_code: failure.declineCode,
      message: failure.message,
      charge: charge.id,
      payment_method: pm,
    };
  } else {
    pi.status = "succeeded";
    pi.amount_received = pi.amount;
    pi.last_payment_error = null;
  }
  return { charge, ok: !failure };
}

async function emitChargeEvents(
  tx: StripeEmuTx,
  ctx: EmuContext,
  charge: Stripe.Charge,
  pi: Stripe.PaymentIntent,
  ok: boolean,
): Promise<void> {
  await emitEvent(tx, ctx, ok ? "charge.succeeded" : "charge.failed", asAny(charge));
  await emitEvent(
    tx,
    ctx,
    ok ? "payment_intent.succeeded" : "payment_intent.payment_failed",
    asAny(pi),
  );
}

/** A one-time payment (Checkout in payment mode): a succeeded PaymentIntent and its charge. */
export async function payOnce(
  tx: StripeEmuTx,
  ctx: EmuContext,
  input: {
    amount: number;
    currency: string;
    customer: string | null;
    description: string | null;
    metadata: Metadata;
    pm: Stripe.PaymentMethod;
  },
): Promise<{ pi: Stripe.PaymentIntent; ok: boolean }> {
  const pi = paymentIntentObject({
    created: ctx.now,
    amount: input.amount,
    currency: input.currency,
    customer: input.customer,
    description: input.description,
    metadata: input.metadata,
    paymentMethod: input.pm.id,
  });
  await emitEvent(tx, ctx, "payment_intent.created", asAny(pi));
  const { charge, ok } = await chargeCard(tx, ctx, pi, input.pm);
  await tx.insert(asAny(pi));
  await emitChargeEvents(tx, ctx, charge, pi, ok);
  return { pi, ok };
}

export async function defaultPaymentMethod(
  tx: StripeEmuTx,
  sub: Stripe.Subscription,
): Promise<Stripe.PaymentMethod | null> {
  let id = typeof sub.default_payment_method === "string" ? sub.default_payment_method : null;
  if (!id) {
    const customer = await tx.get<Stripe.Customer & AnyObject>(sub.customer as string);
    const pm = customer?.invoice_settings.default_payment_method;
    id = typeof pm === "string" ? pm : null;
  }
  return id ? await tx.get<Stripe.PaymentMethod & AnyObject>(id) : null;
}

// ─── Invoices ───────────────────────────────────────────────────────────────────────────────

async function nextInvoiceNumber(tx: StripeEmuTx, customerId: string) {
  const customer = await lockOrThrow<Stripe.Customer & AnyObject>(
    tx,
    customerId,
    "customer",
    "customer",
  );
  const sequence = customer.next_invoice_sequence ?? 1;
  customer.next_invoice_sequence = sequence + 1;
  await tx.update(customer);
  return { customer, number: `${customer.invoice_prefix}-${String(sequence).padStart(4, "0")}` };
}

async function buildInvoice(
  tx: StripeEmuTx,
  ctx: EmuContext,
  sub: Stripe.Subscription,
  input: {
    amount: number;
    period: { start: number; end: number };
    usagePeriod: { start: number; end: number };
    billingReason: Stripe.Invoice.BillingReason;
  },
): Promise<EmuInvoice> {
  const item = subscriptionItem(sub);
  const { customer, number } = await nextInvoiceNumber(tx, sub.customer as string);
  return invoiceObject({
    created: ctx.now,
    customer,
    number,
    subscription: sub,
    price: item.price,
    quantity: item.quantity ?? 1,
    hostedUrl: (id) => hostedUrl(ctx, `/invoices/${id}`),
    ...input,
  });
}

/** Stores a finalized invoice; one with nothing to pay is paid at once, a paused one voided. */
async function finalizeInvoice(
  tx: StripeEmuTx,
  ctx: EmuContext,
  invoice: EmuInvoice,
  options: { void?: boolean } = {},
): Promise<void> {
  if (options.void) {
    invoice.status = "void";
    invoice.amount_remaining = 0;
    invoice.status_transitions.voided_at = ctx.now;
  } else if (invoice.amount_due === 0) {
    invoice.status = "paid";
    invoice.status_transitions.paid_at = ctx.now;
  }
  await tx.insert(asAny(invoice));
  await emitEvent(tx, ctx, "invoice.created", asAny(invoice));
  await emitEvent(tx, ctx, "invoice.finalized", asAny(invoice));
  if (options.void) await emitEvent(tx, ctx, "invoice.voided", asAny(invoice));
  else if (invoice.status === "paid") {
    await emitEvent(tx, ctx, "invoice.paid", asAny(invoice));
    await emitEvent(tx, ctx, "invoice.payment_succeeded", asAny(invoice));
  }
}

/**
 * One payment attempt on an open invoice (stored, locked by the caller) with `pm`. The invoice's
 * PaymentIntent is created on the first attempt and reused by retries, as Stripe does.
 * `retryAt` is when a failed attempt will be retried (null: no more retries).
 */
export async function attemptInvoicePayment(
  tx: StripeEmuTx,
  ctx: EmuContext,
  invoice: EmuInvoice,
  pm: Stripe.PaymentMethod | null,
  retryAt: number | null,
): Promise<boolean> {
  if (invoice.status !== "open") return invoice.status === "paid";
  const before = clone(invoice);
  let ok = false;
  if (pm) {
    let pi = invoice._payment_intent
      ? await tx.lock<Stripe.PaymentIntent & AnyObject>(invoice._payment_intent)
      : null;
    const isNew = !pi;
    if (!pi) {
      pi = paymentIntentObject({
        created: ctx.now,
        amount: invoice.amount_due,
        currency: invoice.currency,
        customer: invoice.customer as string,
        description:
          invoice.billing_reason === "subscription_create"
            ? "Subscription creation"
            : "Subscription update",
        metadata: {},
        paymentMethod: pm.id,
      }) as Stripe.PaymentIntent & AnyObject;
      invoice._payment_intent = pi.id;
    }
    const result = await chargeCard(tx, ctx, pi, pm);
    ok = result.ok;
    if (isNew) {
      await tx.insert(pi);
      await tx.insert(
        asAny(invoicePaymentObject({ created: ctx.now, invoice, paymentIntent: pi.id })),
      );
    } else {
      await tx.update(pi);
    }
    await emitChargeEvents(tx, ctx, result.charge, pi, ok);
    if (ok) await markInvoicePaymentPaid(tx, ctx, invoice, pi.id);
  }
  invoice.attempt_count += 1;
  invoice.attempted = true;
  if (ok) {
    invoice.status = "paid";
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.next_payment_attempt = null;
    invoice.status_transitions.paid_at = ctx.now;
  } else {
    invoice.next_payment_attempt = retryAt;
  }
  await tx.update(asAny(invoice));
  if (ok) {
    await emitEvent(tx, ctx, "invoice.paid", asAny(invoice), asAny(before));
    await emitEvent(tx, ctx, "invoice.payment_succeeded", asAny(invoice), asAny(before));
  } else {
    await emitEvent(tx, ctx, "invoice.payment_failed", asAny(invoice), asAny(before));
  }
  return ok;
}

async function markInvoicePaymentPaid(
  tx: StripeEmuTx,
  ctx: EmuContext,
  invoice: Stripe.Invoice,
  pi: string,
): Promise<void> {
  const { data } = await tx.list<Stripe.InvoicePayment & AnyObject>({
    type: "invoice_payment",
    contains: { invoice: invoice.id, payment: { payment_intent: pi } },
    limit: 1,
  });
  const payment = data[0];
  if (!payment) return;
  payment.status = "paid";
  payment.amount_paid = invoice.amount_due;
  payment.status_transitions.paid_at = ctx.now;
  await tx.update(payment);
}

// ─── Subscriptions ──────────────────────────────────────────────────────────────────────────

/** A subscription from Checkout: trialing (a $0 invoice), or active with a paid first invoice. */
export async function startSubscription(
  tx: StripeEmuTx,
  ctx: EmuContext,
  input: {
    customer: string;
    price: Stripe.Price;
    quantity: number;
    trialDays: number | null;
    metadata: Metadata;
    pm: Stripe.PaymentMethod;
  },
): Promise<EmuSubscription> {
  const now = ctx.now;
  const trial = input.trialDays ? { start: now, end: now + input.trialDays * DAY } : null;
  const periodEnd = trial ? trial.end : periodEndAfter(now, input.price.recurring!, now);
  const sub = subscriptionObject({
    created: now,
    customer: input.customer,
    price: input.price,
    quantity: input.quantity,
    periodStart: now,
    periodEnd,
    trial,
    defaultPaymentMethod: input.pm.id,
    metadata: input.metadata,
  });
  const invoice = await buildInvoice(tx, ctx, sub, {
    amount: trial ? 0 : (input.price.unit_amount ?? 0) * input.quantity,
    period: { start: now, end: periodEnd },
    usagePeriod: { start: now, end: now },
    billingReason: "subscription_create",
  });
  sub.latest_invoice = invoice.id;
  await tx.insert(asAny(sub));
  await emitEvent(tx, ctx, "customer.subscription.created", asAny(sub));
  await finalizeInvoice(tx, ctx, invoice);
  if (invoice.status === "open") {
    const paid = await attemptInvoicePayment(tx, ctx, invoice, input.pm, null);
    // Checkout refuses a card that fails before it gets here; keep Stripe's outcome regardless.
    if (!paid) {
      const before = clone(sub);
      sub.status = "incomplete";
      await tx.update(asAny(sub));
      await emitEvent(tx, ctx, "customer.subscription.updated", asAny(sub), asAny(before));
    }
  }
  return sub;
}

function endSubscription(sub: EmuSubscription, at: number, reason: string): void {
  sub.status = "canceled";
  sub.ended_at = at;
  sub.canceled_at ??= at;
  sub.cancel_at ??= at;
  sub._retry_at = null;
  sub.cancellation_details = {
    comment: sub.cancellation_details?.comment ?? null,
    feedback: sub.cancellation_details?.feedback ?? null,
    feedback_option: sub.cancellation_details?.feedback_option ?? null,
    reason: reason as Stripe.Subscription.CancellationDetails.Reason,
  };
}

export async function cancelSubscriptionNow(
  tx: StripeEmuTx,
  ctx: EmuContext,
  sub: EmuSubscription,
): Promise<void> {
  if (sub.status === "canceled" || sub.status === "incomplete_expired") {
    throw invalidRequest(`Subscription ${sub.id} has already been canceled.`);
  }
  const before = clone(sub);
  sub.cancel_at_period_end = false;
  sub.canceled_at = ctx.now;
  sub.cancel_at = null;
  endSubscription(sub, ctx.now, "cancellation_requested");
  await tx.update(asAny(sub));
  await emitEvent(tx, ctx, "customer.subscription.deleted", asAny(sub), asAny(before));
}

function refuseIfCanceled(sub: Stripe.Subscription): void {
  if (sub.status === "canceled" || sub.status === "incomplete_expired") {
    throw invalidRequest(
      "A canceled subscription can only update its cancellation_details and metadata.",
    );
  }
}

export function setCancelAtPeriodEnd(sub: EmuSubscription, flag: boolean, now: number): void {
  refuseIfCanceled(sub);
  if (sub.cancel_at_period_end === flag) return;
  sub.cancel_at_period_end = flag;
  if (flag) {
    sub.cancel_at =
      sub.status === "trialing" && sub.trial_end
        ? sub.trial_end
        : subscriptionItem(sub).current_period_end;
    sub.canceled_at = now;
    sub.cancellation_details = {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: "cancellation_requested",
    };
  } else {
    sub.cancel_at = null;
    sub.canceled_at = null;
    sub.cancellation_details = {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: null,
    };
  }
}

export function setPauseCollection(
  sub: EmuSubscription,
  pause: Stripe.Subscription.PauseCollection | null,
): void {
  refuseIfCanceled(sub);
  sub.pause_collection = pause;
}

/**
 * Saves a changed subscription with its events: customer.subscription.updated, and .paused /
 * .resumed when collection was paused or resumed (this emulator's reading of those events).
 */
export async function saveSubscriptionChange(
  tx: StripeEmuTx,
  ctx: EmuContext,
  sub: EmuSubscription,
  before: EmuSubscription,
): Promise<void> {
  if (JSON.stringify(sub) === JSON.stringify(before)) return;
  await tx.update(asAny(sub));
  // Bookkeeping alone (the next retry's time) is no change a webhook would tell about.
  if (!previousAttributes(asRecord(before), asRecord(sub))) return;
  await emitEvent(tx, ctx, "customer.subscription.updated", asAny(sub), asAny(before));
  if (!before.pause_collection && sub.pause_collection) {
    await emitEvent(tx, ctx, "customer.subscription.paused", asAny(sub), asAny(before));
  } else if (before.pause_collection && !sub.pause_collection) {
    await emitEvent(tx, ctx, "customer.subscription.resumed", asAny(sub), asAny(before));
  }
}

type Step = { kind: "trial-notice" | "cycle" | "cancel" | "retry" | "resume"; at: number };

function nextStep(sub: EmuSubscription, now: number): Step | null {
  if (!["trialing", "active", "past_due"].includes(sub.status)) return null;
  const item = subscriptionItem(sub);
  const ends = sub.status === "trialing" && sub.trial_end ? sub.trial_end : item.current_period_end;
  const retry = sub.status === "past_due" && !sub.pause_collection ? (sub._retry_at ?? null) : null;
  const resumes = sub.pause_collection?.resumes_at ?? null;
  const notice = trialNoticeAt(sub);
  const steps: Step[] = [];
  if (notice !== null) steps.push({ kind: "trial-notice", at: notice });
  if (resumes !== null) steps.push({ kind: "resume", at: resumes });
  if (retry !== null && retry < ends) steps.push({ kind: "retry", at: retry });
  steps.push({ kind: sub.cancel_at_period_end ? "cancel" : "cycle", at: ends });
  // The earliest that is due; on a tie, the order above (a pause ending before the renewal).
  return steps.filter((s) => s.at <= now).sort((a, b) => a.at - b.at)[0] ?? null;
}

/**
 * Does the earliest piece of work due on one subscription (a trial's end, a renewal, a retry, a
 * cancellation at period end, a pause's end) at the moment it was due; false when nothing is
 * due. Callers repeat until false.
 */
export async function processSubscription(
  tx: StripeEmuTx,
  base: EmuContext,
  id: string,
  now: number,
): Promise<boolean> {
  // Locks in one order everywhere (customer, subscription, invoice, payment): no deadlocks.
  // Waiting for a process that holds the row (rather than skipping it) means that when a clock
  // move returns, everything it made due is done; the step below re-reads what is due.
  const peek = await tx.get<EmuSubscription>(id);
  if (peek?.object !== "subscription") return false;
  await tx.lock(peek.customer as string);
  const sub = await tx.lock<EmuSubscription>(id);
  if (!sub) return false;
  const step = nextStep(sub, now);
  if (!step) return false;
  // Objects and events carry the moment the work was due, as with Stripe's test clocks.
  const ctx: EmuContext = { ...base, now: step.at };
  try {
    return await runStep(tx, ctx, sub, step);
  } finally {
    base.emitted += ctx.emitted;
  }
}

async function runStep(
  tx: StripeEmuTx,
  ctx: EmuContext,
  sub: EmuSubscription,
  step: Step,
): Promise<boolean> {
  const before = clone(sub);
  const item = subscriptionItem(sub);

  if (step.kind === "trial-notice") {
    sub._trial_notice_for = sub.trial_end;
    await tx.update(asAny(sub));
    await emitEvent(tx, ctx, "customer.subscription.trial_will_end", asAny(sub));
    return true;
  }

  if (step.kind === "resume") {
    setPauseCollection(sub, null);
    await saveSubscriptionChange(tx, ctx, sub, before);
    return true;
  }

  if (step.kind === "cancel") {
    endSubscription(sub, step.at, "cancellation_requested");
    await tx.update(asAny(sub));
    await emitEvent(tx, ctx, "customer.subscription.deleted", asAny(sub), asAny(before));
    return true;
  }

  const pm = await defaultPaymentMethod(tx, sub);
  const retryAt = step.at + RETRY_DELAY_SECONDS;

  if (step.kind === "retry") {
    const invoice = await tx.lock<EmuInvoice>(sub.latest_invoice as string);
    if (invoice?.status !== "open") {
      sub._retry_at = null;
      sub.status = "active";
    } else {
      const last = invoice.attempt_count + 1 >= MAX_PAYMENT_ATTEMPTS;
      const paid = await attemptInvoicePayment(tx, ctx, invoice, pm, last ? null : retryAt);
      if (paid) {
        sub.status = "active";
        sub._retry_at = null;
      } else if (last) {
        endSubscription(sub, step.at, "payment_failed");
        await tx.update(asAny(sub));
        await emitEvent(tx, ctx, "customer.subscription.deleted", asAny(sub), asAny(before));
        return true;
      } else {
        sub._retry_at = retryAt;
      }
    }
    await saveSubscriptionChange(tx, ctx, sub, before);
    return true;
  }

  // A new period: from the trial's end or the old period's end.
  const start = step.at;
  const anchor = sub.billing_cycle_anchor;
  const end = periodEndAfter(anchor, item.price.recurring!, start);
  const usagePeriod = { start: item.current_period_start, end: item.current_period_end };
  item.current_period_start = start;
  item.current_period_end = end;
  if (sub.status === "trialing") sub.status = "active";
  const invoice = await buildInvoice(tx, ctx, sub, {
    amount: (item.price.unit_amount ?? 0) * (item.quantity ?? 1),
    period: { start, end },
    usagePeriod,
    billingReason: "subscription_cycle",
  });
  sub.latest_invoice = invoice.id;
  if (sub.pause_collection) {
    await finalizeInvoice(tx, ctx, invoice, { void: true });
  } else {
    await finalizeInvoice(tx, ctx, invoice);
    if (invoice.status === "open") {
      const paid = await attemptInvoicePayment(tx, ctx, invoice, pm, retryAt);
      if (paid) {
        sub.status = "active";
        sub._retry_at = null;
      } else {
        sub.status = "past_due";
        sub._retry_at = retryAt;
      }
    }
  }
  await saveSubscriptionChange(tx, ctx, sub, before);
  return true;
}

/**
 * The portal's "update card": a new default card for the customer and their subscriptions, and
 * each past-due subscription's open invoice paid with it right away.
 */
export async function replaceCard(
  tx: StripeEmuTx,
  ctx: EmuContext,
  customerId: string,
  card: TestCard,
): Promise<{ pm: Stripe.PaymentMethod; paid: number; failed: number }> {
  const customer = await lockOrThrow<Stripe.Customer & AnyObject>(
    tx,
    customerId,
    "customer",
    "customer",
  );
  const pm = await attachCard(tx, ctx, card, customerId, customer.email);
  await setDefaultCard(tx, ctx, customerId, pm.id);
  const { data } = await tx.list<EmuSubscription>({
    type: "subscription",
    customer: customerId,
    fieldIn: { status: ["trialing", "active", "past_due", "unpaid"] },
    limit: 100,
  });
  let paid = 0;
  let failed = 0;
  for (const listed of data) {
    const sub = await tx.lock<EmuSubscription>(listed.id);
    if (!sub) continue;
    const before = clone(sub);
    sub.default_payment_method = pm.id;
    if (sub.status === "past_due" && typeof sub.latest_invoice === "string") {
      const invoice = await tx.lock<EmuInvoice>(sub.latest_invoice);
      if (invoice?.status === "open") {
        const retryAt = sub._retry_at ?? null;
        if (await attemptInvoicePayment(tx, ctx, invoice, pm, retryAt)) {
          sub.status = "active";
          sub._retry_at = null;
          paid++;
        } else {
          failed++;
        }
      }
    }
    await saveSubscriptionChange(tx, ctx, sub, before);
  }
  return { pm, paid, failed };
}

// ─── Refunds and disputes ───────────────────────────────────────────────────────────────────

export async function refundCharge(
  tx: StripeEmuTx,
  ctx: EmuContext,
  input: {
    charge: string;
    param: string;
    amount: number | undefined;
    reason: Stripe.Refund.Reason | null;
    metadata: Metadata;
  },
): Promise<Stripe.Refund> {
  const charge = await lockOrThrow<Stripe.Charge & AnyObject>(
    tx,
    input.charge,
    "charge",
    "charge",
    input.param,
  );
  if (charge.status !== "succeeded") {
    throw invalidRequest(
      `Charge ${charge.id} has not succeeded, so it cannot be refunded.`,
      input.param,
      "charge_not_refundable",
    );
  }
  if (charge.disputed) {
    throw invalidRequest(
      `Charge ${charge.id} has been charged back; cannot issue a refund.`,
      input.param,
      "charge_disputed",
    );
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) {
    throw invalidRequest(
      `Charge ${charge.id} has already been refunded.`,
      input.param,
      "charge_already_refunded",
    );
  }
  const amount = input.amount ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(remaining, charge.currency)})`,
      "amount",
      "amount_too_large",
    );
  }
  const refund = refundObject({
    created: ctx.now,
    amount,
    charge,
    reason: input.reason,
    metadata: input.metadata,
  });
  await tx.insert(asAny(refund));
  const before = clone(charge);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  await tx.update(charge);
  await emitEvent(tx, ctx, "refund.created", asAny(refund));
  await emitEvent(tx, ctx, "charge.refunded", charge, before);
  return refund;
}

export async function openDispute(
  tx: StripeEmuTx,
  ctx: EmuContext,
  input: { charge: string; amount?: number; reason?: string },
): Promise<Stripe.Dispute> {
  const charge = await lockOrThrow<Stripe.Charge & AnyObject>(
    tx,
    input.charge,
    "charge",
    "charge",
    "charge",
  );
  if (charge.status !== "succeeded")
    throw invalidRequest("Only a succeeded charge can be disputed.");
  if (charge.disputed) throw invalidRequest(`Charge ${charge.id} is already disputed.`);
  const amount = input.amount ?? charge.amount - charge.amount_refunded;
  if (!Number.isInteger(amount) || amount < 1 || amount > charge.amount) {
    throw invalidRequest("The dispute amount must be between 1 and the charge's amount.", "amount");
  }
  const dispute = disputeObject({
    created: ctx.now,
    charge,
    amount,
    reason: input.reason ?? "fraudulent",
  });
  await tx.insert(asAny(dispute));
  const before = clone(charge);
  charge.disputed = true;
  await tx.update(charge);
  await emitEvent(tx, ctx, "charge.dispute.created", asAny(dispute));
  await emitEvent(tx, ctx, "charge.updated", charge, before);
  return dispute;
}
