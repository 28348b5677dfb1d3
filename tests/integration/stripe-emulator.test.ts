import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@/server/db";
import {
  createStripeEmulator,
  deliverDueWebhooks,
  prismaStripeEmulatorStore,
  type StripeEmulatorStore,
  startStripeEmulatorDelivery,
} from "@/server/emulators/stripe";
import { stripeEmulatorKeys } from "@/server/env";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { serveFetch, type TestServer } from "../helpers/http-server";

// The real SDK against the emulator over real HTTP, with webhooks posted to a local receiver
// that checks every signature with the SDK, as Kindred's webhook route will.
const { secretKey: KEY, webhookSecret: WHSEC } = stripeEmulatorKeys(
  "stripe-emulator-tests-secret-stripe-emulator-tests",
);
const BASE = "/api/emulators/stripe";
const SUCCESS = "https://app.test/billing/done?session={CHECKOUT_SESSION_ID}";
const CANCEL = "https://app.test/billing/cancelled";
const DAY = 86_400;

/** The id of an event's object (every object this emulator emits events for has one). */
function objectId(event: Stripe.Event): string | undefined {
  return (event.data.object as { id?: string }).id;
}

type Delivery = {
  status: number;
  signature: string;
  body: string;
  event: Stripe.Event | null;
  error: string | null;
};

/** A webhook endpoint: verifies each delivery with the SDK; may answer 500 to a first attempt. */
class Receiver {
  deliveries: Delivery[] = [];
  /** Event types whose first delivery gets a 500. */
  failOnce = new Set<string>();
  private failed = new Set<string>();
  private server: Server | undefined;
  url = "";

  async start() {
    const verifier = new Stripe(KEY);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const signature = String(req.headers["stripe-signature"] ?? "");
        let event: Stripe.Event | null = null;
        let error: string | null = null;
        try {
          event = verifier.webhooks.constructEvent(body, signature, WHSEC);
        } catch (e) {
          error = (e as Error).message;
        }
        let status = event ? 200 : 400;
        if (event && this.failOnce.has(event.type) && !this.failed.has(event.id)) {
          this.failed.add(event.id);
          status = 500;
        }
        this.deliveries.push({ status, signature, body, event, error });
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ received: status === 200 }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
  }

  events(type?: string): Stripe.Event[] {
    return this.deliveries
      .filter((d) => d.status === 200 && d.event)
      .map((d) => d.event!)
      .filter((e) => !type || e.type === type);
  }

  async waitFor(
    predicate: (event: Stripe.Event) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<Stripe.Event> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events().find(predicate);
      if (found) return found;
      if (Date.now() > until) {
        throw new Error(
          `no ${what} delivered; got ${this.events()
            .map((e) => e.type)
            .join(", ")}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close() {
    this.server?.closeAllConnections();
    return new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

let database: TestDatabase;
let db: Db;
let store: StripeEmulatorStore;
let server: TestServer;
let stripe: Stripe;
let worker: ReturnType<typeof startStripeEmulatorDelivery> | undefined;
const receiver = new Receiver();

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url);
  store = prismaStripeEmulatorStore(db);
  await receiver.start();
  let handle: (request: Request) => Promise<Response> = async () => new Response(null);
  server = await serveFetch((request) => handle(request));
  handle = createStripeEmulator({
    store,
    apiKey: KEY,
    webhookSecret: WHSEC,
    webhookUrl: receiver.url,
    publicBaseUrl: server.url,
    basePath: BASE,
    log: () => {},
  });
  const port = Number(new URL(server.url).port);
  stripe = new Stripe(KEY, { host: "127.0.0.1", port, protocol: "http" });
  // What the worker runs in a demo deployment: retries and renewals that fall due.
  worker = startStripeEmulatorDelivery({
    store,
    secret: WHSEC,
    url: receiver.url,
    config: { publicBaseUrl: server.url, basePath: BASE },
    intervalMs: 250,
    log: () => {},
  });
});

afterAll(async () => {
  await worker?.stop();
  await server?.close();
  await receiver.close();
  await db?.$disconnect();
  await database?.drop();
});

// ─── Helpers ────────────────────────────────────────────────────────────────────────────────

async function monthlyPrice(amount = 2000, metadata: Record<string, string> = {}) {
  const product = await stripe.products.create({ name: "Kindred Membership", metadata });
  return stripe.prices.create({
    product: product.id,
    unit_amount: amount,
    currency: "eur",
    recurring: { interval: "month" },
  });
}

/** Submits the hosted Checkout form the way a browser does. */
function submitCheckout(url: string, card: string, email?: string) {
  const form = new URLSearchParams({ card });
  if (email) form.set("email", email);
  return fetch(url, {
    method: "POST",
    body: form,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    redirect: "manual",
  });
}

async function subscribe(options: {
  card?: string;
  trialDays?: number;
  metadata?: Record<string, string>;
}) {
  const price = await monthlyPrice();
  const customer = await stripe.customers.create({ email: "member@example.org" });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: price.id, quantity: 1 }],
    success_url: SUCCESS,
    cancel_url: CANCEL,
    subscription_data: {
      ...(options.trialDays ? { trial_period_days: options.trialDays } : {}),
      ...(options.metadata ? { metadata: options.metadata } : {}),
    },
  });
  const paid = await submitCheckout(session.url!, options.card ?? "4242 4242 4242 4242");
  expect(paid.status).toBe(303);
  const done = await stripe.checkout.sessions.retrieve(session.id);
  const subscription = await stripe.subscriptions.retrieve(done.subscription as string);
  return { price, customer, session: done, subscription };
}

async function moveClock(body: Record<string, unknown>) {
  const response = await fetch(`${server.url}${BASE}/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { now: number; processed: string[] };
}

// ─── Tests ──────────────────────────────────────────────────────────────────────────────────

describe("API keys and errors", () => {
  it("refuses a wrong key with Stripe's 401, and a missing one", async () => {
    const port = Number(new URL(server.url).port);
    const wrong = new Stripe("sk_test_wrongwrongwrongwrong", {
      host: "127.0.0.1",
      port,
      protocol: "http",
    });
    const error = await wrong.customers.create({ email: "x@example.org" }).catch((e) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/^Invalid API Key provided: sk_test_\*{4}rong$/);

    const anonymous = await fetch(`${server.url}/v1/customers`);
    expect(anonymous.status).toBe(401);
    const body = (await anonymous.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toMatch(/did not provide an API key/);
  });

  it("takes basic auth like Stripe, with the key as the user name", async () => {
    const response = await fetch(`${server.url}${BASE}/v1/customers?limit=1`, {
      headers: { authorization: `Basic ${Buffer.from(`${KEY}:`).toString("base64")}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { object: string }).object).toBe("list");
  });

  it("answers unknown ids, unknown parameters and unknown routes as Stripe does", async () => {
    const missing = await stripe.customers.retrieve("cus_nope").catch((e) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing.statusCode).toBe(404);
    expect(missing.code).toBe("resource_missing");
    expect(missing.message).toBe("No such customer: 'cus_nope'");

    const unknown = await stripe.customers
      .create({ email: "a@example.org", colour: "blue" } as Stripe.CustomerCreateParams)
      .catch((e) => e);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.code).toBe("parameter_unknown");
    expect(unknown.param).toBe("colour");

    const route = await stripe.rawRequest("GET", "/v1/teleporters").catch((e) => e);
    expect(route.statusCode).toBe(404);
    expect(route.message).toMatch(/Unrecognized request URL/);
  });
});

describe("customers, products and prices", () => {
  it("creates, retrieves, updates and lists them with Stripe's shapes", async () => {
    const customer = await stripe.customers.create({
      email: "ada@example.org",
      name: "Ada",
      metadata: { userId: "u1", plan: "x" },
    });
    expect(customer.id).toMatch(/^cus_/);
    expect(customer).toMatchObject({
      object: "customer",
      livemode: false,
      email: "ada@example.org",
    });
    expect(typeof customer.created).toBe("number");

    // Metadata merges; "" removes a key.
    const updated = await stripe.customers.update(customer.id, {
      name: "Ada L.",
      metadata: { plan: "", team: "blue" },
    });
    expect(updated.metadata).toEqual({ userId: "u1", team: "blue" });
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      name: "Ada L.",
    });

    const product = await stripe.products.create({ name: "Course", description: "Six weeks" });
    expect(product.id).toMatch(/^prod_/);
    const renamed = await stripe.products.update(product.id, { name: "Course 2", active: false });
    expect(renamed).toMatchObject({ name: "Course 2", active: false, description: "Six weeks" });

    const yearly = await stripe.prices.create({
      product: product.id,
      unit_amount: 12000,
      currency: "EUR",
      recurring: { interval: "year" },
      metadata: { tier: "gold" },
    });
    expect(yearly).toMatchObject({
      object: "price",
      type: "recurring",
      currency: "eur",
      unit_amount: 12000,
      recurring: { interval: "year", interval_count: 1 },
    });
    expect(String(yearly.unit_amount_decimal)).toBe("12000");
    const once = await stripe.prices.create({
      product: product.id,
      unit_amount: 4900,
      currency: "eur",
    });
    expect(once.type).toBe("one_time");
    const retired = await stripe.prices.update(once.id, { active: false });
    expect(retired.active).toBe(false);

    const byProduct = await stripe.prices.list({ product: product.id, limit: 1 });
    expect(byProduct.object).toBe("list");
    expect(byProduct.data.map((p) => p.id)).toEqual([once.id]);
    expect(byProduct.has_more).toBe(true);
    const next = await stripe.prices.list({
      product: product.id,
      limit: 1,
      starting_after: once.id,
    });
    expect(next.data.map((p) => p.id)).toEqual([yearly.id]);
    expect(next.has_more).toBe(false);
    expect(
      (await stripe.prices.list({ product: product.id, active: true })).data.map((p) => p.id),
    ).toEqual([yearly.id]);
  });
});

describe("idempotency keys", () => {
  it("replays the stored response for the same key and parameters", async () => {
    const key = `test-${Date.now()}`;
    const first = await stripe.customers.create(
      { email: "once@example.org" },
      { idempotencyKey: key },
    );
    const again = await stripe.customers.create(
      { email: "once@example.org" },
      { idempotencyKey: key },
    );
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    const all = await stripe.customers.list({ email: "once@example.org" });
    expect(all.data).toHaveLength(1);
  });

  it("refuses the same key with different parameters", async () => {
    const key = `test-conflict-${Date.now()}`;
    await stripe.customers.create({ email: "first@example.org" }, { idempotencyKey: key });
    const error = await stripe.customers
      .create({ email: "second@example.org" }, { idempotencyKey: key })
      .catch((e) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/same parameters/);
    expect((await stripe.customers.list({ email: "second@example.org" })).data).toHaveLength(0);
  });

  it("does not keep a failed request's key", async () => {
    const key = `test-failed-${Date.now()}`;
    const bad = await stripe.prices
      .create({ product: "prod_missing", unit_amount: 1, currency: "eur" }, { idempotencyKey: key })
      .catch((e) => e);
    expect(bad.statusCode).toBe(404);
    const product = await stripe.products.create({ name: "Later" });
    const good = await stripe.prices
      .create({ product: product.id, unit_amount: 1, currency: "eur" }, { idempotencyKey: key })
      .catch((e) => e);
    expect(good.object).toBe("price");
  });
});

describe("Checkout", () => {
  it("subscription mode: the hosted page, a paid first invoice, events and the redirect", async () => {
    const price = await monthlyPrice(2500);
    const customer = await stripe.customers.create({ email: "sub@example.org" });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: SUCCESS,
      cancel_url: CANCEL,
      allow_promotion_codes: true,
      client_reference_id: "user_42",
      metadata: { userId: "user_42" },
      subscription_data: { metadata: { plan: "monthly" } },
    });
    expect(session).toMatchObject({
      object: "checkout.session",
      status: "open",
      payment_status: "unpaid",
      mode: "subscription",
      amount_total: 2500,
      currency: "eur",
      client_reference_id: "user_42",
    });
    expect(session.url).toBe(`${server.url}${BASE}/checkout/${session.id}`);

    const pageResponse = await fetch(session.url!);
    expect(pageResponse.status).toBe(200);
    const pageHtml = await pageResponse.text();
    expect(pageHtml).toContain("Simulated Stripe — no real payment");
    expect(pageHtml).toContain("Kindred Membership");
    expect(pageHtml).toContain('<label for="card">Card number</label>');
    expect(pageHtml).toContain("4000 0000 0000 0002");
    expect(pageHtml).toContain(`href="${CANCEL}"`);

    const paid = await submitCheckout(session.url!, "4242 4242 4242 4242");
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(
      `https://app.test/billing/done?session=${session.id}`,
    );

    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["line_items"] });
    expect(done).toMatchObject({
      status: "complete",
      payment_status: "paid",
      customer: customer.id,
    });
    expect(done.line_items?.data[0]).toMatchObject({
      object: "item",
      amount_total: 2500,
      quantity: 1,
      price: { id: price.id },
    });
    const sub = await stripe.subscriptions.retrieve(done.subscription as string, {
      expand: ["latest_invoice.payments"],
    });
    expect(sub).toMatchObject({
      status: "active",
      customer: customer.id,
      metadata: { plan: "monthly" },
      cancel_at_period_end: false,
      pause_collection: null,
    });
    const item = sub.items.data[0]!;
    expect(item.price.id).toBe(price.id);
    const start = new Date(item.current_period_start * 1000);
    const end = new Date(item.current_period_end * 1000);
    expect(end.getUTCMonth()).toBe((start.getUTCMonth() + 1) % 12);
    const invoice = sub.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({
      status: "paid",
      amount_due: 2500,
      amount_paid: 2500,
      amount_remaining: 0,
      attempt_count: 1,
      billing_reason: "subscription_create",
      parent: { subscription_details: { subscription: sub.id } },
    });
    expect(invoice.hosted_invoice_url).toBe(`${server.url}${BASE}/invoices/${invoice.id}`);
    const payment = invoice.payments!.data[0]!;
    expect(payment).toMatchObject({ status: "paid", amount_paid: 2500 });
    const pi = await stripe.paymentIntents.retrieve(payment.payment.payment_intent as string);
    expect(pi.status).toBe("succeeded");
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({
      status: "succeeded",
      paid: true,
      amount: 2500,
      refunded: false,
    });
    expect(charge.payment_method_details?.card?.last4).toBe("4242");

    const refreshed = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(refreshed.invoice_settings.default_payment_method).toMatch(/^pm_/);

    const completed = await receiver.waitFor(
      (e) => e.type === "checkout.session.completed" && objectId(e) === session.id,
      "checkout.session.completed",
    );
    expect(completed.api_version).toBe(Stripe.API_VERSION);
    expect((completed.data.object as Stripe.Checkout.Session).subscription).toBe(sub.id);
    await receiver.waitFor(
      (e) => e.type === "customer.subscription.created" && objectId(e) === sub.id,
      "customer.subscription.created",
    );
    await receiver.waitFor(
      (e) => e.type === "invoice.paid" && objectId(e) === invoice.id,
      "invoice.paid",
    );

    // A second submit (the back button) creates nothing more.
    const again = await submitCheckout(session.url!, "4242424242424242");
    expect(again.status).toBe(303);
    const subs = await stripe.subscriptions.list({ customer: customer.id });
    expect(subs.data).toHaveLength(1);
  });

  it("payment mode: a succeeded PaymentIntent and charge with payment_intent_data metadata", async () => {
    const product = await stripe.products.create({ name: "Workbook" });
    const price = await stripe.prices.create({
      product: product.id,
      unit_amount: 4900,
      currency: "eur",
    });
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price: price.id, quantity: 2 }],
      success_url: SUCCESS,
      customer_email: "buyer@example.org",
      payment_intent_data: { metadata: { purchase: "p1" } },
    });
    expect(session.amount_total).toBe(9800);
    const paid = await submitCheckout(session.url!, "4242 4242 4242 4242");
    expect(paid.status).toBe(303);
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", subscription: null });
    const pi = await stripe.paymentIntents.retrieve(done.payment_intent as string);
    expect(pi).toMatchObject({
      status: "succeeded",
      amount: 9800,
      amount_received: 9800,
      metadata: { purchase: "p1" },
    });
    const charge = await stripe.charges.retrieve(pi.latest_charge as string);
    expect(charge).toMatchObject({ amount: 9800, metadata: { purchase: "p1" }, paid: true });
    await receiver.waitFor(
      (e) => e.type === "charge.succeeded" && objectId(e) === charge.id,
      "charge.succeeded",
    );
  });

  it("a declined card re-shows the page with the message and creates nothing", async () => {
    const price = await monthlyPrice();
    const customer = await stripe.customers.create({ email: "declined@example.org" });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: SUCCESS,
    });
    const declined = await submitCheckout(session.url!, "4000 0000 0000 0002");
    expect(declined.status).toBe(402);
    const body = await declined.text();
    expect(body).toContain("Your card was declined.");
    expect(body).toContain('aria-invalid="true"');
    // 0341 cannot pay a first invoice either.
    expect((await submitCheckout(session.url!, "4000000000000341")).status).toBe(402);
    expect((await submitCheckout(session.url!, "1234 5678")).status).toBe(400);

    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    expect(
      (await stripe.subscriptions.list({ customer: customer.id, status: "all" })).data,
    ).toEqual([]);
    expect((await stripe.paymentMethods.list({ customer: customer.id })).data).toEqual([]);
    expect((await stripe.charges.list({ customer: customer.id })).data).toEqual([]);
  });

  it("checks its parameters as Stripe does", async () => {
    const price = await monthlyPrice();
    const wrongMode = await stripe.checkout.sessions
      .create({
        mode: "payment",
        line_items: [{ price: price.id, quantity: 1 }],
        success_url: SUCCESS,
      })
      .catch((e) => e);
    expect(wrongMode.statusCode).toBe(400);
    expect(wrongMode.message).toMatch(/recurring price/);
    const noItems = await stripe.checkout.sessions
      .create({ mode: "subscription", success_url: SUCCESS })
      .catch((e) => e);
    expect(noItems.param).toBe("line_items");
  });
});

describe("refunds", () => {
  it("refunds part, refuses more than what is left, then refunds the rest", async () => {
    const product = await stripe.products.create({ name: "Retreat" });
    const price = await stripe.prices.create({
      product: product.id,
      unit_amount: 10000,
      currency: "eur",
    });
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: SUCCESS,
      customer_email: "refund@example.org",
    });
    await submitCheckout(session.url!, "4242424242424242");
    const pi = await stripe.paymentIntents.retrieve(
      (await stripe.checkout.sessions.retrieve(session.id)).payment_intent as string,
    );
    const chargeId = pi.latest_charge as string;

    const partial = await stripe.refunds.create({
      charge: chargeId,
      amount: 2500,
      reason: "requested_by_customer",
      metadata: { note: "partial" },
    });
    expect(partial).toMatchObject({ object: "refund", amount: 2500, status: "succeeded" });
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({
      amount_refunded: 2500,
      refunded: false,
    });

    const tooMuch = await stripe.refunds
      .create({ payment_intent: pi.id, amount: 8000 })
      .catch((e) => e);
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch.message).toMatch(/greater than unrefunded amount on charge \(€75\.00\)/);

    const rest = await stripe.refunds.create({ payment_intent: pi.id });
    expect(rest.amount).toBe(7500);
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({
      amount_refunded: 10000,
      refunded: true,
    });
    const listed = await stripe.refunds.list({ charge: chargeId });
    expect(listed.data.map((r) => r.id)).toEqual([rest.id, partial.id]);
    expect((await stripe.refunds.retrieve(partial.id)).metadata).toEqual({ note: "partial" });

    const again = await stripe.refunds.create({ charge: chargeId }).catch((e) => e);
    expect(again.code).toBe("charge_already_refunded");

    const refunded = await receiver.waitFor(
      (e) =>
        e.type === "charge.refunded" && (e.data.object as Stripe.Charge).amount_refunded === 10000,
      "charge.refunded",
    );
    expect(refunded.data.previous_attributes).toMatchObject({
      amount_refunded: 2500,
      refunded: false,
    });
  });
});

describe("subscriptions and the clock", () => {
  it("cancel_at_period_end, then moving the clock past the period end, deletes it", async () => {
    const { subscription } = await subscribe({});
    const periodEnd = subscription.items.data[0]!.current_period_end;
    const updated = await stripe.subscriptions.update(subscription.id, {
      cancel_at_period_end: true,
    });
    expect(updated).toMatchObject({
      cancel_at_period_end: true,
      cancel_at: periodEnd,
      status: "active",
    });
    expect(updated.canceled_at).not.toBeNull();

    const moved = await moveClock({ to: "subscription", subscription: subscription.id });
    expect(moved.now).toBeGreaterThanOrEqual(periodEnd);
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    expect(ended).toMatchObject({ status: "canceled", ended_at: periodEnd });
    expect(ended.cancellation_details?.reason).toBe("cancellation_requested");

    const deleted = await receiver.waitFor(
      (e) => e.type === "customer.subscription.deleted" && objectId(e) === subscription.id,
      "customer.subscription.deleted",
    );
    expect(deleted.created).toBe(periodEnd);
    expect(
      (await stripe.subscriptions.list({ customer: subscription.customer as string })).data,
    ).toEqual([]);
    expect(
      (
        await stripe.subscriptions.list({
          customer: subscription.customer as string,
          status: "all",
        })
      ).data,
    ).toHaveLength(1);
  });

  it("renews at the period end with a new paid invoice", async () => {
    const { subscription } = await subscribe({});
    const firstEnd = subscription.items.data[0]!.current_period_end;
    await moveClock({ to: "subscription", subscription: subscription.id });
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.status).toBe("active");
    expect(renewed.items.data[0]!.current_period_start).toBe(firstEnd);
    expect(renewed.latest_invoice).not.toBe(subscription.latest_invoice);
    const invoice = await stripe.invoices.retrieve(renewed.latest_invoice as string);
    expect(invoice).toMatchObject({
      status: "paid",
      billing_reason: "subscription_cycle",
      amount_paid: 2000,
      period_end: firstEnd,
    });
    const invoices = await stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data).toHaveLength(2);
    await receiver.waitFor(
      (e) => e.type === "customer.subscription.updated" && objectId(e) === subscription.id,
      "customer.subscription.updated",
    );
  });

  it("a trial ending on a 0341 card: past_due, invoice.payment_failed; a new card in the portal pays it", async () => {
    const { subscription, customer } = await subscribe({
      card: "4000 0000 0000 0341",
      trialDays: 7,
    });
    expect(subscription.status).toBe("trialing");
    expect(subscription.trial_end! - subscription.trial_start!).toBe(7 * DAY);
    const trialInvoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(trialInvoice).toMatchObject({ amount_due: 0, status: "paid" });

    await moveClock({ to: "subscription", subscription: subscription.id });
    const pastDue = await stripe.subscriptions.retrieve(subscription.id);
    expect(pastDue.status).toBe("past_due");
    const open = await stripe.invoices.retrieve(pastDue.latest_invoice as string);
    expect(open).toMatchObject({
      status: "open",
      attempt_count: 1,
      attempted: true,
      amount_due: 2000,
      amount_paid: 0,
      next_payment_attempt: subscription.trial_end! + 3 * DAY,
    });
    const failed = await receiver.waitFor(
      (e) => e.type === "invoice.payment_failed" && objectId(e) === open.id,
      "invoice.payment_failed",
    );
    expect((failed.data.object as Stripe.Invoice).attempt_count).toBe(1);
    const failedCharge = (await stripe.charges.list({ customer: customer.id })).data[0]!;
    expect(failedCharge).toMatchObject({ status: "failed", failure_code: "card_declined" });

    const portal = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: "https://app.test/settings/billing",
    });
    expect(portal.url).toBe(`${server.url}${BASE}/portal/${portal.id}`);
    const portalHtml = await (await fetch(portal.url)).text();
    expect(portalHtml).toContain("Payment failed");
    expect(portalHtml).toContain("Visa ending in 0341");
    expect(portalHtml).toContain('href="https://app.test/settings/billing"');

    const declined = await fetch(portal.url, {
      method: "POST",
      body: new URLSearchParams({ action: "card", card: "4000000000000002" }),
      redirect: "manual",
    });
    expect(declined.status).toBe(402);
    expect((await stripe.invoices.retrieve(open.id)).status).toBe("open");

    const updated = await fetch(portal.url, {
      method: "POST",
      body: new URLSearchParams({ action: "card", card: "4242 4242 4242 4242" }),
      redirect: "manual",
    });
    expect(updated.status).toBe(303);
    expect(updated.headers.get("location")).toBe(`${portal.url}?done=card-paid`);
    expect(await stripe.invoices.retrieve(open.id)).toMatchObject({
      status: "paid",
      attempt_count: 2,
      amount_paid: 2000,
      next_payment_attempt: null,
    });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("active");
    await receiver.waitFor(
      (e) => e.type === "invoice.paid" && objectId(e) === open.id,
      "invoice.paid after the card update",
    );
  });

  it("three failed attempts cancel the subscription (Stripe's default)", async () => {
    const { subscription } = await subscribe({ card: "4000000000000341", trialDays: 3 });
    await moveClock({ to: "subscription", subscription: subscription.id });
    await moveClock({ to: "subscription", subscription: subscription.id });
    const second = await stripe.subscriptions.retrieve(subscription.id);
    expect(second.status).toBe("past_due");
    expect((await stripe.invoices.retrieve(second.latest_invoice as string)).attempt_count).toBe(2);
    await moveClock({ to: "subscription", subscription: subscription.id });
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    expect(ended.status).toBe("canceled");
    expect(ended.cancellation_details?.reason).toBe("payment_failed");
    const invoice = await stripe.invoices.retrieve(ended.latest_invoice as string);
    expect(invoice).toMatchObject({ status: "open", attempt_count: 3, next_payment_attempt: null });
    await receiver.waitFor(
      (e) => e.type === "customer.subscription.deleted" && objectId(e) === subscription.id,
      "customer.subscription.deleted after failed payments",
    );
  });

  it("pauses and resumes collection: a paused renewal charges nothing", async () => {
    const { subscription, customer } = await subscribe({ metadata: { pausable: "true" } });
    const paused = await stripe.subscriptions.update(subscription.id, {
      pause_collection: { behavior: "void" },
    });
    expect(paused.pause_collection).toEqual({ behavior: "void", resumes_at: null });
    await receiver.waitFor(
      (e) => e.type === "customer.subscription.paused" && objectId(e) === subscription.id,
      "customer.subscription.paused",
    );
    const chargesBefore = (await stripe.charges.list({ customer: customer.id })).data.length;
    await moveClock({ to: "subscription", subscription: subscription.id });
    const during = await stripe.subscriptions.retrieve(subscription.id);
    expect(during.status).toBe("active");
    expect((await stripe.invoices.retrieve(during.latest_invoice as string)).status).toBe("void");
    expect((await stripe.charges.list({ customer: customer.id })).data).toHaveLength(chargesBefore);

    const resumed = await stripe.subscriptions.update(subscription.id, { pause_collection: "" });
    expect(resumed.pause_collection).toBeNull();
    const event = await receiver.waitFor(
      (e) => e.type === "customer.subscription.resumed" && objectId(e) === subscription.id,
      "customer.subscription.resumed",
    );
    expect(event.data.previous_attributes).toMatchObject({
      pause_collection: { behavior: "void" },
    });
  });

  it("a pause with resumes_at ends by itself when the clock passes it", async () => {
    const { subscription } = await subscribe({});
    const clock = (await (
      await fetch(`${server.url}${BASE}/clock`, { headers: { accept: "application/json" } })
    ).json()) as { now: number };
    const resumesAt = clock.now + 2 * DAY;
    await stripe.subscriptions.update(subscription.id, {
      pause_collection: { behavior: "keep_as_draft", resumes_at: resumesAt },
    });
    await moveClock({ seconds: 3 * DAY });
    const resumed = await stripe.subscriptions.retrieve(subscription.id);
    expect(resumed.pause_collection).toBeNull();
    const event = await receiver.waitFor(
      (e) => e.type === "customer.subscription.resumed" && objectId(e) === subscription.id,
      "customer.subscription.resumed at resumes_at",
    );
    expect(event.created).toBe(resumesAt);
  });

  it("the portal offers pause only when the subscription's metadata allows it", async () => {
    const plain = await subscribe({});
    const portalPlain = await stripe.billingPortal.sessions.create({
      customer: plain.customer.id,
    });
    const plainHtml = await (await fetch(portalPlain.url)).text();
    expect(plainHtml).toContain("Cancel at period end");
    expect(plainHtml).not.toContain("Pause payments");

    const pausable = await subscribe({ metadata: { pausable: "true" } });
    const portal = await stripe.billingPortal.sessions.create({ customer: pausable.customer.id });
    expect(await (await fetch(portal.url)).text()).toContain("Pause payments");
    const post = (action: string) =>
      fetch(portal.url, {
        method: "POST",
        body: new URLSearchParams({ action, subscription: pausable.subscription.id }),
        redirect: "manual",
      });
    expect((await post("pause")).headers.get("location")).toBe(`${portal.url}?done=paused`);
    expect(
      (await stripe.subscriptions.retrieve(pausable.subscription.id)).pause_collection,
    ).toEqual({ behavior: "void", resumes_at: null });
    expect((await post("resume")).status).toBe(303);
    expect(
      (await stripe.subscriptions.retrieve(pausable.subscription.id)).pause_collection,
    ).toBeNull();
    expect((await post("cancel")).headers.get("location")).toBe(`${portal.url}?done=canceled`);
    expect(
      (await stripe.subscriptions.retrieve(pausable.subscription.id)).cancel_at_period_end,
    ).toBe(true);
    expect((await post("keep")).status).toBe(303);
    expect(
      (await stripe.subscriptions.retrieve(pausable.subscription.id)).cancel_at_period_end,
    ).toBe(false);

    // Another customer's subscription cannot be touched from this portal.
    const foreign = await fetch(portalPlain.url, {
      method: "POST",
      body: new URLSearchParams({ action: "cancel", subscription: pausable.subscription.id }),
      redirect: "manual",
    });
    expect(foreign.headers.get("location")).toBe(portalPlain.url);
    expect(
      (await stripe.subscriptions.retrieve(pausable.subscription.id)).cancel_at_period_end,
    ).toBe(false);
  });

  it("cancels at once with DELETE", async () => {
    const { subscription } = await subscribe({});
    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled.status).toBe("canceled");
    expect(canceled.ended_at).not.toBeNull();
    const again = await stripe.subscriptions.cancel(subscription.id).catch((e) => e);
    expect(again.statusCode).toBe(400);
  });
});

describe("disputes", () => {
  it("opens a dispute on a charge through the test endpoint", async () => {
    const { subscription } = await subscribe({});
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string, {
      expand: ["payments.data.payment.payment_intent"],
    });
    const pi = invoice.payments!.data[0]!.payment.payment_intent as Stripe.PaymentIntent;
    const chargeId = pi.latest_charge as string;
    const response = await fetch(`${server.url}${BASE}/disputes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ charge: chargeId }),
    });
    expect(response.status).toBe(200);
    const dispute = (await response.json()) as Stripe.Dispute;
    expect(dispute).toMatchObject({ object: "dispute", charge: chargeId, amount: 2000 });
    expect((await stripe.charges.retrieve(chargeId)).disputed).toBe(true);
    await receiver.waitFor(
      (e) => e.type === "charge.dispute.created" && objectId(e) === dispute.id,
      "charge.dispute.created",
    );
    const refund = await stripe.refunds.create({ charge: chargeId }).catch((e) => e);
    expect(refund.code).toBe("charge_disputed");
  });
});

describe("webhooks", () => {
  it("signs deliveries as Stripe does: constructEvent accepts them, a tampered body fails", async () => {
    const product = await stripe.products.create({ name: "Signed" });
    await receiver.waitFor(
      (e) => e.type === "product.created" && objectId(e) === product.id,
      "product.created",
    );
    const delivery = receiver.deliveries.find(
      (d) => (d.event ? objectId(d.event) : null) === product.id,
    )!;
    expect(delivery.error).toBeNull();
    expect(delivery.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const tampered = delivery.body.replace('"Signed"', '"Forged"');
    expect(tampered).not.toBe(delivery.body);
    expect(() => stripe.webhooks.constructEvent(tampered, delivery.signature, WHSEC)).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );
    expect(() =>
      stripe.webhooks.constructEvent(delivery.body, delivery.signature, "whsec_other"),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError);
    // Events are also readable from the API.
    const event = await stripe.events.retrieve(delivery.event!.id);
    expect(event.type).toBe("product.created");
    const listed = await stripe.events.list({ type: "product.created", limit: 100 });
    expect(listed.data.map((e) => e.id)).toContain(event.id);
  });

  it("retries a delivery the endpoint answered with 500, and records the attempts", async () => {
    receiver.failOnce.add("price.created");
    try {
      const product = await stripe.products.create({ name: "Retried" });
      const price = await stripe.prices.create({
        product: product.id,
        unit_amount: 100,
        currency: "eur",
      });
      const event = await receiver.waitFor(
        (e) => e.type === "price.created" && objectId(e) === price.id,
        "price.created after a retry",
      );
      const attempts = receiver.deliveries.filter((d) => d.event?.id === event.id);
      expect(attempts.map((d) => d.status)).toEqual([500, 200]);
      // The emulator records the attempt once the endpoint's answer is back, which can be a
      // moment after the endpoint has seen the request: wait for the row to settle.
      await vi.waitFor(
        async () => {
          const [row] = await store.deliveries(event.id);
          expect(row).toMatchObject({ attempts: 2, lastStatus: 200, nextAttemptAt: null });
          expect(row!.deliveredAt).toBeInstanceOf(Date);
        },
        { timeout: 5_000, interval: 50 },
      );
    } finally {
      receiver.failOnce.delete("price.created");
    }
  });

  it("two delivery passes at once never send the same attempt twice", async () => {
    // Events created while background delivery is off for this store's other handler.
    const quiet = createStripeEmulator({
      store,
      apiKey: KEY,
      webhookSecret: WHSEC,
      webhookUrl: receiver.url,
      publicBaseUrl: server.url,
      deliverInBackground: false,
    });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await quiet(
        new Request(`${server.url}/v1/products`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${KEY}`,
            "content-type": "application/x-www-form-urlencoded",
          },
          body: new URLSearchParams({ name: `Parallel ${i}` }),
        }),
      );
      ids.push(((await response.json()) as { id: string }).id);
    }
    const options = { store, secret: WHSEC, url: receiver.url, shuffle: true };
    await Promise.all([deliverDueWebhooks(options), deliverDueWebhooks(options)]);
    const sent = (id: string) =>
      receiver.deliveries.filter((d) => (d.event ? objectId(d.event) : null) === id).length;
    // A background pass of the server's own handler (started by an earlier test's request) may
    // hold some of these under its lease: wait for it, never for a second send.
    const deadline = Date.now() + 15_000;
    while (ids.some((id) => sent(id) === 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      await deliverDueWebhooks(options);
    }
    for (const id of ids) expect(sent(id)).toBe(1);
  });
});

describe("deleting a customer", () => {
  it("ends its subscriptions at once, leaves a stub, and answers 404 to a second delete", async () => {
    const { customer, subscription } = await subscribe({});
    expect(subscription.status).toBe("active");

    const deleted = await stripe.customers.del(customer.id);
    expect(deleted).toEqual({ id: customer.id, object: "customer", deleted: true });

    // Retrieving answers the stub: no email or name is left.
    const stub = await stripe.customers.retrieve(customer.id);
    expect(stub).toEqual({ id: customer.id, object: "customer", deleted: true });
    const ended = await stripe.subscriptions.retrieve(subscription.id);
    expect(ended.status).toBe("canceled");
    expect(ended.ended_at).not.toBeNull();
    await receiver.waitFor(
      (e) => e.type === "customer.subscription.deleted" && objectId(e) === subscription.id,
      "customer.subscription.deleted",
    );
    const event = await receiver.waitFor(
      (e) => e.type === "customer.deleted" && objectId(e) === customer.id,
      "customer.deleted",
    );
    expect((event.data.object as Stripe.Customer).email).toBe("member@example.org");

    // Gone for everything else: updating, deleting again, checking out with it.
    const again = await stripe.customers.del(customer.id).catch((e) => e);
    expect(again).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(again).toMatchObject({ statusCode: 404, code: "resource_missing" });
    const update = await stripe.customers.update(customer.id, { name: "X" }).catch((e) => e);
    expect(update).toMatchObject({ statusCode: 404, code: "resource_missing" });
    const missing = await stripe.customers.del("cus_nope").catch((e) => e);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });
});
