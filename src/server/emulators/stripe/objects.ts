import { randomBytes } from "node:crypto";
import Stripe from "stripe";

/**
 * The shapes of the emulated objects, typed with the SDK's own types for the API version it pins
 * (`Stripe.API_VERSION`), so the compiler checks that every field app code can read is there.
 * Keys starting with "_" are the emulator's own bookkeeping: stored, never returned.
 */
export const API_VERSION: string = Stripe.API_VERSION;

type Decimal = NonNullable<Stripe.Price["unit_amount_decimal"]>;
/** JSON carries decimals as strings; the SDK turns them into its Decimal on the way in. */
const decimal = (value: number) => String(value) as unknown as Decimal;

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Stripe-looking ids: a prefix and random base62 characters (cus_…, sub_…, evt_…). */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte % 62];
  return `${prefix}_${out}`;
}

export type Metadata = Record<string, string>;
export type AnyObject = { id: string; object: string; [key: string]: unknown };

/** What the API returns for a stored object: its private bookkeeping removed (deeply). */
export function toApi<T>(value: T): T {
  if (Array.isArray(value)) return value.map(toApi) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (!key.startsWith("_")) out[key] = toApi(v);
    }
    return out as T;
  }
  return value;
}

export function listObject<T>(data: T[], url: string, hasMore: boolean): Stripe.ApiList<T> {
  return { object: "list", data, has_more: hasMore, url };
}

// ─── Test cards ─────────────────────────────────────────────────────────────────────────────

export type CardBehaviour = "succeeds" | "declined" | "insufficient_funds" | "fails_later";
export type TestCard = {
  number: string;
  brand: string;
  last4: string;
  behaviour: CardBehaviour;
  label: string;
};

/** Stripe's own test numbers, with the behaviour Stripe gives them. */
export const TEST_CARDS: readonly TestCard[] = [
  {
    number: "4242424242424242",
    brand: "visa",
    last4: "4242",
    behaviour: "succeeds",
    label: "succeeds",
  },
  {
    number: "5555555555554444",
    brand: "mastercard",
    last4: "4444",
    behaviour: "succeeds",
    label: "succeeds (Mastercard)",
  },
  {
    number: "4000000000000002",
    brand: "visa",
    last4: "0002",
    behaviour: "declined",
    label: "is declined",
  },
  {
    number: "4000000000009995",
    brand: "visa",
    last4: "9995",
    behaviour: "insufficient_funds",
    label: "is declined (insufficient funds)",
  },
  {
    number: "4000000000000341",
    brand: "visa",
    last4: "0341",
    behaviour: "fails_later",
    label: "is saved, but every later charge fails",
  },
];

export function testCard(input: string): TestCard | null {
  const digits = input.replace(/[\s-]/g, "");
  return TEST_CARDS.find((card) => card.number === digits) ?? null;
}

/** Whether a charge on this saved card fails (Stripe's 4000 0000 0000 0341). */
export function cardChargesFail(pm: Stripe.PaymentMethod): boolean {
  return pm.card?.last4 === "0341";
}

export const DECLINE_MESSAGE = "Your card was declined.";
export const INSUFFICIENT_FUNDS_MESSAGE = "Your card has insufficient funds.";

// ─── Customers, products, prices, payment methods ──────────────────────────────────────────

export function customerObject(input: {
  created: number;
  email: string | null;
  name: string | null;
  description: string | null;
  phone: string | null;
  metadata: Metadata;
}): Stripe.Customer {
  return {
    id: newId("cus", 14),
    object: "customer",
    address: null,
    balance: 0,
    created: input.created,
    currency: null,
    default_source: null,
    delinquent: false,
    description: input.description,
    discount: null,
    email: input.email,
    invoice_prefix: randomBytes(4).toString("hex").toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: input.metadata,
    name: input.name,
    next_invoice_sequence: 1,
    phone: input.phone,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}

export function productObject(input: {
  id?: string;
  created: number;
  name: string;
  description: string | null;
  active: boolean;
  metadata: Metadata;
}): Stripe.Product {
  return {
    id: input.id ?? newId("prod", 14),
    object: "product",
    active: input.active,
    created: input.created,
    default_price: null,
    description: input.description,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: input.metadata,
    name: input.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: "service",
    unit_label: null,
    updated: input.created,
    url: null,
  };
}

export type Interval = "day" | "week" | "month" | "year";

export function priceObject(input: {
  created: number;
  product: string;
  unitAmount: number;
  currency: string;
  recurring: { interval: Interval; intervalCount: number } | null;
  active: boolean;
  nickname: string | null;
  lookupKey: string | null;
  metadata: Metadata;
}): Stripe.Price {
  return {
    id: newId("price"),
    object: "price",
    active: input.active,
    billing_scheme: "per_unit",
    created: input.created,
    currency: input.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: input.lookupKey,
    metadata: input.metadata,
    nickname: input.nickname,
    product: input.product,
    recurring: input.recurring
      ? {
          interval: input.recurring.interval,
          interval_count: input.recurring.intervalCount,
          meter: null,
          trial_period_days: null,
          usage_type: "licensed",
        }
      : null,
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: input.recurring ? "recurring" : "one_time",
    unit_amount: input.unitAmount,
    unit_amount_decimal: decimal(input.unitAmount),
  };
}

export function paymentMethodObject(input: {
  created: number;
  card: TestCard;
  customer: string | null;
  email: string | null;
}): Stripe.PaymentMethod {
  const expYear = new Date(input.created * 1000).getUTCFullYear() + 3;
  return {
    id: newId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: { address: null, email: input.email, name: null, phone: null, tax_id: null },
    card: {
      brand: input.card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: "pass" },
      country: "US",
      display_brand: input.card.brand,
      exp_month: 12,
      exp_year: expYear,
      fingerprint: `emu${input.card.number.slice(-8)}`,
      funding: "credit",
      generated_from: null,
      last4: input.card.last4,
      networks: { available: [input.card.brand], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: input.created,
    customer: input.customer,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: "card",
  };
}

// ─── Subscriptions ──────────────────────────────────────────────────────────────────────────

export function planFromPrice(price: Stripe.Price): Stripe.Plan {
  const recurring = price.recurring!;
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: "per_unit",
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: false,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  };
}

/** A subscription with the emulator's one bookkeeping field: when a failed payment is retried. */
export type EmuSubscription = Stripe.Subscription & {
  _retry_at?: number | null;
  /** The trial end `customer.subscription.trial_will_end` was sent for (once per trial end). */
  _trial_notice_for?: number | null;
};

/** Stripe tells of a trial's end three days before it (at once when the trial is shorter). */
export const TRIAL_NOTICE_SECONDS = 3 * 86_400;

/** When the trial-ending notice is due, or null when there is none to send. */
export function trialNoticeAt(sub: EmuSubscription): number | null {
  if (sub.status !== "trialing" || sub.trial_end === null) return null;
  if (sub._trial_notice_for === sub.trial_end) return null;
  return Math.max(sub.trial_start ?? sub.created, sub.trial_end - TRIAL_NOTICE_SECONDS);
}

export function subscriptionObject(input: {
  created: number;
  customer: string;
  price: Stripe.Price;
  quantity: number;
  periodStart: number;
  periodEnd: number;
  trial: { start: number; end: number } | null;
  defaultPaymentMethod: string | null;
  metadata: Metadata;
}): EmuSubscription {
  const id = newId("sub");
  const item: Stripe.SubscriptionItem = {
    id: newId("si", 14),
    object: "subscription_item",
    billing_thresholds: null,
    created: input.created,
    current_period_end: input.periodEnd,
    current_period_start: input.periodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planFromPrice(input.price),
    price: input.price,
    quantity: input.quantity,
    subscription: id,
    tax_rates: [],
  };
  return {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: input.trial ? input.trial.end : input.periodStart,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: "classic" },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: input.created,
    currency: input.price.currency,
    customer: input.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: "self" },
    },
    items: listObject([item], `/v1/subscription_items?subscription=${id}`, false),
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: "off",
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: input.created,
    status: input.trial ? "trialing" : "active",
    test_clock: null,
    transfer_data: null,
    trial_end: input.trial?.end ?? null,
    trial_settings: {
      end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" },
    },
    trial_start: input.trial?.start ?? null,
  };
}

export function subscriptionItem(sub: Stripe.Subscription): Stripe.SubscriptionItem {
  return sub.items.data[0]!;
}

/**
 * When (emulated unix time) the clock next has work on this subscription: the trial-ending
 * notice, the trial's end, the
 * period's end (renewal or cancellation), a retry of a failed payment, or the end of a pause.
 * Paused collection still renews (with a voided invoice) but does not retry. Without `notices`,
 * only what moves money or status (what the clock page offers to jump to).
 */
export function subscriptionDueAt(
  sub: EmuSubscription,
  { notices = true }: { notices?: boolean } = {},
): number | null {
  if (!["trialing", "active", "past_due"].includes(sub.status)) return null;
  const item = subscriptionItem(sub);
  const times: number[] = [];
  if (sub.status === "trialing" && sub.trial_end !== null) times.push(sub.trial_end);
  else times.push(item.current_period_end);
  const notice = notices ? trialNoticeAt(sub) : null;
  if (notice !== null) times.push(notice);
  if (sub.status === "past_due" && sub._retry_at && !sub.pause_collection) {
    times.push(sub._retry_at);
  }
  if (sub.pause_collection?.resumes_at) times.push(sub.pause_collection.resumes_at);
  return Math.min(...times);
}

// ─── Invoices and payments ──────────────────────────────────────────────────────────────────

export type EmuInvoice = Stripe.Invoice & { _payment_intent?: string | null };

export function invoiceObject(input: {
  created: number;
  customer: Stripe.Customer;
  number: string;
  subscription: Stripe.Subscription;
  price: Stripe.Price;
  quantity: number;
  amount: number;
  /** The line's service period (the subscription's new period). */
  period: { start: number; end: number };
  /** Stripe's invoice period: the usage period before it (both = created for a first invoice). */
  usagePeriod: { start: number; end: number };
  billingReason: Stripe.Invoice.BillingReason;
  hostedUrl: (id: string) => string;
}): EmuInvoice {
  const id = newId("in");
  const item = subscriptionItem(input.subscription);
  const product = typeof input.price.product === "string" ? input.price.product : "";
  const line: Stripe.InvoiceLineItem = {
    id: newId("il"),
    object: "line_item",
    amount: input.amount,
    currency: input.price.currency,
    description: `${input.quantity} × ${input.price.nickname ?? "Subscription"}`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: id,
    livemode: false,
    metadata: {},
    parent: {
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: false,
        proration_details: { credited_items: null },
        subscription: input.subscription.id,
        subscription_item: item.id,
      },
      type: "subscription_item_details",
    },
    period: { start: input.period.start, end: input.period.end },
    pretax_credit_amounts: [],
    pricing: {
      price_details: { price: input.price.id, product },
      type: "price_details",
      unit_amount_decimal: input.price.unit_amount_decimal,
    },
    quantity: input.quantity,
    quantity_decimal: decimal(input.quantity),
    subscription: input.subscription.id,
    subtotal: input.amount,
    taxes: [],
  };
  return {
    id,
    object: "invoice",
    account_country: "US",
    account_name: "Kindred (simulated)",
    account_tax_ids: null,
    amount_due: input.amount,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: input.amount,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: {
      disabled_reason: null,
      enabled: false,
      liability: null,
      provider: null,
      status: null,
    },
    automatically_finalizes_at: null,
    billing_reason: input.billingReason,
    collection_method: "charge_automatically",
    created: input.created,
    currency: input.price.currency,
    custom_fields: null,
    customer: input.customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: input.customer.email,
    customer_name: input.customer.name ?? null,
    customer_phone: input.customer.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: input.created,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: input.hostedUrl(id),
    invoice_pdf: null,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: listObject([line], `/v1/invoices/${id}/lines`, false),
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: input.number,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: {
        metadata: input.subscription.metadata,
        subscription: input.subscription.id,
      },
      type: "subscription_details",
    },
    payment_settings: {
      default_mandate: null,
      payment_method_options: null,
      payment_method_types: null,
    },
    period_end: input.usagePeriod.end,
    period_start: input.usagePeriod.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: "open",
    status_transitions: {
      finalized_at: input.created,
      marked_uncollectible_at: null,
      paid_at: null,
      voided_at: null,
    },
    subtotal: input.amount,
    subtotal_excluding_tax: input.amount,
    test_clock: null,
    total: input.amount,
    total_discount_amounts: [],
    total_excluding_tax: input.amount,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: input.created,
  };
}

/** The subscription an invoice belongs to (`parent.subscription_details.subscription`). */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const sub = invoice.parent?.subscription_details?.subscription;
  return typeof sub === "string" ? sub : (sub?.id ?? null);
}

export function invoicePaymentObject(input: {
  created: number;
  invoice: Stripe.Invoice;
  paymentIntent: string;
}): Stripe.InvoicePayment {
  return {
    id: newId("inpay"),
    object: "invoice_payment",
    amount_paid: null,
    amount_requested: input.invoice.amount_due,
    created: input.created,
    currency: input.invoice.currency,
    invoice: input.invoice.id,
    is_default: true,
    livemode: false,
    payment: { payment_intent: input.paymentIntent, type: "payment_intent" },
    status: "open",
    status_transitions: { canceled_at: null, paid_at: null },
  };
}

export function paymentIntentObject(input: {
  created: number;
  amount: number;
  currency: string;
  customer: string | null;
  description: string | null;
  metadata: Metadata;
  paymentMethod: string | null;
}): Stripe.PaymentIntent {
  const id = newId("pi");
  return {
    id,
    object: "payment_intent",
    allowed_payment_method_types: null,
    amount: input.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic",
    client_secret: `${id}_secret_${newId("s", 20).slice(2)}`,
    confirmation_method: "automatic",
    created: input.created,
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: input.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: input.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: "requires_payment_method",
    transfer_group: null,
  };
}

export function chargeObject(input: {
  created: number;
  amount: number;
  currency: string;
  customer: string | null;
  description: string | null;
  metadata: Metadata;
  paymentIntent: string;
  paymentMethod: Stripe.PaymentMethod;
  failure: { code: string; declineCode: string; message: string } | null;
}): Stripe.Charge {
  const card = input.paymentMethod.card!;
  const ok = input.failure === null;
  return {
    id: newId("ch"),
    object: "charge",
    amount: input.amount,
    amount_captured: ok ? input.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: ok ? newId("txn") : null,
    billing_details: input.paymentMethod.billing_details,
    calculated_statement_descriptor: "KINDRED (SIMULATED)",
    captured: ok,
    created: input.created,
    currency: input.currency,
    customer: input.customer,
    description: input.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: input.failure?.code ?? null,
    failure_message: input.failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: input.metadata,
    on_behalf_of: null,
    outcome: ok
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: "approved_by_network",
          reason: null,
          risk_level: "normal",
          risk_score: 20,
          seller_message: "Payment complete.",
          type: "authorized",
        }
      : {
          advice_code: "try_again_later",
          network_advice_code: null,
          network_decline_code: null,
          network_status: "declined_by_network",
          reason: input.failure!.declineCode,
          risk_level: "normal",
          risk_score: 20,
          seller_message: "The bank did not return any further details with this decline.",
          type: "issuer_declined",
        },
    paid: ok,
    payment_intent: input.paymentIntent,
    payment_method: input.paymentMethod.id,
    payment_method_details: {
      type: "card",
      card: {
        brand: card.brand,
        country: card.country,
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        fingerprint: card.fingerprint ?? null,
        funding: card.funding,
        last4: card.last4,
        network: card.brand,
      } as Stripe.Charge.PaymentMethodDetails.Card,
    },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: ok ? "succeeded" : "failed",
    transfer_data: null,
    transfer_group: null,
  };
}

export function refundObject(input: {
  created: number;
  amount: number;
  charge: Stripe.Charge;
  reason: Stripe.Refund.Reason | null;
  metadata: Metadata;
}): Stripe.Refund {
  return {
    id: newId("re"),
    object: "refund",
    amount: input.amount,
    balance_transaction: newId("txn"),
    charge: input.charge.id,
    created: input.created,
    currency: input.charge.currency,
    customer:
      typeof input.charge.customer === "string"
        ? input.charge.customer
        : (input.charge.customer?.id ?? null),
    customer_account: null,
    destination_details: {
      card: { type: "refund" },
      type: "card",
    } as Stripe.Refund.DestinationDetails,
    metadata: input.metadata,
    payment_intent:
      typeof input.charge.payment_intent === "string"
        ? input.charge.payment_intent
        : (input.charge.payment_intent?.id ?? null),
    payment_method: input.charge.payment_method,
    reason: input.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
}

export function disputeObject(input: {
  created: number;
  charge: Stripe.Charge;
  amount: number;
  reason: string;
}): Stripe.Dispute {
  return {
    id: newId("du"),
    object: "dispute",
    amount: input.amount,
    balance_transactions: [],
    charge: input.charge.id,
    created: input.created,
    currency: input.charge.currency,
    enhanced_eligibility_types: [],
    evidence: {} as Stripe.Dispute.Evidence,
    evidence_details: {
      due_by: input.created + 7 * 86_400,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: null,
    } as unknown as Stripe.Dispute.EvidenceDetails,
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent:
      typeof input.charge.payment_intent === "string" ? input.charge.payment_intent : null,
    reason: input.reason,
    status: "needs_response",
  };
}

// ─── Checkout and the customer portal ──────────────────────────────────────────────────────

export type EmuCheckoutSession = Stripe.Checkout.Session & {
  _line_items: Stripe.LineItem[];
  _trial_period_days: number | null;
  _subscription_metadata: Metadata;
  _payment_intent_metadata: Metadata;
  _payment_intent_description: string | null;
  _customer_creation: "always" | "if_required" | null;
};

export function lineItemObject(
  price: Stripe.Price,
  quantity: number,
  name: string,
): Stripe.LineItem {
  const amount = (price.unit_amount ?? 0) * quantity;
  return {
    id: newId("li"),
    object: "item",
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: name,
    metadata: {},
    price,
    quantity,
  };
}

export function checkoutSessionObject(input: {
  created: number;
  mode: "payment" | "subscription";
  customer: string | null;
  customerEmail: string | null;
  lineItems: Stripe.LineItem[];
  successUrl: string;
  cancelUrl: string | null;
  allowPromotionCodes: boolean | null;
  clientReferenceId: string | null;
  metadata: Metadata;
  trialPeriodDays: number | null;
  subscriptionMetadata: Metadata;
  paymentIntentMetadata: Metadata;
  paymentIntentDescription: string | null;
  customerCreation: "always" | "if_required" | null;
  expiresAt: number;
  url: (id: string) => string;
}): EmuCheckoutSession {
  const id = newId("cs_test", 58);
  const total = input.lineItems.reduce((sum, item) => sum + item.amount_total, 0);
  return {
    id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: input.allowPromotionCodes,
    allowed_payment_method_types: null,
    amount_subtotal: total,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: input.created,
    currency: input.lineItems[0]?.currency ?? null,
    currency_conversion: null,
    custom_fields: [],
    custom_text: {
      after_submit: null,
      shipping_address: null,
      submit: null,
      terms_of_service_acceptance: null,
    },
    customer: input.customer,
    customer_account: null,
    customer_creation: input.customer ? null : input.customerCreation,
    customer_details: null,
    customer_email: input.customerEmail,
    discounts: [],
    expires_at: input.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: input.metadata,
    mode: input.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: input.mode === "subscription" ? "always" : null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ["card"],
    payment_status: "unpaid",
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: input.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: input.url(id),
    wallet_options: null,
    _line_items: input.lineItems,
    _trial_period_days: input.trialPeriodDays,
    _subscription_metadata: input.subscriptionMetadata,
    _payment_intent_metadata: input.paymentIntentMetadata,
    _payment_intent_description: input.paymentIntentDescription,
    _customer_creation: input.customerCreation,
  };
}

export function portalSessionObject(input: {
  created: number;
  customer: string;
  returnUrl: string | null;
  url: (id: string) => string;
}): Stripe.BillingPortal.Session {
  const id = newId("bps");
  return {
    id,
    object: "billing_portal.session",
    configuration: "bpc_emulator",
    created: input.created,
    customer: input.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: input.returnUrl,
    url: input.url(id),
  };
}

// ─── Events ─────────────────────────────────────────────────────────────────────────────────

export type EventRequest = { id: string | null; idempotency_key: string | null };

export function eventObject(input: {
  created: number;
  type: string;
  object: AnyObject;
  previous: Record<string, unknown> | null;
  request: EventRequest;
}): Stripe.Event {
  return {
    id: newId("evt"),
    object: "event",
    api_version: API_VERSION,
    created: input.created,
    data: {
      object: toApi(input.object),
      ...(input.previous ? { previous_attributes: toApi(input.previous) } : {}),
    },
    livemode: false,
    pending_webhooks: 1,
    request: input.request,
    type: input.type,
  } as unknown as Stripe.Event;
}

/** The top-level fields whose values changed, with their earlier values (Stripe's diff). */
export function previousAttributes(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after)) {
    if (key.startsWith("_")) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = before[key] ?? null;
  }
  return Object.keys(out).length ? out : null;
}
