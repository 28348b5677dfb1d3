import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { billingEventJob, receiveWebhook } from "@/server/billing/webhook";
import { signatureHeader } from "@/server/emulators/stripe";
import { programAccess } from "@/server/entitlements/service";
import { env, resetEnvCache } from "@/server/env";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";
import { type BillingHarness, startBillingHarness, stripe } from "../helpers/stripe";

/**
 * Memberships end to end on the real Stripe SDK, the built-in emulator and Kindred's webhook
 * route over HTTP: plans mirrored to Stripe, checkout, webhooks, the entitlement that follows
 * each status, the portal, refunds and comps.
 */
let app: TestApp;
let billing: BillingHarness;
let admin: Session["user"];
let coach: Session["user"];
let programs: { plans: string; sold: string };
let plansExercise: string;

const DAY = 86_400;

beforeAll(async () => {
  app = await createTestApp();
  process.env.DATABASE_URL = app.database.url;
  resetEnvCache();
  billing = await startBillingHarness(app.db, app.queue);
  admin = await app.createUser("ADMIN");
  coach = await app.createUser("COACH");
  const plans = await seedProgram(app.db, coach.id, { accessRule: "PLANS" });
  plansExercise = plans.ex.REFLECTION;
  programs = {
    plans: plans.program.id,
    sold: (await seedProgram(app.db, coach.id, { accessRule: "PURCHASE" })).program.id,
  };
}, 60_000);

afterAll(async () => {
  await billing?.close();
  await app?.close();
});

const asAdmin = () => app.caller(admin);

async function monthlyPlan(
  extra: Partial<{ trialDays: number; pausable: boolean; price: string }> = {},
) {
  const { id } = await asAdmin().billing.admin.createPlan({
    name: `Monthly ${Math.random().toString(36).slice(2, 6)}`,
    kind: "RECURRING",
    interval: "MONTH",
    price: extra.price ?? "12.00",
    currency: "gbp",
    trialDays: extra.trialDays ?? 0,
    pausable: extra.pausable ?? false,
    scope: "ALL_PROGRAMS",
  });
  return id;
}

async function access(user: Session["user"], programId: string) {
  const program = await app.db.program.findUniqueOrThrow({ where: { id: programId } });
  return programAccess(app.db, user, program);
}

/** A member buys a plan through Checkout with a card, and the webhooks land. */
async function buy(user: Session["user"], planId: string, card?: string) {
  const { url } = await app.caller(user).billing.checkout({ planId, attempt: crypto.randomUUID() });
  const paid = await billing.pay(url, card);
  expect(paid.status).toBe(303);
  const location = paid.headers.get("location") ?? "";
  await billing.deliver();
  return new URL(location).searchParams.get("session") ?? "";
}

async function mySubscription(user: Session["user"]) {
  return app.db.subscription.findFirstOrThrow({
    where: { userId: user.id },
    orderBy: { startedAt: "desc" },
  });
}

describe("plans", () => {
  it("are mirrored to a Stripe product and price; a new amount is a new price", async () => {
    const planId = await monthlyPlan();
    const plan = await app.db.plan.findUniqueOrThrow({ where: { id: planId } });
    expect(plan.amount).toBe(1200);
    const price = await stripe().prices.retrieve(plan.stripePriceId!);
    expect(price).toMatchObject({
      unit_amount: 1200,
      currency: "gbp",
      active: true,
      product: plan.stripeProductId,
    });
    expect(price.recurring?.interval).toBe("month");

    await asAdmin().billing.admin.updatePlan({
      planId,
      name: plan.name,
      price: "15",
      active: true,
    });
    const after = await app.db.plan.findUniqueOrThrow({ where: { id: planId } });
    expect(after.stripePriceId).not.toBe(plan.stripePriceId);
    expect((await stripe().prices.retrieve(after.stripePriceId!)).unit_amount).toBe(1500);
    expect((await stripe().prices.retrieve(plan.stripePriceId!)).active).toBe(false);
    expect(await app.db.planPrice.count({ where: { planId } })).toBe(2);
    const audit = await app.db.auditLog.findMany({
      where: { targetId: planId },
      select: { action: true },
    });
    expect(audit.map((a) => a.action).sort()).toEqual([
      "billing.plan.create",
      "billing.plan.update",
    ]);
  });

  it("refuses bad prices, currencies and combinations field by field, sending nothing to Stripe", async () => {
    const before = await stripe().products.list({ limit: 100 });
    const base = {
      name: "Bad",
      kind: "RECURRING" as const,
      interval: "MONTH" as const,
      currency: "usd",
      scope: "ALL_PROGRAMS" as const,
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, price: "-5" }, "price"],
      [{ ...base, price: "0" }, "price"],
      [{ ...base, price: "99999999" }, "price"],
      [{ ...base, price: "12.345" }, "price"],
      [{ ...base, price: "12", currency: "xyz" }, "currency"],
      [
        {
          ...base,
          price: "12",
          kind: "ONE_TIME",
          interval: null,
          trialDays: 7,
          scope: "SOME_PROGRAMS",
          programIds: [programs.sold],
        },
        "trialDays",
      ],
      [{ ...base, price: "12", scope: "SOME_PROGRAMS", programIds: [] }, "programIds"],
      [{ ...base, price: "12", scope: "COHORT_SEAT" }, "scope"],
      [{ ...base, price: "12", interval: null }, "interval"],
    ];
    for (const [input, field] of cases) {
      const result = await errorOf(() => asAdmin().billing.admin.createPlan(input as never));
      expect(result.code, JSON.stringify(input)).toBe("BAD_REQUEST");
      expect(Object.keys(result.fields), JSON.stringify(input)).toContain(field);
    }
    const missing = await errorOf(() =>
      asAdmin().billing.admin.createPlan({
        ...base,
        price: "12",
        scope: "SOME_PROGRAMS",
        programIds: ["no-such-program"],
      }),
    );
    expect(missing.code).toBe("BAD_REQUEST");
    expect((await stripe().products.list({ limit: 100 })).data.length).toBe(before.data.length);
  });
});

describe("a subscription through its life", () => {
  it("trial, failed renewal with grace and one email, card updated, cancel at period end, read-only journal", async () => {
    const member = await app.createUser("MEMBER");
    const planId = await monthlyPlan({ trialDays: 14 });
    expect((await access(member, programs.plans)).canAnswer).toBe(false);

    // 0341 is accepted for a trial and declines every charge after it.
    const sessionId = await buy(member, planId, "4000 0000 0000 0341");
    expect((await app.caller(member).billing.checkoutStatus({ sessionId })).ready).toBe(true);
    expect(await mySubscription(member)).toMatchObject({ status: "TRIALING", planId });
    expect((await access(member, programs.plans)).source).toBe("subscription");
    expect((await access(member, programs.sold)).canAnswer).toBe(false);

    // A second checkout of the same plan is refused.
    const again = await errorOf(() =>
      app.caller(member).billing.checkout({ planId, attempt: crypto.randomUUID() }),
    );
    expect(again.code).toBe("CONFLICT");

    await app.caller(member).player.enrol({ programId: programs.plans });
    await app
      .caller(member)
      .player.submit({ exerciseId: plansExercise, content: ANSWERS.REFLECTION });
    const sub = await mySubscription(member);
    await billing.clock({ to: "subscription", subscription: sub.id });
    await billing.deliver();
    const lapsed = await mySubscription(member);
    expect(lapsed.status).toBe("PAST_DUE");
    expect(lapsed.pastDueSince).not.toBeNull();
    expect((await access(member, programs.plans)).canAnswer).toBe(true); // grace
    expect(await app.caller(member).billing.notice()).toMatchObject({
      planName: expect.any(String),
    });
    const failed = await app.db.email.findMany({
      where: { category: "billing", toAddress: member.email },
    });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.subject).toMatch(/did not go through/);

    // The same events again change nothing and send nothing.
    await billing.deliver();
    expect(
      await app.db.email.count({ where: { category: "billing", toAddress: member.email } }),
    ).toBe(1);

    // The member updates the card in the portal: the open invoice is paid, access is normal.
    const { url: portal } = await app.caller(member).billing.portal({ returnTo: "billing" });
    expect(
      (await billing.portal(portal, { action: "card", card: "4242 4242 4242 4242" })).status,
    ).toBe(303);
    await billing.deliver();
    expect(await mySubscription(member)).toMatchObject({ status: "ACTIVE", pastDueSince: null });
    expect(await app.caller(member).billing.notice()).toBeNull();
    const mine = await app.caller(member).billing.mine();
    expect(mine.invoices.some((i) => i.status === "paid")).toBe(true);
    expect(mine.subscriptions[0]!.nextChargeAt).not.toBeNull();

    // Cancel at period end: access until then, none after.
    expect((await billing.portal(portal, { action: "cancel", subscription: sub.id })).status).toBe(
      303,
    );
    await billing.deliver();
    expect(await mySubscription(member)).toMatchObject({
      status: "ACTIVE",
      cancelAtPeriodEnd: true,
    });
    expect((await access(member, programs.plans)).canAnswer).toBe(true);
    await billing.clock({ to: "subscription", subscription: sub.id });
    await billing.deliver();
    expect((await mySubscription(member)).status).toBe("CANCELED");
    expect((await access(member, programs.plans)).canAnswer).toBe(false);
    // Losing access never hides the journal: what was written stays readable, not writable.
    const journal = await app.caller(member).journal.list({});
    expect(journal.items.map((i) => i.exerciseId)).toContain(plansExercise);
    const write = await errorOf(() =>
      app.caller(member).player.submit({ exerciseId: plansExercise, content: ANSWERS.REFLECTION }),
    );
    expect(write.code).toBe("FORBIDDEN");
  }, 60_000);

  it("a pausable plan can be paused (no access) and resumed", async () => {
    const member = await app.createUser("MEMBER");
    const planId = await monthlyPlan({ pausable: true });
    await buy(member, planId);
    const sub = await mySubscription(member);
    const { url: portal } = await app.caller(member).billing.portal({ returnTo: "billing" });
    expect((await billing.portal(portal, { action: "pause", subscription: sub.id })).status).toBe(
      303,
    );
    await billing.deliver();
    expect((await mySubscription(member)).paused).toBe(true);
    expect((await access(member, programs.plans)).canAnswer).toBe(false);
    expect((await billing.portal(portal, { action: "resume", subscription: sub.id })).status).toBe(
      303,
    );
    await billing.deliver();
    expect((await mySubscription(member)).paused).toBe(false);
    expect((await access(member, programs.plans)).canAnswer).toBe(true);
  }, 30_000);

  it("a declined card at checkout creates nothing", async () => {
    const member = await app.createUser("MEMBER");
    const planId = await monthlyPlan();
    const { url } = await app
      .caller(member)
      .billing.checkout({ planId, attempt: crypto.randomUUID() });
    expect((await billing.pay(url, "4000 0000 0000 0002")).status).toBe(402);
    await billing.deliver();
    expect(await app.db.subscription.count({ where: { userId: member.id } })).toBe(0);
    expect((await access(member, programs.plans)).canAnswer).toBe(false);
  });

  it("one click is one Checkout Session, and one Stripe customer per member", async () => {
    const member = await app.createUser("MEMBER");
    const planId = await monthlyPlan();
    const attempt = crypto.randomUUID();
    const [a, b] = await Promise.all([
      app.caller(member).billing.checkout({ planId, attempt }),
      app.caller(member).billing.checkout({ planId, attempt }),
    ]);
    expect(a.url).toBe(b.url);
    const c = await app.caller(member).billing.checkout({ planId, attempt: crypto.randomUUID() });
    expect(c.url).not.toBe(a.url);
    expect(await app.db.billingCustomer.count({ where: { userId: member.id } })).toBe(1);
    const customers = await stripe().customers.list({ limit: 100 });
    expect(customers.data.filter((x) => x.metadata?.userId === member.id)).toHaveLength(1);
  });
});

describe("one-time purchases, refunds and comps", () => {
  async function programPurchase() {
    const { id } = await asAdmin().billing.admin.createPlan({
      name: "The deep dive",
      kind: "ONE_TIME",
      price: "49",
      currency: "eur",
      scope: "SOME_PROGRAMS",
      programIds: [programs.sold],
    });
    return id;
  }

  it("grants the program; partial refund keeps it, full refund ends it; over-refunds are refused", async () => {
    const member = await app.createUser("MEMBER");
    const planId = await programPurchase();
    await buy(member, planId);
    const purchase = await app.db.purchase.findFirstOrThrow({ where: { userId: member.id } });
    expect(purchase).toMatchObject({ amount: 4900, currency: "eur", amountRefunded: 0 });
    expect((await access(member, programs.sold)).source).toBe("purchase");
    expect((await access(member, programs.plans)).canAnswer).toBe(false);

    const tooMuch = await errorOf(() =>
      asAdmin().billing.admin.refund({
        purchaseId: purchase.id,
        amount: "50",
        reason: "test",
        attempt: crypto.randomUUID(),
      }),
    );
    expect(tooMuch.code).toBe("BAD_REQUEST");
    expect(tooMuch.fields.amount?.[0]).toMatch(/At most €49.00/);

    const attempt = crypto.randomUUID();
    const first = await asAdmin().billing.admin.refund({
      purchaseId: purchase.id,
      amount: "9",
      reason: "Partly",
      attempt,
    });
    const repeat = await asAdmin().billing.admin.refund({
      purchaseId: purchase.id,
      amount: "9",
      reason: "Partly",
      attempt,
    });
    expect(repeat.refundId).toBe(first.refundId);
    await billing.deliver();
    expect(
      (await app.db.purchase.findUniqueOrThrow({ where: { id: purchase.id } })).amountRefunded,
    ).toBe(900);
    expect((await access(member, programs.sold)).canAnswer).toBe(true);

    await asAdmin().billing.admin.refund({
      purchaseId: purchase.id,
      reason: "The rest",
      attempt: crypto.randomUUID(),
    });
    await billing.deliver();
    const refunded = await app.db.purchase.findUniqueOrThrow({ where: { id: purchase.id } });
    expect(refunded.amountRefunded).toBe(4900);
    expect(refunded.refundedAt).not.toBeNull();
    expect((await access(member, programs.sold)).canAnswer).toBe(false);
    const again = await errorOf(() =>
      asAdmin().billing.admin.refund({
        purchaseId: purchase.id,
        reason: "More",
        attempt: crypto.randomUUID(),
      }),
    );
    expect(again.code).toBe("CONFLICT");
    expect(await app.db.refund.count({ where: { purchaseId: purchase.id } })).toBe(2);
    expect(
      await app.db.auditLog.count({ where: { action: "billing.refund", targetId: purchase.id } }),
    ).toBe(2);
  }, 30_000);

  it("comps grant with expiry and are revoked, audited; unknown members are refused", async () => {
    const member = await app.createUser("MEMBER");
    const tomorrow = new Date(Date.now() + 2 * DAY * 1000).toISOString().slice(0, 10);
    const comp = await asAdmin().billing.admin.grantComp({
      email: member.email,
      programId: programs.sold,
      expiresOn: tomorrow,
      reason: "Scholarship",
    });
    expect((await access(member, programs.sold)).source).toBe("comp");
    expect((await asAdmin().billing.admin.comps()).some((c) => c.id === comp.id)).toBe(true);
    await asAdmin().billing.admin.revokeComp({ compId: comp.id });
    expect((await access(member, programs.sold)).canAnswer).toBe(false);
    const actions = await app.db.auditLog.findMany({
      where: { targetId: comp.id },
      select: { action: true },
    });
    expect(actions.map((a) => a.action).sort()).toEqual([
      "billing.comp.grant",
      "billing.comp.revoke",
    ]);

    const nobody = await errorOf(() =>
      asAdmin().billing.admin.grantComp({ email: "nobody@example.org", programId: null }),
    );
    expect(nobody).toMatchObject({
      code: "BAD_REQUEST",
      fields: { email: [expect.stringMatching(/No member/)] },
    });
    const past = await errorOf(() =>
      asAdmin().billing.admin.grantComp({
        email: member.email,
        programId: null,
        expiresOn: "2020-01-01",
      }),
    );
    expect(past.fields.expiresOn).toBeDefined();
  });
});

describe("a cohort seat", () => {
  it("is offered on the program's page, and buying it seats the buyer and opens the program", async () => {
    const cohort = await app.db.cohort.create({
      data: {
        programId: programs.sold,
        name: "Paid circle",
        slug: `paid-circle-${Date.now()}`,
        startDate: new Date(new Date().toISOString().slice(0, 10)),
        timeZone: "UTC",
        capacity: 5,
      },
    });
    const { id: planId } = await asAdmin().billing.admin.createPlan({
      name: "A seat in the paid circle",
      kind: "ONE_TIME",
      price: "90",
      currency: "usd",
      scope: "COHORT_SEAT",
      cohortId: cohort.id,
    });
    const member = await app.createUser("MEMBER");
    const offered = await app.caller(member).billing.forProgram({ programId: programs.sold });
    expect(offered.map((p) => p.id)).toContain(planId);
    expect((await access(member, programs.sold)).canAnswer).toBe(false);

    const sessionId = await buy(member, planId);
    expect(await app.caller(member).billing.checkoutStatus({ sessionId })).toMatchObject({
      ready: true,
      cohortSlug: cohort.slug,
    });
    const seat = await app.db.cohortMember.findUniqueOrThrow({
      where: { cohortId_userId: { cohortId: cohort.id, userId: member.id } },
    });
    expect(seat.status).toBe("ACTIVE");
    expect((await access(member, programs.sold)).source).toBe("purchase");
    // A replayed event does not pull back a member who left.
    await app.db.cohortMember.update({ where: { id: seat.id }, data: { status: "LEFT" } });
    const events = await asAdmin().billing.admin.events();
    const checkout = events.find(
      (e) => e.type === "checkout.session.completed" && e.objectId === sessionId,
    );
    await asAdmin().billing.admin.replayEvent({ eventId: checkout!.id });
    expect((await app.db.cohortMember.findUniqueOrThrow({ where: { id: seat.id } })).status).toBe(
      "LEFT",
    );
  }, 30_000);
});

describe("the deployed webhook path", () => {
  it("stores and queues; the worker's job acts, and a duplicate is neither queued nor acted on", async () => {
    const member = await app.createUser("MEMBER");
    await buy(member, await monthlyPlan());
    const stored = await app.db.stripeEvent.findFirstOrThrow({
      where: { type: "customer.subscription.created" },
      orderBy: { receivedAt: "desc" },
    });
    const event = {
      ...(stored.payload as Record<string, unknown>),
      id: `evt_queued_${Date.now()}`,
    };
    const payload = JSON.stringify(event);
    const signature = signatureHeader(
      payload,
      env().billing.webhookSecret,
      Math.floor(Date.now() / 1000),
    );
    const before = app.sent.length;
    const reply = await receiveWebhook(app.db, async () => app.queue, payload, signature);
    expect(reply).toMatchObject({ status: 200, body: { received: true, queued: true } });
    const job = app.sent.slice(before).find((j) => j.name === billingEventJob.name);
    expect(job).toMatchObject({ payload: { eventId: event.id }, singletonKey: event.id });
    expect((await app.db.stripeEvent.findUniqueOrThrow({ where: { id: event.id } })).status).toBe(
      "RECEIVED",
    );

    await billingEventJob.handler(
      { eventId: event.id },
      { db: app.db, env: app.env, queue: app.queue, jobId: "job-1", retryCount: 0 },
    );
    const after = await app.db.stripeEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(after).toMatchObject({ status: "PROCESSED", attempts: 1 });

    const sentBefore = app.sent.length;
    const again = await receiveWebhook(app.db, async () => app.queue, payload, signature);
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(app.sent.length).toBe(sentBefore);
  });
});

describe("the console", () => {
  it("counts and MRR match the subscriptions", async () => {
    const overview = await asAdmin().billing.admin.overview();
    const subs = await app.db.subscription.findMany();
    const paying = subs.filter(
      (s) => (s.status === "ACTIVE" || s.status === "PAST_DUE") && !s.paused,
    );
    const gbp = paying
      .filter((s) => s.currency === "gbp")
      .reduce((sum, s) => sum + (s.interval === "YEAR" ? s.amount / 12 : s.amount), 0);
    expect(overview.mrr.find((m) => m.currency === "gbp")?.amount ?? 0).toBe(Math.round(gbp));
    expect(overview.counts.active).toBe(subs.filter((s) => s.status === "ACTIVE").length);
    expect(overview.counts.canceled).toBe(subs.filter((s) => s.status === "CANCELED").length);
    expect(overview.churn30.canceled).toBe(subs.filter((s) => s.status === "CANCELED").length);
    expect(overview.months).toHaveLength(12);
    const events = await asAdmin().billing.admin.events();
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.status === "PROCESSED" || e.status === "IGNORED")).toBe(true);
  });
});
