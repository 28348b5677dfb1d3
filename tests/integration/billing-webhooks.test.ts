import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Prisma } from "@/generated/prisma/client";
import type { Session } from "@/server/auth/session";
import { syncCheckoutSession } from "@/server/billing/sync";
import type { Db } from "@/server/db";
import { signatureHeader } from "@/server/emulators/stripe";
import { env, resetEnvCache } from "@/server/env";
import { seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { type BillingHarness, startBillingHarness, stripe } from "../helpers/stripe";

/**
 * Stripe's webhooks under the conditions Stripe promises: at least once, in any order, possibly
 * concurrently. A whole history of members (subscriptions, trials, renewals that pay and fail,
 * card updates, cancels, pauses, one-time purchases, refunds, a dispute) is made in the emulator
 * with no webhook delivered; then every event is delivered once in order, and again shuffled,
 * duplicated and concurrent: the billing tables must come out the same. Also: what the endpoint
 * refuses, and an event whose handler crashes once.
 */

let app: TestApp;
let billing: BillingHarness;
let admin: Session["user"];
let coach: Session["user"];
let cohortId: string;
let cohortProgramId: string;

const DAY = 86_400;
const GOOD = "4242 4242 4242 4242";
/** Accepted for a trial (and as a new card); declines every charge. */
const FAILS = "4000 0000 0000 0341";

/** The chaos delivery's seed: set WEBHOOK_CHAOS_SEED to replay a failing order. */
const SEED = Number(process.env.WEBHOOK_CHAOS_SEED ?? 20_260_417);

beforeAll(async () => {
  app = await createTestApp();
  process.env.DATABASE_URL = app.database.url;
  resetEnvCache();
  billing = await startBillingHarness(app.db, app.queue);
  admin = await app.createUser("ADMIN");
  coach = await app.createUser("COACH");
  const cohortProgram = await seedProgram(app.db, coach.id, {
    pacing: "COHORT_PACED",
    accessRule: "PURCHASE",
  });
  cohortProgramId = cohortProgram.program.id;
  const cohort = await app.caller(coach).cohorts.create({
    programId: cohortProgramId,
    name: "Webhook Circle",
    startDate: new Date().toISOString().slice(0, 10),
    timeZone: "UTC",
    capacity: 20,
  });
  cohortId = cohort.id;
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await billing?.close();
  const global = globalThis as unknown as { kindredDb?: Db };
  await global.kindredDb?.$disconnect();
  global.kindredDb = undefined;
  await app?.close();
});

// ─── Helpers ────────────────────────────────────────────────────────────────────────────────

/** mulberry32: a small seeded PRNG, so a failing shuffle can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const webhookUrl = () => `${billing.url}/api/stripe/webhook`;
const now = () => Math.floor(Date.now() / 1000);

type Reply = { status: number; body: Record<string, unknown> };

/** POSTs a body to the webhook the way Stripe does, signed unless told otherwise. */
async function post(
  body: string | Uint8Array<ArrayBuffer>,
  signature: string | null = typeof body === "string"
    ? signatureHeader(body, env().billing.webhookSecret, now())
    : null,
): Promise<Reply> {
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
  };
  if (signature !== null) headers["stripe-signature"] = signature;
  const response = await fetch(webhookUrl(), { method: "POST", headers, body });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { raw: text.slice(0, 500) };
  }
  return { status: response.status, body: parsed };
}

type EmuEvent = { id: string; type: string; customer: string | null; payload: string };

/** Every event the emulator has emitted after `afterSeq`, in the order it emitted them. */
async function emulatorEvents(afterSeq = 0n): Promise<EmuEvent[]> {
  const rows = await app.db.stripeEmuObject.findMany({
    where: { type: "event", seq: { gt: afterSeq } },
    orderBy: { seq: "asc" },
    select: { id: true, data: true },
  });
  return rows.map((row) => {
    const event = row.data as { type: string; data: { object: Record<string, unknown> } };
    const object = event.data.object;
    const customer =
      object.object === "customer"
        ? (object.id as string)
        : typeof object.customer === "string"
          ? object.customer
          : null;
    // Byte for byte what the emulator's own delivery sends.
    return { id: row.id, type: event.type, customer, payload: JSON.stringify(row.data, null, 2) };
  });
}

async function lastSeq(): Promise<bigint> {
  const row = await app.db.stripeEmuObject.findFirst({
    orderBy: { seq: "desc" },
    select: { seq: true },
  });
  return row?.seq ?? 0n;
}

/** A synthetic (but well-formed) event, for the cases the emulator never emits. */
function fakeEvent(type: string, object: Record<string, unknown>, id = `evt_test_${rid()}`) {
  return JSON.stringify({
    id,
    object: "event",
    api_version: "2025-03-31.basil",
    created: now(),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
}

const rid = () => randomBytes(6).toString("hex");

async function createPlan(input: {
  kind: "RECURRING" | "ONE_TIME";
  interval?: "MONTH" | "YEAR";
  price: string;
  currency: string;
  trialDays?: number;
  pausable?: boolean;
  scope: "ALL_PROGRAMS" | "SOME_PROGRAMS" | "COHORT_SEAT";
  programIds?: string[];
  cohortId?: string;
}) {
  const { id } = await app.caller(admin).billing.admin.createPlan({
    name: `Plan ${rid()}`,
    ...input,
  });
  return id;
}

/** A member buys a plan through Checkout; no webhook is delivered. Returns the session id. */
async function checkout(user: Session["user"], planId: string, card = GOOD): Promise<string> {
  const { url } = await app.caller(user).billing.checkout({ planId, attempt: crypto.randomUUID() });
  const paid = await billing.pay(url, card);
  expect(paid.status).toBe(303);
  const session = new URL(paid.headers.get("location") ?? "").searchParams.get("session");
  expect(session).toMatch(/^cs_/);
  return session!;
}

async function subscriptionOf(sessionId: string): Promise<string> {
  const session = await stripe().checkout.sessions.retrieve(sessionId);
  expect(typeof session.subscription).toBe("string");
  return session.subscription as string;
}

async function chargeOf(sessionId: string): Promise<string> {
  const session = await stripe().checkout.sessions.retrieve(sessionId);
  const intent = await stripe().paymentIntents.retrieve(session.payment_intent as string);
  return intent.latest_charge as string;
}

async function portal(user: Session["user"], form: Record<string, string>) {
  const { url } = await app.caller(user).billing.portal({ returnTo: "billing" });
  const response = await billing.portal(url, form);
  expect(response.status, JSON.stringify(form)).toBe(303);
}

/**
 * An admin refund from the console. The console refunds a Purchase row, which only a webhook
 * creates, so the checkout is synced first (what its webhook would have done); the tables are
 * wiped before the deliveries under test anyway.
 */
async function refund(sessionId: string, amount?: string) {
  await syncCheckoutSession(app.db, sessionId);
  const purchase = await app.db.purchase.findUniqueOrThrow({
    where: { checkoutSessionId: sessionId },
  });
  await app.caller(admin).billing.admin.refund({
    purchaseId: purchase.id,
    ...(amount ? { amount } : {}),
    reason: amount ? "Partly" : "All of it",
    attempt: crypto.randomUUID(),
  });
}

async function dispute(sessionId: string) {
  const response = await fetch(`${billing.url}/api/emulators/stripe/disputes`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ charge: await chargeOf(sessionId) }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(
  items: T[],
  width: number,
  work: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

/** The app's billing state, without what legitimately differs between two deliveries. */
async function snapshot(db: Db) {
  const purchases = await db.purchase.findMany({ orderBy: { checkoutSessionId: "asc" } });
  // Purchase ids are Kindred's own (cuid): name a purchase by its checkout session instead.
  const sessionOf = new Map(purchases.map((p) => [p.id, p.checkoutSessionId]));
  const [subscriptions, invoices, refunds, customers, events, emails, members, enrolments] =
    await Promise.all([
      db.subscription.findMany({ orderBy: { id: "asc" } }),
      db.invoice.findMany({ orderBy: { id: "asc" } }),
      db.refund.findMany({ orderBy: { id: "asc" } }),
      db.billingCustomer.findMany({ orderBy: { userId: "asc" } }),
      db.stripeEvent.findMany({
        orderBy: { id: "asc" },
        select: {
          id: true,
          type: true,
          objectId: true,
          createdAt: true,
          status: true,
          lastError: true,
        },
      }),
      db.email.findMany({
        where: { category: "billing" },
        orderBy: { dedupeKey: "asc" },
        select: {
          dedupeKey: true,
          category: true,
          toAddress: true,
          subject: true,
          html: true,
          text: true,
          headers: true,
          status: true,
        },
      }),
      db.cohortMember.findMany({
        where: { cohortId },
        orderBy: { userId: "asc" },
        select: { userId: true, status: true, leftAt: true },
      }),
      db.enrolment.findMany({
        where: { programId: cohortProgramId },
        orderBy: { userId: "asc" },
        select: { userId: true, cohortId: true },
      }),
    ]);
  return {
    subscriptions: subscriptions.map(({ updatedAt: _, ...row }) => row),
    invoices: invoices.map(({ updatedAt: _, ...row }) => row),
    purchases: purchases.map(({ id: _, updatedAt: __, ...row }) => row),
    refunds: refunds.map(({ purchaseId, ...row }) => ({
      ...row,
      purchase: purchaseId ? (sessionOf.get(purchaseId) ?? `unknown ${purchaseId}`) : null,
    })),
    customers,
    events,
    emails,
    members,
    enrolments,
  };
}

/** Wipes what webhooks write (not the emulator's state, not the Stripe customers). */
async function wipe(db: Db, scope: { userIds: string[]; eventIds: string[] } | null = null) {
  const user = scope ? { userId: { in: scope.userIds } } : {};
  const purchases = await db.purchase.findMany({
    where: user,
    select: { id: true, chargeId: true },
  });
  const emails = scope
    ? (
        await db.user.findMany({ where: { id: { in: scope.userIds } }, select: { email: true } })
      ).map((u) => u.email)
    : null;
  const refunds: Prisma.RefundWhereInput = scope
    ? {
        OR: [
          { purchaseId: { in: purchases.map((p) => p.id) } },
          { chargeId: { in: purchases.flatMap((p) => (p.chargeId ? [p.chargeId] : [])) } },
        ],
      }
    : {};
  await db.$transaction([
    db.subscription.deleteMany({ where: user }),
    db.invoice.deleteMany({ where: user }),
    db.refund.deleteMany({ where: refunds }),
    db.purchase.deleteMany({ where: user }),
    db.stripeEvent.deleteMany({ where: scope ? { id: { in: scope.eventIds } } : {} }),
    db.email.deleteMany({
      where: { category: "billing", ...(emails ? { toAddress: { in: emails } } : {}) },
    }),
    db.cohortMember.deleteMany({ where: { cohortId, ...user } }),
    db.enrolment.deleteMany({ where: { programId: cohortProgramId, ...user } }),
  ]);
}

// ─── 1. Convergence ─────────────────────────────────────────────────────────────────────────

describe("every event delivered in order, then again shuffled, duplicated and concurrent", () => {
  it("converges to the same billing tables, with no duplicate email or grant", async () => {
    const t0 = performance.now();
    const plans = {
      monthly: await createPlan({
        kind: "RECURRING",
        interval: "MONTH",
        price: "12",
        currency: "gbp",
        scope: "ALL_PROGRAMS",
      }),
      monthlyTrial: await createPlan({
        kind: "RECURRING",
        interval: "MONTH",
        price: "9",
        currency: "gbp",
        trialDays: 14,
        scope: "ALL_PROGRAMS",
      }),
      pausable: await createPlan({
        kind: "RECURRING",
        interval: "MONTH",
        price: "10",
        currency: "gbp",
        pausable: true,
        scope: "ALL_PROGRAMS",
      }),
      yearly: await createPlan({
        kind: "RECURRING",
        interval: "YEAR",
        price: "120",
        currency: "usd",
        scope: "ALL_PROGRAMS",
      }),
      yearlyTrial: await createPlan({
        kind: "RECURRING",
        interval: "YEAR",
        price: "100",
        currency: "usd",
        trialDays: 7,
        scope: "ALL_PROGRAMS",
      }),
      program: await createPlan({
        kind: "ONE_TIME",
        price: "49",
        currency: "eur",
        scope: "SOME_PROGRAMS",
        programIds: [(await seedProgram(app.db, coach.id, { accessRule: "PURCHASE" })).program.id],
      }),
      seat: await createPlan({
        kind: "ONE_TIME",
        price: "30",
        currency: "eur",
        scope: "COHORT_SEAT",
        cohortId,
      }),
    };

    const members: Session["user"][] = [];
    for (let i = 0; i < 50; i++) members.push(await app.createUser("MEMBER"));
    const m = (i: number) => members[i]!;

    // Who buys what (index ranges of `members`).
    const buys: [number, keyof typeof plans, string][] = [];
    for (let i = 0; i <= 9; i++) buys.push([i, "monthly", GOOD]);
    for (let i = 10; i <= 17; i++) buys.push([i, "monthlyTrial", FAILS]);
    for (let i = 18; i <= 21; i++) buys.push([i, "monthlyTrial", GOOD]);
    for (let i = 22; i <= 27; i++) buys.push([i, "pausable", GOOD]);
    for (let i = 28; i <= 31; i++) buys.push([i, "yearly", GOOD]);
    for (let i = 32; i <= 34; i++) buys.push([i, "yearlyTrial", GOOD]);
    for (let i = 35; i <= 46; i++) buys.push([i, "program", GOOD]);
    for (let i = 0; i <= 3; i++) buys.push([i, "program", GOOD]); // members with both
    for (let i = 47; i <= 49; i++) buys.push([i, "seat", GOOD]);
    const sessions = new Map<string, string>(); // `${member}:${plan}` → cs_…
    await inParallel(buys, 3, async ([i, plan, card]) => {
      sessions.set(`${i}:${plan}`, await checkout(m(i), plans[plan], card));
    });
    const session = (i: number, plan: keyof typeof plans) => sessions.get(`${i}:${plan}`)!;
    const sub = (i: number, plan: keyof typeof plans) => subscriptionOf(session(i, plan));

    // Refunds and disputes on the purchases (the console syncs each refunded charge at once).
    for (let i = 35; i <= 38; i++) await refund(session(i, "program"), "9");
    for (let i = 39; i <= 40; i++) await refund(session(i, "program"));
    await refund(session(41, "program"), "10");
    await refund(session(41, "program"));
    await refund(session(42, "program"), "5");
    await dispute(session(42, "program"));
    await dispute(session(43, "program"));
    await refund(session(0, "program"), "20");
    await refund(session(47, "seat"), "10");

    // The portal: cancel at period end, pause.
    await portal(m(0), { action: "cancel", subscription: await sub(0, "monthly") });
    await portal(m(1), { action: "cancel", subscription: await sub(1, "monthly") });
    await portal(m(28), { action: "cancel", subscription: await sub(28, "yearly") });
    for (let i = 22; i <= 24; i++) {
      await portal(m(i), { action: "pause", subscription: await sub(i, "pausable") });
    }

    // Trials end: the 0341 cards fail (past due), the others pay.
    await billing.clock({ seconds: 15 * DAY });
    for (let i = 10; i <= 13; i++) await portal(m(i), { action: "card", card: GOOD });
    await portal(m(22), { action: "resume", subscription: await sub(22, "pausable") });

    // A month on: renewals, retries; the unfixed cards run out of retries and are canceled.
    await billing.clock({ seconds: 16 * DAY });
    await portal(m(2), { action: "card", card: FAILS });
    await portal(m(3), { action: "card", card: FAILS });
    await portal(m(4), { action: "cancel", subscription: await sub(4, "monthly") });
    await portal(m(4), { action: "keep", subscription: await sub(4, "monthly") });
    await portal(m(25), { action: "pause", subscription: await sub(25, "pausable") });
    await portal(m(23), { action: "resume", subscription: await sub(23, "pausable") });
    await portal(m(18), { action: "cancel", subscription: await sub(18, "monthlyTrial") });

    for (let month = 0; month < 2; month++) await billing.clock({ seconds: 31 * DAY });
    // Member 2 puts a good card back, too late (the subscription ran out of retries): it is saved.
    await portal(m(2), { action: "card", card: GOOD });
    // More cards go bad; the last move lands a day after 5's and 6's renewal, inside the retry
    // window: their invoices are open, they are past due, and each gets one email.
    await portal(m(5), { action: "card", card: FAILS });
    await portal(m(6), { action: "card", card: FAILS });
    await portal(m(19), { action: "card", card: FAILS });
    await billing.clock({ to: "subscription", subscription: await sub(5, "monthly") });
    await billing.clock({ seconds: DAY });
    const t1 = performance.now();

    const events = await emulatorEvents();
    const timings: Record<string, number> = { history: Math.round(t1 - t0) };
    expect(events.length).toBeGreaterThanOrEqual(1_000);

    // What Stripe ended up with, to hold the tables against.
    const subscriptionSessions = [...sessions.entries()].filter(
      ([key]) => !key.endsWith(":program") && !key.endsWith(":seat"),
    );
    const purchaseSessions = [...sessions.values()].filter(
      (id) => !subscriptionSessions.some(([, s]) => s === id),
    );
    const stripeSubs = await Promise.all(
      subscriptionSessions.map(async ([, s]) =>
        stripe().subscriptions.retrieve(await subscriptionOf(s)),
      ),
    );

    // (a) Once, in order, one at a time, into empty tables.
    await wipe(app.db);
    expect(await app.db.subscription.count()).toBe(0);
    expect(await app.db.purchase.count()).toBe(0);
    expect(await app.db.refund.count()).toBe(0);
    expect(await app.db.stripeEvent.count()).toBe(0);
    let start = performance.now();
    for (const event of events) {
      const reply = await post(event.payload);
      expect(reply.status, `${event.type} ${event.id}: ${JSON.stringify(reply.body)}`).toBe(200);
    }
    timings.inOrder = Math.round(performance.now() - start);
    const inOrder = await snapshot(app.db);

    // The pass did the work: every grant is there, as Stripe has it.
    expect(inOrder.events).toHaveLength(events.length);
    expect(inOrder.events.every((e) => e.status === "PROCESSED" || e.status === "IGNORED")).toBe(
      true,
    );
    expect(inOrder.subscriptions).toHaveLength(subscriptionSessions.length);
    for (const s of stripeSubs) {
      const row = inOrder.subscriptions.find((r) => r.id === s.id);
      expect(row, s.id).toBeDefined();
      expect(row!.status).toBe(s.status.toUpperCase());
      expect(row!.paused).toBe(s.pause_collection != null);
      expect(row!.cancelAtPeriodEnd).toBe(s.cancel_at_period_end);
      expect(row!.checkoutSessionId).not.toBeNull();
    }
    const statuses = new Set(inOrder.subscriptions.map((s) => s.status));
    expect([...statuses].sort()).toEqual(
      expect.arrayContaining(["ACTIVE", "CANCELED", "PAST_DUE"]),
    );
    expect(inOrder.subscriptions.some((s) => s.paused)).toBe(true);
    expect(inOrder.subscriptions.some((s) => s.cancelAtPeriodEnd)).toBe(true);
    expect(inOrder.purchases).toHaveLength(purchaseSessions.length);
    expect(inOrder.purchases.filter((p) => p.disputed)).toHaveLength(2);
    expect(inOrder.purchases.filter((p) => p.refundedAt)).toHaveLength(3);
    expect(inOrder.purchases.filter((p) => p.amountRefunded > 0 && !p.refundedAt)).toHaveLength(7);
    expect(inOrder.refunds).toHaveLength(11);
    expect(inOrder.refunds.every((r) => r.purchase?.startsWith("cs_"))).toBe(true);
    expect(inOrder.invoices.length).toBeGreaterThan(100);
    expect(inOrder.invoices.some((i) => i.status === "open")).toBe(true);
    const pastDue = inOrder.subscriptions.filter((s) => s.status === "PAST_DUE");
    expect(pastDue.length).toBeGreaterThanOrEqual(2);
    // One payment-failed email per invoice that still stands unpaid.
    expect(inOrder.emails.map((e) => e.dedupeKey).sort()).toEqual(
      inOrder.invoices
        .filter((i) => i.status === "open" && pastDue.some((s) => s.id === i.subscriptionId))
        .map((i) => `payment-failed:${i.id}`)
        .sort(),
    );
    expect(inOrder.members.map((x) => x.userId).sort()).toEqual(
      [47, 48, 49].map((i) => m(i).id).sort(),
    );
    expect(inOrder.members.every((x) => x.status === "ACTIVE")).toBe(true);

    // (b) The same events into empty tables again: 30 % twice, shuffled, four senders at once.
    await wipe(app.db);
    expect(await app.db.stripeEvent.count()).toBe(0);
    const random = prng(SEED);
    const chaos = [...events];
    for (const event of events) if (random() < 0.3) chaos.push(event);
    for (let i = chaos.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [chaos[i], chaos[j]] = [chaos[j]!, chaos[i]!];
    }
    const refused: string[] = [];
    let duplicates = 0;
    start = performance.now();
    await inParallel(chaos, 4, async (event) => {
      const reply = await post(event.payload);
      if (reply.body.duplicate === true) duplicates++;
      if (reply.status !== 200) {
        refused.push(`${reply.status} ${event.type} ${event.id}: ${JSON.stringify(reply.body)}`);
      }
    });
    timings.chaos = Math.round(performance.now() - start);
    expect(refused, `seed ${SEED}`).toEqual([]);
    // Most second copies found their event already done; the rest raced the first copy.
    expect(duplicates).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(chaos.length - events.length);
    const shuffled = await snapshot(app.db);
    expect(shuffled, `seed ${SEED}`).toEqual(inOrder);

    // No duplicate email, no duplicate grant.
    const keys = shuffled.emails.map((e) => e.dedupeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(
      await app.db.email.count({ where: { dedupeKey: { startsWith: "payment-failed:" } } }),
    ).toBe(keys.length);
    expect(new Set(shuffled.subscriptions.map((s) => s.id)).size).toBe(stripeSubs.length);
    expect(shuffled.subscriptions).toHaveLength(stripeSubs.length);
    expect(new Set(shuffled.purchases.map((p) => p.checkoutSessionId)).size).toBe(
      purchaseSessions.length,
    );
    expect(shuffled.purchases).toHaveLength(purchaseSessions.length);
    expect(await app.db.cohortMember.count({ where: { cohortId } })).toBe(3);

    console.info(
      `[billing-webhooks] ${events.length} events; chaos: ${chaos.length} deliveries ` +
        `(${duplicates} answered as duplicates), seed ${SEED}; ` +
        `history ${timings.history} ms, in order ${timings.inOrder} ms, chaos ${timings.chaos} ms; ` +
        `${inOrder.subscriptions.length} subscriptions, ${inOrder.invoices.length} invoices, ` +
        `${inOrder.purchases.length} purchases, ${inOrder.refunds.length} refunds, ` +
        `${inOrder.emails.length} emails`,
    );
  }, 150_000);
});

// ─── 2. Refusals ────────────────────────────────────────────────────────────────────────────

/** Stripe's scheme over raw bytes (for bodies that are not valid UTF-8). */
function signBytes(bytes: Uint8Array, secret: string, timestamp: number): string {
  const hmac = createHmac("sha256", secret).update(`${timestamp}.`).update(bytes).digest("hex");
  return `t=${timestamp},v1=${hmac}`;
}

describe("what the endpoint refuses", () => {
  it("answers 400 to forged, stale, unsigned and garbage requests, and stores nothing", async () => {
    const before = await app.db.stripeEvent.count();
    const secret = env().billing.webhookSecret;
    const id = `evt_refused_${rid()}`;
    const event = fakeEvent(
      "customer.subscription.updated",
      { id: "sub_refused", object: "subscription", customer: "cus_refused" },
      id,
    );
    const sign = (body: string, timestamp = now()) => signatureHeader(body, secret, timestamp);
    const binary = new Uint8Array(randomBytes(8192));
    // Lone continuation bytes, an overlong encoding, a truncated sequence: not UTF-8.
    const notUtf8 = new Uint8Array([
      ...Buffer.from('{"id":"'),
      0x80,
      0xbf,
      0xc0,
      0xaf,
      0xe2,
      0x82,
      ...Buffer.from(`${id}","type":"invoice.paid"}`),
    ]);
    const huge = fakeEvent("invoice.paid", {
      id: "in_x",
      object: "invoice",
      pad: "x".repeat(600_000),
    });
    const cases: [string, string | Uint8Array<ArrayBuffer>, string | null][] = [
      ["a tampered body", event.replace("sub_refused", "sub_tampered"), sign(event)],
      ["another endpoint's secret", event, signatureHeader(event, "whsec_another_endpoint", now())],
      ["a timestamp six minutes old", event, sign(event, now() - 360)],
      ["a timestamp a day old", event, sign(event, now() - DAY)],
      ["no signature header", event, null],
      ["an empty signature header", event, ""],
      ["a header without a v1 signature", event, `t=${now()}`],
      ["a header without a timestamp", event, sign(event).replace(/^t=\d+,/, "")],
      ["a header that is garbage", event, "garbage;;==,v1"],
      ["a v0 signature only", event, sign(event).replace("v1=", "v0=")],
      ["a signature of the wrong length", event, `t=${now()},v1=abc`],
      ["random binary", binary, signBytes(binary, "whsec_random", now())],
      ["random binary, signed over its bytes", binary, signBytes(binary, secret, now())],
      ["invalid UTF-8, signed over its bytes", notUtf8, signBytes(notUtf8, secret, now())],
      ["an empty body", "", sign("")],
      ["an empty body, no header", "", null],
      ["a huge body, signed by someone else", huge, signatureHeader(huge, "whsec_x", now())],
      ["signed, but not JSON", "not json {", sign("not json {")],
      ["signed JSON null", "null", sign("null")],
      ["signed JSON array", "[]", sign("[]")],
      ["signed JSON string", '"evt_1"', sign('"evt_1"')],
    ];
    // Signed with the right secret but not an event Stripe would send (only a holder of the
    // secret can make these; still a 400, never a 500 or a stored row).
    const notEvents = [
      { id, data: { object: {} } },
      { id, type: "invoice.paid", data: {} },
      { id, type: "invoice.paid", data: null },
      { type: "invoice.paid", data: { object: {} } },
      { id: 42, type: "invoice.paid", data: { object: {} } },
      { id, type: ["invoice.paid"], data: { object: {} } },
      { id, type: "invoice.paid", data: { object: { id: "in_1" } } },
      { id, type: "invoice.paid", created: "yesterday", data: { object: { id: "in_1" } } },
      { id, type: "invoice.paid", created: 1e20, data: { object: { id: "in_1" } } },
    ];
    for (const body of notEvents) {
      const text = JSON.stringify(body);
      cases.push([`signed, not an event: ${text}`, text, sign(text)]);
    }
    const bad: string[] = [];
    for (const [label, body, signature] of cases) {
      const reply = await post(body, signature);
      if (reply.status !== 400 || reply.body.received !== false)
        bad.push(
          `${reply.status} ${label.slice(0, 150)}: ${JSON.stringify(reply.body).slice(0, 200)}`,
        );
    }
    expect(bad).toEqual([]);
    expect(await app.db.stripeEvent.count()).toBe(before);
    expect(await app.db.stripeEvent.findUnique({ where: { id } })).toBeNull();

    // Signed, well-formed, but its object has no id Kindred could act on: acknowledged, ignored.
    const noId = fakeEvent("invoice.paid", { id: 42, object: "invoice" });
    expect(await post(noId)).toMatchObject({ status: 200, body: { outcome: "ignored" } });
  });

  it("the Next route answers 413 past 512 KB (with or without Content-Length) and 400 to forgeries", async () => {
    const { POST } = await import("@/app/api/stripe/webhook/route");
    const { MAX_WEBHOOK_BYTES } = await import("@/server/billing/webhook");
    const before = await app.db.stripeEvent.count();
    const secret = env().billing.webhookSecret;
    const request = (body: BodyInit, headers: Record<string, string>) =>
      new Request("http://127.0.0.1/api/stripe/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    const huge = fakeEvent("invoice.paid", {
      id: "in_huge",
      object: "invoice",
      pad: "x".repeat(MAX_WEBHOOK_BYTES),
    });
    const signed = signatureHeader(huge, secret, now());
    // Declared too large: refused before the body is read.
    let response = await POST(
      request(huge, { "stripe-signature": signed, "content-length": String(huge.length) }),
    );
    expect(response.status).toBe(413);
    // Not declared (chunked): refused once read.
    response = await POST(request(huge, { "stripe-signature": signed }));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ received: false });
    // A declared length that lies cannot sneak a big body through either.
    response = await POST(request(huge, { "stripe-signature": signed, "content-length": "10" }));
    expect(response.status).toBe(413);
    // Just under the limit, but forged: 400.
    const small = fakeEvent("invoice.paid", { id: "in_small", object: "invoice" });
    response = await POST(
      request(small, { "stripe-signature": signatureHeader(small, "whsec_forged", now()) }),
    );
    expect(response.status).toBe(400);
    response = await POST(request(new Uint8Array(randomBytes(2048)), {}));
    expect(response.status).toBe(400);
    expect(await app.db.stripeEvent.count()).toBe(before);
  });
  it("Kindred's own server answers the webhook before Next.js: stored and queued, 413 past the cap, 400 to forgeries", async () => {
    const { isStripeWebhook, serveStripeWebhook } = await import("@/server/billing/webhook-http");
    const { createWebServer } = await import("@/server/http/web-server");
    const { MAX_WEBHOOK_BYTES } = await import("@/server/billing/webhook");
    const { producerBoss } = await import("@/server/jobs/producer");
    const { installQueues } = await import("@/server/jobs/worker");
    const { JOBS } = await import("@/server/jobs/registry");
    // The deployed path sends to pg-boss itself (this file's other tests record sends instead).
    await installQueues(app.database.url, JOBS);
    expect(isStripeWebhook({ method: "POST", url: "/api/stripe/webhook" })).toBe(true);
    expect(isStripeWebhook({ method: "POST", url: "/api/stripe/webhook?x=1" })).toBe(true);
    expect(isStripeWebhook({ method: "GET", url: "/api/stripe/webhook" })).toBe(false);
    expect(isStripeWebhook({ method: "POST", url: "/api/stripe/webhooks" })).toBe(false);
    expect(isStripeWebhook({ method: "POST", url: "/api/stripe/webhook/x" })).toBe(false);

    let nextCalls = 0;
    const web = createWebServer({
      trustedProxies: 0,
      handler: (req, res) => {
        if (isStripeWebhook(req)) return serveStripeWebhook(req, res);
        nextCalls++;
        res.writeHead(404).end();
      },
    });
    const { port } = await web.listen(0, "127.0.0.1");
    const url = `http://127.0.0.1:${port}/api/stripe/webhook`;
    const secret = env().billing.webhookSecret;
    const send = async (body: BodyInit, headers: Record<string, string>) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    try {
      const before = await app.db.stripeEvent.count();
      const huge = fakeEvent("invoice.paid", {
        id: "in_huge",
        object: "invoice",
        pad: "x".repeat(MAX_WEBHOOK_BYTES),
      });
      const signedHuge = signatureHeader(huge, secret, now());
      // Declared too large, then sent chunked (no length): both refused.
      expect(await send(huge, { "stripe-signature": signedHuge })).toMatchObject({
        status: 413,
        body: { received: false },
      });
      const chunked = new Blob([huge]).stream();
      const response = await fetch(url, {
        method: "POST",
        headers: { "stripe-signature": signedHuge },
        body: chunked,
        duplex: "half",
      } as RequestInit);
      expect(response.status).toBe(413);
      const small = fakeEvent("invoice.paid", { id: "in_small", object: "invoice" });
      expect(
        await send(small, { "stripe-signature": signatureHeader(small, "whsec_forged", now()) }),
      ).toMatchObject({ status: 400, body: { received: false } });
      expect(await send(new Uint8Array(randomBytes(2048)), {})).toMatchObject({ status: 400 });
      expect(await app.db.stripeEvent.count()).toBe(before);

      // A genuine delivery is stored once and queued for the worker; its repeat is not stored
      // again (it stays queued under the same singleton key until the worker acts on it).
      const id = `evt_node_${rid()}`;
      const event = fakeEvent(
        "customer.subscription.updated",
        { id: "sub_node", object: "subscription", customer: "cus_node" },
        id,
      );
      const signed = { "stripe-signature": signatureHeader(event, secret, now()) };
      expect(await send(event, signed)).toMatchObject({
        status: 200,
        body: { received: true, queued: true },
      });
      expect(await send(event, signed)).toMatchObject({ status: 200, body: { received: true } });
      expect(await app.db.stripeEvent.findUnique({ where: { id } })).toMatchObject({
        status: "RECEIVED",
        attempts: 0,
      });
      const jobs = await app.db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM pgboss.job
         WHERE name = 'billing.webhook-event' AND data->>'eventId' = ${id}`;
      expect(Number(jobs[0]?.n)).toBe(1);
      expect(nextCalls).toBe(0);
    } finally {
      await web.stop();
      const global = globalThis as unknown as { kindredBoss?: unknown };
      if (global.kindredBoss) {
        await (await producerBoss()).stop({ graceful: false, wait: true });
        global.kindredBoss = undefined;
      }
    }
  });
});

// ─── 3. Failures and what is not Kindred's ──────────────────────────────────────────────────

/** One member's billing rows, for comparing two deliveries of the same events. */
async function memberState(userId: string, email: string, eventIds: string[]) {
  const [subscriptions, invoices, emails, events] = await Promise.all([
    app.db.subscription.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    app.db.invoice.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    app.db.email.findMany({
      where: { category: "billing", toAddress: email },
      orderBy: { dedupeKey: "asc" },
      select: { dedupeKey: true, toAddress: true, subject: true, html: true, text: true },
    }),
    app.db.stripeEvent.findMany({
      where: { id: { in: eventIds } },
      orderBy: { id: "asc" },
      select: { id: true, type: true, objectId: true, status: true, lastError: true },
    }),
  ]);
  return {
    subscriptions: subscriptions.map(({ updatedAt: _, ...row }) => row),
    invoices: invoices.map(({ updatedAt: _, ...row }) => row),
    emails,
    events,
  };
}

describe("a handler that fails", () => {
  it("answers 500 and records FAILED; the redelivery converges to a clean delivery's rows", async () => {
    const member = await app.createUser("MEMBER");
    const planId = await createPlan({
      kind: "RECURRING",
      interval: "MONTH",
      price: "7",
      currency: "gbp",
      trialDays: 3,
      scope: "ALL_PROGRAMS",
    });
    const mark = await lastSeq();
    const sessionId = await checkout(member, planId, FAILS);
    const subId = await subscriptionOf(sessionId);
    // The trial ends and the first charge fails.
    await billing.clock({ to: "subscription", subscription: subId });
    const { stripeCustomerId } = await app.db.billingCustomer.findUniqueOrThrow({
      where: { userId: member.id },
    });
    const mine = (await emulatorEvents(mark)).filter((e) => e.customer === stripeCustomerId);
    const failed = mine.find((e) => e.type === "invoice.payment_failed");
    expect(failed).toBeDefined();
    const invoiceId = (JSON.parse(failed!.payload) as { data: { object: { id: string } } }).data
      .object.id;
    const eventIds = mine.map((e) => e.id);
    const stored = () => app.db.stripeEvent.findUniqueOrThrow({ where: { id: failed!.id } });
    const jobsFor = async () => {
      const email = await app.db.email.findUnique({
        where: { dedupeKey: `payment-failed:${invoiceId}` },
        select: { id: true },
      });
      return email
        ? app.sent.filter((j) => (j.payload as { emailId?: string }).emailId === email.id).length
        : 0;
    };

    const subscriptions = stripe().subscriptions;
    const original = subscriptions.retrieve.bind(subscriptions);
    const retrieve = vi.spyOn(subscriptions, "retrieve");
    const send = vi.spyOn(app.queue, "send");
    const refused = async (attempts: number, error: string) => {
      const reply = await post(failed!.payload);
      expect(reply).toMatchObject({ status: 500, body: { received: false } });
      expect(await stored()).toMatchObject({
        status: "FAILED",
        attempts,
        processedAt: null,
        lastError: expect.stringContaining(error),
      });
    };
    const invoiceRow = () => app.db.invoice.findUnique({ where: { id: invoiceId } });
    try {
      for (const event of mine) {
        if (event === failed) {
          // 1. Stripe cannot be reached: nothing is written.
          retrieve.mockRejectedValueOnce(new Error("Stripe is unreachable (test)"));
          await refused(1, "Stripe is unreachable");
          expect(await invoiceRow()).toBeNull();

          // 2. The database fails inside the customer's transaction, after the invoice row was
          // written and before the subscription's: all of it rolls back.
          await app.db.$executeRawUnsafe(`CREATE SEQUENCE "test_fail_once"`);
          await app.db.$executeRawUnsafe(`
            CREATE FUNCTION test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF nextval('"test_fail_once"') = 1 THEN RAISE EXCEPTION 'disk full (test)'; END IF;
              RETURN NEW;
            END $$`);
          await app.db.$executeRawUnsafe(`
            CREATE TRIGGER test_fail_once BEFORE INSERT OR UPDATE ON "Subscription"
            FOR EACH ROW EXECUTE FUNCTION test_fail_once()`);
          try {
            await refused(2, "disk full (test)");
          } finally {
            await app.db.$executeRawUnsafe(`DROP TRIGGER test_fail_once ON "Subscription"`);
            await app.db.$executeRawUnsafe(`DROP FUNCTION test_fail_once()`);
            await app.db.$executeRawUnsafe(`DROP SEQUENCE "test_fail_once"`);
          }
          expect(await invoiceRow()).toBeNull();

          // 3. The rows commit, then Stripe fails on the read that checks they are current.
          retrieve
            .mockImplementationOnce(original)
            .mockRejectedValueOnce(new Error("Stripe timed out (test)"));
          await refused(3, "Stripe timed out");
          expect(await invoiceRow()).toMatchObject({ status: "open", attemptCount: 1 });
          expect(await app.db.email.count({ where: { toAddress: member.email } })).toBe(0);

          // 4. The email row commits, then its job cannot be queued.
          send.mockRejectedValueOnce(new Error("queue is down (test)"));
          await refused(4, "queue is down");
          expect(await app.db.email.count({ where: { toAddress: member.email } })).toBe(1);
          expect(await jobsFor()).toBe(0);
        }
        // Stripe's retry (or the first delivery of every other event).
        const reply = await post(event.payload);
        expect(reply.status, `${event.type}: ${JSON.stringify(reply.body)}`).toBe(200);
      }
    } finally {
      retrieve.mockRestore();
      send.mockRestore();
    }
    expect(await stored()).toMatchObject({ status: "PROCESSED", attempts: 5, lastError: null });
    expect((await stored()).processedAt).not.toBeNull();
    expect(await jobsFor()).toBe(1);
    const sub = await app.db.subscription.findUniqueOrThrow({ where: { id: subId } });
    expect(sub).toMatchObject({ status: "PAST_DUE", checkoutSessionId: sessionId });
    const afterCrash = await memberState(member.id, member.email, eventIds);
    expect(afterCrash.emails.map((e) => e.dedupeKey)).toEqual([`payment-failed:${invoiceId}`]);

    // The same events delivered cleanly into empty rows give the same rows.
    await wipe(app.db, { userIds: [member.id], eventIds });
    expect(await app.db.subscription.count({ where: { userId: member.id } })).toBe(0);
    for (const event of mine) expect((await post(event.payload)).status).toBe(200);
    expect(await memberState(member.id, member.email, eventIds)).toEqual(afterCrash);
  }, 60_000);

  it("acknowledges an unknown event type and stores it IGNORED", async () => {
    const id = `evt_unknown_${rid()}`;
    const body = fakeEvent(
      "customer.tax_id.created",
      { id: `txi_${rid()}`, object: "tax_id", customer: "cus_whoever" },
      id,
    );
    const reply = await post(body);
    expect(reply).toMatchObject({ status: 200, body: { received: true, outcome: "ignored" } });
    expect(await app.db.stripeEvent.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "IGNORED",
      type: "customer.tax_id.created",
      lastError: null,
    });
    // Delivered again: a duplicate, acknowledged without acting.
    expect(await post(body)).toMatchObject({ status: 200, body: { duplicate: true } });
    expect((await app.db.stripeEvent.findUniqueOrThrow({ where: { id } })).attempts).toBe(1);
  });

  it("acknowledges events of a customer that is not Kindred's (200, IGNORED) and writes nothing", async () => {
    const priceOf = async (planId: string) =>
      (await app.db.plan.findUniqueOrThrow({ where: { id: planId } })).stripePriceId!;
    const monthly = await priceOf(
      await createPlan({
        kind: "RECURRING",
        interval: "MONTH",
        price: "8",
        currency: "usd",
        scope: "ALL_PROGRAMS",
      }),
    );
    const oneTime = await priceOf(
      await createPlan({
        kind: "ONE_TIME",
        price: "25",
        currency: "usd",
        scope: "SOME_PROGRAMS",
        programIds: [cohortProgramId],
      }),
    );
    const mark = await lastSeq();
    // Another app on the same Stripe account: its own customer, subscription and purchase.
    const foreign = await stripe().customers.create({ email: "someone@another-app.example" });
    const urls = {
      success_url: "https://another-app.example/ok",
      cancel_url: "https://another-app.example/no",
    };
    const subscription = await stripe().checkout.sessions.create({
      mode: "subscription",
      customer: foreign.id,
      line_items: [{ price: monthly, quantity: 1 }],
      ...urls,
    });
    expect((await billing.pay(subscription.url!)).status).toBe(303);
    const payment = await stripe().checkout.sessions.create({
      mode: "payment",
      customer: foreign.id,
      line_items: [{ price: oneTime, quantity: 1 }],
      ...urls,
    });
    expect((await billing.pay(payment.url!)).status).toBe(303);
    const paid = await stripe().checkout.sessions.retrieve(payment.id);
    await stripe().refunds.create({ payment_intent: paid.payment_intent as string, amount: 100 });
    const theirs = await emulatorEvents(mark);
    const handled = theirs.filter((e) =>
      [
        "checkout.session.completed",
        "customer.subscription.created",
        "invoice.paid",
        "charge.refunded",
      ].includes(e.type),
    );
    expect(handled.length).toBeGreaterThanOrEqual(5);
    for (const event of theirs) {
      const reply = await post(event.payload);
      expect(reply.status, `${event.type}: ${JSON.stringify(reply.body)}`).toBe(200);
    }
    const rows = await app.db.stripeEvent.findMany({
      where: { id: { in: theirs.map((e) => e.id) } },
      select: { id: true, status: true, lastError: true },
    });
    expect(rows).toHaveLength(theirs.length);
    expect(rows.every((r) => r.status === "IGNORED")).toBe(true);
    for (const event of handled) {
      expect(rows.find((r) => r.id === event.id)?.lastError, event.type).toMatch(
        /is not a Kindred member/,
      );
    }
    const subId = (await stripe().checkout.sessions.retrieve(subscription.id))
      .subscription as string;
    expect(await app.db.subscription.findUnique({ where: { id: subId } })).toBeNull();
    expect(
      await app.db.purchase.count({
        where: { checkoutSessionId: { in: [subscription.id, payment.id] } },
      }),
    ).toBe(0);
    expect(await app.db.invoice.count({ where: { subscriptionId: subId } })).toBe(0);
    expect(
      await app.db.refund.count({
        where: {
          chargeId: (await stripe().paymentIntents.retrieve(paid.payment_intent as string))
            .latest_charge as string,
        },
      }),
    ).toBe(0);
  });
});

describe("a trial's end", () => {
  it("is told once, three days before, with the price, or that nothing will be charged", async () => {
    const planId = await createPlan({
      kind: "RECURRING",
      interval: "MONTH",
      price: "9",
      currency: "gbp",
      trialDays: 14,
      scope: "ALL_PROGRAMS",
    });
    const staying = await app.createUser("MEMBER");
    const leaving = await app.createUser("MEMBER");
    const mark = await lastSeq();
    const stayingSub = await subscriptionOf(await checkout(staying, planId));
    const leavingSub = await subscriptionOf(await checkout(leaving, planId));
    await portal(leaving, { action: "cancel", subscription: leavingSub });
    const deliver = async (after: bigint) => {
      const events = await emulatorEvents(after);
      for (const event of events) {
        const reply = await post(event.payload);
        expect(reply.status, `${event.type}: ${JSON.stringify(reply.body)}`).toBe(200);
      }
      return events;
    };
    const noticesTo = (email: string) =>
      app.db.email.findMany({
        where: { toAddress: email, dedupeKey: { startsWith: "trial-ending:" } },
        select: { dedupeKey: true, subject: true, text: true },
      });

    // Eleven days before the trial ends: nothing yet.
    const first = await deliver(mark);
    expect(first.some((e) => e.type === "customer.subscription.trial_will_end")).toBe(false);
    expect(await noticesTo(staying.email)).toEqual([]);

    // Three days before: Stripe says so, and each member hears it once.
    const beforeNotice = await lastSeq();
    await billing.clock({ seconds: 11 * DAY + 60 });
    const second = await deliver(beforeNotice);
    expect(second.filter((e) => e.type === "customer.subscription.trial_will_end")).toHaveLength(2);
    const [stays] = await noticesTo(staying.email);
    expect(stays?.dedupeKey).toMatch(new RegExp(`^trial-ending:${stayingSub}:`));
    expect(stays?.subject).toMatch(/trial ends on/);
    expect(stays?.text).toContain("£9.00 a month");
    expect(stays?.text).toMatch(/cancel before/);
    const [leaves] = await noticesTo(leaving.email);
    expect(leaves?.text).toMatch(/nothing will be charged/);
    expect(leaves?.text).not.toContain("£9.00 a month, charged");

    // A redelivery, and the trial's end itself, send nothing more.
    await deliver(beforeNotice);
    const atEnd = await lastSeq();
    await billing.clock({ seconds: 4 * DAY });
    const third = await deliver(atEnd);
    expect(third.some((e) => e.type === "customer.subscription.trial_will_end")).toBe(false);
    expect(await noticesTo(staying.email)).toHaveLength(1);
    expect(await noticesTo(leaving.email)).toHaveLength(1);
    // A notice replayed after the trial ended says nothing out of date.
    const late = second.find(
      (e) => e.type === "customer.subscription.trial_will_end" && e.payload.includes(stayingSub),
    );
    await app.db.email.deleteMany({ where: { toAddress: staying.email } });
    await app.db.stripeEvent.delete({ where: { id: late!.id } });
    expect((await post(late!.payload)).status).toBe(200);
    expect(await noticesTo(staying.email)).toEqual([]);
  });
});
