import type Stripe from "stripe";
import { hostedUrl } from "./context";
import {
  cancelSubscriptionNow,
  getOrThrow,
  lockOrThrow,
  saveSubscriptionChange,
  setCancelAtPeriodEnd,
  setPauseCollection,
} from "./engine";
import { invalidRequest, noSuch } from "./errors";
import {
  type AnyObject,
  checkoutSessionObject,
  type EmuCheckoutSession,
  type EmuSubscription,
  lineItemObject,
  listObject,
  portalSessionObject,
} from "./objects";
import {
  allowOnly,
  applyMetadata,
  nullableString,
  oneOf,
  optionalBoolean,
  optionalHash,
  optionalInteger,
  optionalList,
  optionalString,
  type Params,
  requiredString,
} from "./params";
import { type ApiCall, checkUrl, del, get, idFilter, listPage, post, type Route } from "./routes";
import type { StripeEmuReader, StripeEmuTx } from "./store";
import { emitEvent } from "./webhooks";

/** Checkout, the customer portal, subscriptions and invoices. */

type Price = Stripe.Price & AnyObject;
type Product = Stripe.Product & AnyObject;

const DAY = 86_400;

async function lineItems(
  tx: StripeEmuTx,
  params: Params,
  mode: "payment" | "subscription",
): Promise<Stripe.LineItem[]> {
  const raw = optionalList(params, "line_items");
  if (!raw?.length) throw invalidRequest("Missing required param: line_items.", "line_items");
  if (mode === "subscription" && raw.length > 1) {
    throw invalidRequest(
      "The Stripe emulator supports one line item in subscription mode.",
      "line_items",
    );
  }
  if (raw.length > 100) throw invalidRequest("At most 100 line items are allowed.", "line_items");
  const items: Stripe.LineItem[] = [];
  for (const [index, entry] of raw.entries()) {
    const label = `line_items[${index}]`;
    if (typeof entry !== "object" || Array.isArray(entry)) {
      throw invalidRequest(`Invalid object: ${label}`, label);
    }
    allowOnly(entry, ["price", "quantity"], label);
    const priceId = requiredString(entry, "price", `${label}[price]`);
    const price = await tx.get<Price>(priceId);
    if (price?.object !== "price") throw noSuch("price", priceId, `${label}[price]`);
    if (!price.active) {
      throw invalidRequest(
        "The price specified is inactive. This field only accepts active prices.",
        `${label}[price]`,
      );
    }
    const quantity = optionalInteger(entry, "quantity", {
      min: 1,
      max: 999_999,
      label: `${label}[quantity]`,
    });
    if (quantity === undefined) {
      throw invalidRequest(
        `Quantity is required. Add \`quantity\` to \`${label}\``,
        `${label}[quantity]`,
        "parameter_missing",
      );
    }
    if (mode === "payment" && price.recurring) {
      throw invalidRequest(
        "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
        `${label}[price]`,
      );
    }
    if (mode === "subscription" && !price.recurring) {
      throw invalidRequest(
        "You must provide at least one recurring price in `subscription` mode when using prices.",
        `${label}[price]`,
      );
    }
    if (items[0] && items[0].currency !== price.currency) {
      throw invalidRequest("All line items must use the same currency.", `${label}[price]`);
    }
    const product = await tx.get<Product>(price.product as string);
    items.push(lineItemObject(price, quantity, product?.name ?? "Item"));
  }
  return items;
}

async function createCheckoutSession({ params, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, [
    "mode",
    "customer",
    "customer_email",
    "customer_creation",
    "line_items",
    "success_url",
    "cancel_url",
    "allow_promotion_codes",
    "client_reference_id",
    "metadata",
    "subscription_data",
    "payment_intent_data",
    "payment_method_types",
    "expires_at",
    "locale",
    "expand",
  ]);
  const mode = oneOf(requiredString(params, "mode"), ["payment", "subscription"] as const, "mode")!;
  const customer = optionalString(params, "customer");
  const customerEmail = optionalString(params, "customer_email");
  if (customer && customerEmail) {
    throw invalidRequest(
      "You may only specify one of these parameters: customer, customer_email.",
      "customer",
      "parameters_exclusive",
    );
  }
  if (customer) await getOrThrow(tx, customer, "customer", "customer", "customer");
  const successUrl = checkUrl(requiredString(params, "success_url"), "success_url")!;
  const cancelUrl = checkUrl(optionalString(params, "cancel_url"), "cancel_url") ?? null;
  const methods = optionalList(params, "payment_method_types");
  if (methods?.some((m) => m !== "card")) {
    throw invalidRequest("The Stripe emulator takes cards only.", "payment_method_types");
  }
  const subscriptionData = optionalHash(params, "subscription_data");
  const paymentIntentData = optionalHash(params, "payment_intent_data");
  if (mode === "subscription" && paymentIntentData) {
    throw invalidRequest(
      "You can not pass `payment_intent_data` in `subscription` mode.",
      "payment_intent_data",
    );
  }
  if (mode === "payment" && subscriptionData) {
    throw invalidRequest(
      "You can not pass `subscription_data` in `payment` mode.",
      "subscription_data",
    );
  }
  if (subscriptionData) {
    allowOnly(
      subscriptionData,
      ["trial_period_days", "metadata", "description"],
      "subscription_data",
    );
  }
  if (paymentIntentData) {
    allowOnly(paymentIntentData, ["metadata", "description"], "payment_intent_data");
  }
  const customerCreation = oneOf(
    optionalString(params, "customer_creation"),
    ["always", "if_required"] as const,
    "customer_creation",
  );
  if (customerCreation && mode !== "payment") {
    throw invalidRequest(
      "`customer_creation` can only be used in `payment` mode.",
      "customer_creation",
    );
  }
  const expiresAt =
    optionalInteger(params, "expires_at", {
      min: ctx.now + 30 * 60,
      max: ctx.now + DAY,
    }) ?? ctx.now + DAY;
  const session = checkoutSessionObject({
    created: ctx.now,
    mode,
    customer: customer ?? null,
    customerEmail: customerEmail ?? null,
    lineItems: await lineItems(tx, params, mode),
    successUrl,
    cancelUrl,
    allowPromotionCodes: optionalBoolean(params, "allow_promotion_codes") ?? null,
    clientReferenceId: nullableString(params, "client_reference_id") ?? null,
    metadata: applyMetadata({}, params),
    trialPeriodDays: subscriptionData
      ? (optionalInteger(subscriptionData, "trial_period_days", {
          min: 1,
          max: 730,
          label: "subscription_data[trial_period_days]",
        }) ?? null)
      : null,
    subscriptionMetadata: subscriptionData ? applyMetadata({}, subscriptionData) : {},
    paymentIntentMetadata: paymentIntentData ? applyMetadata({}, paymentIntentData) : {},
    paymentIntentDescription: paymentIntentData
      ? (nullableString(paymentIntentData, "description") ?? null)
      : null,
    customerCreation: customerCreation ?? (mode === "payment" ? "if_required" : null),
    expiresAt,
    url: (id) => hostedUrl(ctx, `/checkout/${id}`),
  });
  await tx.insert(session);
  return session;
}

async function expireCheckoutSession({ ids, ctx }: ApiCall, tx: StripeEmuTx) {
  const session = await lockOrThrow<EmuCheckoutSession>(
    tx,
    ids[0]!,
    "checkout.session",
    "checkout.session",
  );
  if (session.status !== "open") {
    throw invalidRequest('Only Checkout Sessions with a status in ["open"] can be expired.');
  }
  const before = structuredClone(session);
  session.status = "expired";
  session.url = null;
  await tx.update(session);
  await emitEvent(tx, ctx, "checkout.session.expired", session, before);
  return session;
}

async function createPortalSession({ params, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, ["customer", "return_url", "locale", "expand"]);
  const customer = requiredString(params, "customer");
  await getOrThrow(tx, customer, "customer", "customer", "customer");
  const session = portalSessionObject({
    created: ctx.now,
    customer,
    returnUrl: checkUrl(optionalString(params, "return_url"), "return_url") ?? null,
    url: (id) => hostedUrl(ctx, `/portal/${id}`),
  });
  await tx.insert(session as Stripe.BillingPortal.Session & AnyObject);
  return session as Stripe.BillingPortal.Session & AnyObject;
}

const SUBSCRIPTION_STATUSES = [
  "active",
  "past_due",
  "unpaid",
  "canceled",
  "incomplete",
  "incomplete_expired",
  "trialing",
  "paused",
  "all",
  "ended",
] as const;

function listSubscriptions({ params }: ApiCall, reader: StripeEmuReader) {
  allowOnly(params, [
    "customer",
    "price",
    "status",
    "limit",
    "starting_after",
    "ending_before",
    "expand",
  ]);
  const customer = idFilter(params, "customer");
  const price = idFilter(params, "price");
  const status = oneOf(optionalString(params, "status"), SUBSCRIPTION_STATUSES, "status");
  const ended = ["canceled", "incomplete_expired"];
  return listPage(
    reader,
    params,
    {
      type: "subscription",
      ...(customer ? { customer } : {}),
      ...(price ? { contains: { items: { data: [{ price: { id: price } }] } } } : {}),
      // Without a status Stripe leaves out canceled subscriptions.
      ...(status === "all"
        ? {}
        : status === "ended"
          ? { fieldIn: { status: ended } }
          : status
            ? { fieldIn: { status: [status] } }
            : { fieldNotIn: { status: ended } }),
    },
    "/v1/subscriptions",
  );
}

async function updateSubscription({ params, ids, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, [
    "cancel_at_period_end",
    "pause_collection",
    "metadata",
    "default_payment_method",
    "description",
    "proration_behavior",
    "cancellation_details",
    "expand",
  ]);
  const sub = await lockOrThrow<EmuSubscription>(tx, ids[0]!, "subscription", "subscription");
  const before = structuredClone(sub);
  const cancel = optionalBoolean(params, "cancel_at_period_end");
  if (cancel !== undefined) setCancelAtPeriodEnd(sub, cancel, ctx.now);
  if (params.pause_collection !== undefined) {
    if (params.pause_collection === "") {
      setPauseCollection(sub, null);
    } else {
      const pause = optionalHash(params, "pause_collection")!;
      allowOnly(pause, ["behavior", "resumes_at"], "pause_collection");
      const behavior = oneOf(
        requiredString(pause, "behavior", "pause_collection[behavior]"),
        ["keep_as_draft", "mark_uncollectible", "void"] as const,
        "pause_collection[behavior]",
      )!;
      const resumesAt =
        optionalInteger(pause, "resumes_at", {
          min: ctx.now,
          label: "pause_collection[resumes_at]",
        }) ?? null;
      setPauseCollection(sub, { behavior, resumes_at: resumesAt });
    }
  }
  const pm = nullableString(params, "default_payment_method");
  if (pm !== undefined) {
    if (pm) {
      const found = await tx.get<Stripe.PaymentMethod & AnyObject>(pm);
      if (found?.object !== "payment_method" || found.customer !== sub.customer) {
        throw invalidRequest(
          `The customer does not have a payment method with the ID ${pm}. The payment method must be attached to the customer.`,
          "default_payment_method",
          "resource_missing",
        );
      }
    }
    sub.default_payment_method = pm;
  }
  const description = nullableString(params, "description");
  if (description !== undefined) sub.description = description;
  const details = optionalHash(params, "cancellation_details");
  if (details) {
    allowOnly(details, ["comment", "feedback"], "cancellation_details");
    const comment = nullableString(details, "comment");
    const feedback = nullableString(details, "feedback");
    sub.cancellation_details = {
      comment: comment !== undefined ? comment : (sub.cancellation_details?.comment ?? null),
      feedback: (feedback !== undefined
        ? feedback
        : (sub.cancellation_details?.feedback ??
          null)) as Stripe.Subscription.CancellationDetails.Feedback | null,
      feedback_option: sub.cancellation_details?.feedback_option ?? null,
      reason: sub.cancellation_details?.reason ?? null,
    };
  }
  sub.metadata = applyMetadata(sub.metadata, params);
  await saveSubscriptionChange(tx, ctx, sub, before);
  return sub;
}

async function cancelSubscription({ params, ids, ctx }: ApiCall, tx: StripeEmuTx) {
  allowOnly(params, ["invoice_now", "prorate", "cancellation_details", "expand"]);
  const sub = await lockOrThrow<EmuSubscription>(tx, ids[0]!, "subscription", "subscription");
  await cancelSubscriptionNow(tx, ctx, sub);
  return sub;
}

function listInvoices({ params }: ApiCall, reader: StripeEmuReader) {
  allowOnly(params, [
    "customer",
    "subscription",
    "status",
    "limit",
    "starting_after",
    "ending_before",
    "expand",
  ]);
  const customer = idFilter(params, "customer");
  const subscription = idFilter(params, "subscription");
  const status = oneOf(
    optionalString(params, "status"),
    ["draft", "open", "paid", "uncollectible", "void"] as const,
    "status",
  );
  return listPage(
    reader,
    params,
    {
      type: "invoice",
      ...(customer ? { customer } : {}),
      ...(subscription ? { contains: { parent: { subscription_details: { subscription } } } } : {}),
      ...(status ? { fieldIn: { status: [status] } } : {}),
    },
    "/v1/invoices",
  );
}

function listCheckoutSessions({ params }: ApiCall, reader: StripeEmuReader) {
  allowOnly(params, [
    "customer",
    "payment_intent",
    "subscription",
    "status",
    "limit",
    "starting_after",
    "ending_before",
    "expand",
  ]);
  const contains: Record<string, unknown> = {};
  for (const name of ["payment_intent", "subscription"]) {
    const value = idFilter(params, name);
    if (value) contains[name] = value;
  }
  const customer = idFilter(params, "customer");
  const status = oneOf(
    optionalString(params, "status"),
    ["open", "complete", "expired"] as const,
    "status",
  );
  return listPage(
    reader,
    params,
    {
      type: "checkout.session",
      contains,
      ...(customer ? { customer } : {}),
      ...(status ? { fieldIn: { status: [status] } } : {}),
    },
    "/v1/checkout/sessions",
  );
}

export const billingRoutes: Route[] = [
  post("/v1/checkout/sessions", createCheckoutSession),
  get("/v1/checkout/sessions", listCheckoutSessions),
  get("/v1/checkout/sessions/:id", ({ ids }, reader) =>
    getOrThrow(reader, ids[0]!, "checkout.session", "checkout.session"),
  ),
  get("/v1/checkout/sessions/:id/line_items", async ({ ids }, reader) => {
    const session = await getOrThrow<EmuCheckoutSession>(
      reader,
      ids[0]!,
      "checkout.session",
      "checkout.session",
    );
    return listObject(session._line_items, `/v1/checkout/sessions/${ids[0]}/line_items`, false);
  }),
  post("/v1/checkout/sessions/:id/expire", expireCheckoutSession),
  post("/v1/billing_portal/sessions", createPortalSession),

  get("/v1/subscriptions", listSubscriptions),
  get("/v1/subscriptions/:id", ({ ids }, reader) =>
    getOrThrow(reader, ids[0]!, "subscription", "subscription"),
  ),
  post("/v1/subscriptions/:id", updateSubscription),
  del("/v1/subscriptions/:id", cancelSubscription),

  get("/v1/invoices", listInvoices),
  get("/v1/invoices/:id", ({ ids }, reader) => getOrThrow(reader, ids[0]!, "invoice", "invoice")),
  get("/v1/invoices/:id/lines", async ({ ids }, reader) => {
    const invoice = await getOrThrow<Stripe.Invoice & AnyObject>(
      reader,
      ids[0]!,
      "invoice",
      "invoice",
    );
    return invoice.lines;
  }),
  get("/v1/invoice_payments", ({ params }, reader) => {
    allowOnly(params, ["invoice", "limit", "starting_after", "ending_before", "expand"]);
    const invoice = idFilter(params, "invoice");
    return listPage(
      reader,
      params,
      { type: "invoice_payment", ...(invoice ? { contains: { invoice } } : {}) },
      "/v1/invoice_payments",
    );
  }),
  get("/v1/invoice_payments/:id", ({ ids }, reader) =>
    getOrThrow(reader, ids[0]!, "invoice payment", "invoice_payment"),
  ),
];
