import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
  const { url } = await app.caller(user).billing.portal();
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
async function inParallel<T>(items: T[], width: number, work: (item: T, index: number) => Promise<void>) {
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
        select: { id: true, type: true, objectId: true, createdAt: true, status: true, lastError: true },
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
async function wipe(db: Db, where: { userIds?: string[] } = {}) {
  const user = where.userIds ? { userId: { in: where.userIds } } : {};
  const purchases = await db.purchase.findMany({ where: user, select: { id: true, chargeId: true } });
  await db.$transaction([
    db.subscription.deleteMany({ where: user }),
    db.invoice.deleteMany({ where: user }),
    db.refund.deleteMany(
      where.userIds
        ? {
            where: {
              OR: [
                { purchaseId: { in: purchases.map((p) => p.id) } },
                { chargeId: { in: purchases.flatMap((p) => (p.chargeId ? [p.chargeId] : [])) } },
              ],
            },
          }
        : {},
    ),
    db.purchase.deleteMany({ where: user }),
    db.email.deleteMany({
      where: {
        category: "billing",
        ...(where.userIds
          ? {
              toAddress: {
                in: (
                  await db.user.findMany({
                    where: { id: { in: where.userIds } },
                    select: { email: true },
                  })
                ).map((u) => u.email),
              },
            }
          : {}),
      },
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
        programIds: [
          (await seedProgram(app.db, coach.id, { accessRule: "PURCHASE" })).program.id,
        ],
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

    for (let month = 0; month < 3; month++) await billing.clock({ seconds: 31 * DAY });
    // Members 2 and 3 put a good card back (paying what is overdue, if anything is).
    await portal(m(2), { action: "card", card: GOOD });
    // Two more cards go bad; the last move lands just after their renewal, inside the retry
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
    expect([...statuses].sort()).toEqual(expect.arrayContaining(["ACTIVE", "CANCELED", "PAST_DUE"]));
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
    start = performance.now();
    await inParallel(chaos, 4, async (event) => {
      const reply = await post(event.payload);
      if (reply.status !== 200) {
        refused.push(`${reply.status} ${event.type} ${event.id}: ${JSON.stringify(reply.body)}`);
      }
    });
    timings.chaos = Math.round(performance.now() - start);
    expect(refused, `seed ${SEED}`).toEqual([]);
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
      `[billing-webhooks] ${events.length} events (${chaos.length} chaos deliveries, seed ${SEED}); ` +
        `history ${timings.history} ms, in order ${timings.inOrder} ms, chaos ${timings.chaos} ms; ` +
        `${inOrder.subscriptions.length} subscriptions, ${inOrder.invoices.length} invoices, ` +
        `${inOrder.purchases.length} purchases, ${inOrder.refunds.length} refunds, ` +
        `${inOrder.emails.length} emails`,
    );
  }, 150_000);
});
