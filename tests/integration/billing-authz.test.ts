import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { resetEnvCache } from "@/server/env";
import { appRouter } from "@/server/trpc/root";
import { covered } from "../authz/billing";
import { seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";
import { type BillingHarness, startBillingHarness } from "../helpers/stripe";

/**
 * Every billing procedure x every actor, on real billing built through Stripe (the emulator) and
 * the webhook route: the owner bought a monthly plan and a one-time purchase with a card and holds
 * a comp. Anyone may see what is on sale; everything else needs a session; the console is for
 * admins only (FORBIDDEN to everyone else, whatever they hold); members see, check and manage only
 * their own billing.
 */
type Actor = "anonymous" | "member" | "otherMember" | "coach" | "admin";
const ACTORS: Actor[] = ["anonymous", "member", "otherMember", "coach", "admin"];
const SIGNED_IN: Actor[] = ["member", "otherMember", "coach", "admin"];
type Caller = ReturnType<TestApp["caller"]>;
type Fixture = {
  /** A program that plans open, and one sold on its own. */
  plansProgramId: string;
  soldProgramId: string;
  /** The owner's plans (a monthly subscription, a one-time purchase), and one nobody holds. */
  monthlyPlanId: string;
  oneTimePlanId: string;
  freePlanId: string;
  subscriptionId: string;
  subscriptionSessionId: string;
  purchaseId: string;
  purchaseSessionId: string;
  invoiceIds: string[];
  eventId: string;
  /** A fresh comp of the owner's, for each case. */
  compId: string;
};
type Case = {
  allowed: Actor[];
  /** What a refused signed-in actor gets (anonymous is always UNAUTHORIZED); default FORBIDDEN. */
  refused: Partial<Record<Actor, string>>;
  call: (c: Caller, f: Fixture) => Promise<unknown>;
};

const admins = (call: Case["call"]): Case => ({ allowed: ["admin"], refused: {}, call });
const signedIn = (call: Case["call"]): Case => ({ allowed: SIGNED_IN, refused: {}, call });
const noCustomer = "PRECONDITION_FAILED";

const MATRIX: Record<string, Case> = {
  "billing.plans": { allowed: ACTORS, refused: {}, call: (c) => c.billing.plans() },
  "billing.forProgram": signedIn((c, f) => c.billing.forProgram({ programId: f.plansProgramId })),
  "billing.mine": signedIn((c) => c.billing.mine()),
  "billing.notice": signedIn((c) => c.billing.notice()),
  "billing.checkout": signedIn((c, f) =>
    c.billing.checkout({ planId: f.freePlanId, attempt: crypto.randomUUID() }),
  ),
  // Everyone may ask; only the owner is told anything (see below).
  "billing.checkoutStatus": signedIn((c, f) =>
    c.billing.checkoutStatus({ sessionId: f.purchaseSessionId }),
  ),
  // Only the owner has a Stripe customer to manage.
  "billing.portal": {
    allowed: ["member"],
    refused: { otherMember: noCustomer, coach: noCustomer, admin: noCustomer },
    call: (c) => c.billing.portal({ returnTo: "billing" }),
  },
  "billing.admin.plans": admins((c) => c.billing.admin.plans()),
  "billing.admin.createPlan": admins((c, f) =>
    c.billing.admin.createPlan({
      name: "Matrix plan",
      kind: "ONE_TIME",
      price: "19",
      currency: "eur",
      scope: "SOME_PROGRAMS",
      programIds: [f.soldProgramId],
    }),
  ),
  "billing.admin.updatePlan": admins((c, f) =>
    c.billing.admin.updatePlan({
      planId: f.freePlanId,
      name: `Free plan ${Math.random().toString(36).slice(2, 6)}`,
      price: "9",
      active: true,
    }),
  ),
  "billing.admin.overview": admins((c) => c.billing.admin.overview()),
  "billing.admin.failedPayments": admins((c) => c.billing.admin.failedPayments()),
  "billing.admin.invoices": admins((c) => c.billing.admin.invoices({})),
  "billing.admin.purchases": admins((c) => c.billing.admin.purchases({})),
  "billing.admin.refunds": admins((c) => c.billing.admin.refunds()),
  "billing.admin.refund": admins((c, f) =>
    c.billing.admin.refund({
      purchaseId: f.purchaseId,
      amount: "1",
      reason: "Matrix",
      attempt: crypto.randomUUID(),
    }),
  ),
  "billing.admin.comps": admins((c) => c.billing.admin.comps()),
  "billing.admin.grantComp": admins((c) =>
    c.billing.admin.grantComp({ email: users.member!.email, programId: null, reason: "Matrix" }),
  ),
  "billing.admin.revokeComp": admins((c, f) => c.billing.admin.revokeComp({ compId: f.compId })),
  "billing.admin.events": admins((c) => c.billing.admin.events()),
  // The replay answers (rather than throws) a handler's failure: it must have run cleanly.
  "billing.admin.replayEvent": admins(async (c, f) => {
    const replay = await c.billing.admin.replayEvent({ eventId: f.eventId });
    if (!replay.ok) throw new Error(`replay failed: ${replay.outcome}`);
  }),
};

let app: TestApp;
let billing: BillingHarness;
const users: Partial<Record<Exclude<Actor, "anonymous">, Session["user"]>> = {};
let base: Omit<Fixture, "compId">;

/** The owner buys a plan through Checkout with a card; returns the Checkout Session's id. */
async function buy(user: Session["user"], planId: string) {
  const { url } = await app.caller(user).billing.checkout({ planId, attempt: crypto.randomUUID() });
  const paid = await billing.pay(url);
  expect(paid.status).toBe(303);
  await billing.deliver();
  const sessionId = new URL(paid.headers.get("location") ?? "").searchParams.get("session");
  expect(sessionId).toMatch(/^cs_/);
  return sessionId!;
}

beforeAll(async () => {
  app = await createTestApp();
  process.env.DATABASE_URL = app.database.url;
  resetEnvCache();
  billing = await startBillingHarness(app.db, app.queue);
  users.member = await app.createUser("MEMBER");
  users.otherMember = await app.createUser("MEMBER");
  users.coach = await app.createUser("COACH");
  users.admin = await app.createUser("ADMIN");
  const admin = app.caller(users.admin).billing.admin;
  const plansProgramId = (await seedProgram(app.db, users.coach.id, { accessRule: "PLANS" }))
    .program.id;
  const soldProgramId = (await seedProgram(app.db, users.coach.id, { accessRule: "PURCHASE" }))
    .program.id;
  const monthly = (name: string) =>
    admin.createPlan({
      name,
      kind: "RECURRING",
      interval: "MONTH",
      price: "12",
      currency: "gbp",
      scope: "ALL_PROGRAMS",
    });
  const { id: monthlyPlanId } = await monthly("Monthly");
  const { id: freePlanId } = await monthly("Nobody's yet");
  const { id: oneTimePlanId } = await admin.createPlan({
    name: "The deep dive",
    kind: "ONE_TIME",
    price: "49",
    currency: "eur",
    scope: "SOME_PROGRAMS",
    programIds: [soldProgramId],
  });
  const subscriptionSessionId = await buy(users.member, monthlyPlanId);
  const purchaseSessionId = await buy(users.member, oneTimePlanId);
  const subscription = await app.db.subscription.findUniqueOrThrow({
    where: { checkoutSessionId: subscriptionSessionId },
  });
  const purchase = await app.db.purchase.findUniqueOrThrow({
    where: { checkoutSessionId: purchaseSessionId },
  });
  const invoices = await app.db.invoice.findMany({ where: { userId: users.member.id } });
  expect(invoices.length).toBeGreaterThan(0);
  const event = await app.db.stripeEvent.findFirstOrThrow({
    where: { type: "checkout.session.completed", status: "PROCESSED" },
  });
  base = {
    plansProgramId,
    soldProgramId,
    monthlyPlanId,
    oneTimePlanId,
    freePlanId,
    subscriptionId: subscription.id,
    subscriptionSessionId,
    purchaseId: purchase.id,
    purchaseSessionId,
    invoiceIds: invoices.map((i) => i.id),
    eventId: event.id,
  };
}, 120_000);

afterAll(async () => {
  await billing?.close();
  await app?.close();
});

/**
 * The same state for every case: a fresh comp of the owner's, and only the owner with a Stripe
 * customer (a checkout makes one for whoever starts it).
 */
async function fixture(): Promise<Fixture> {
  const others = [users.otherMember!, users.coach!, users.admin!].map((u) => u.id);
  await app.db.billingCustomer.deleteMany({ where: { userId: { in: others } } });
  const comp = await app.db.comp.create({
    data: { userId: users.member!.id, programId: base.soldProgramId, grantedById: users.admin!.id },
    select: { id: true },
  });
  return { ...base, compId: comp.id };
}

const codeOf = async (promise: Promise<unknown>) => (await errorOf(() => promise)).code;
const callerOf = (actor: Actor) => app.caller(actor === "anonymous" ? null : users[actor]!);

describe("billing authorization matrix", () => {
  it("lists every billing procedure of the router, and only those", () => {
    const mine = Object.keys(appRouter._def.procedures).filter((p) => p.startsWith("billing."));
    expect([...mine].sort()).toEqual([...covered].sort());
    expect(Object.keys(MATRIX).sort()).toEqual([...covered].sort());
  });

  for (const [path, testCase] of Object.entries(MATRIX)) {
    for (const actor of ACTORS) {
      const allowed = testCase.allowed.includes(actor);
      const expected = allowed
        ? "OK"
        : actor === "anonymous"
          ? "UNAUTHORIZED"
          : (testCase.refused[actor] ?? "FORBIDDEN");
      it(`${path} as ${actor}: ${expected}`, async () => {
        const f = await fixture();
        expect(await codeOf(testCase.call(callerOf(actor), f))).toBe(expected);
      });
    }
  }
});

describe("members see only their own billing", () => {
  it("mine: the owner's subscription, purchase, invoices and comps, and nobody else's", async () => {
    const f = await fixture();
    const own = await app.caller(users.member!).billing.mine();
    expect(own.hasCustomer).toBe(true);
    expect(own.subscriptions.map((s) => s.id)).toContain(f.subscriptionId);
    expect(own.purchases.map((p) => p.id)).toContain(f.purchaseId);
    expect(own.invoices.map((i) => i.id)).toEqual(expect.arrayContaining(f.invoiceIds));
    expect(own.comps.map((c) => c.id)).toContain(f.compId);

    for (const actor of ["otherMember", "coach", "admin"] as const) {
      const theirs = await app.caller(users[actor]!).billing.mine();
      expect(theirs.hasCustomer, actor).toBe(false);
      expect(
        theirs.subscriptions.map((s) => s.id),
        actor,
      ).not.toContain(f.subscriptionId);
      expect(
        theirs.purchases.map((p) => p.id),
        actor,
      ).not.toContain(f.purchaseId);
      for (const id of f.invoiceIds) {
        expect(
          theirs.invoices.map((i) => i.id),
          actor,
        ).not.toContain(id);
      }
      expect(
        theirs.comps.map((c) => c.id),
        actor,
      ).not.toContain(f.compId);
      expect(theirs).toMatchObject({ subscriptions: [], purchases: [], invoices: [], comps: [] });
    }
  });

  it("checkoutStatus answers the owner only: ready:false and no plan for anyone else's session", async () => {
    const f = await fixture();
    const owner = app.caller(users.member!).billing;
    expect(await owner.checkoutStatus({ sessionId: f.purchaseSessionId })).toEqual({
      ready: true,
      planName: "The deep dive",
      cohortSlug: null,
    });
    expect(await owner.checkoutStatus({ sessionId: f.subscriptionSessionId })).toEqual({
      ready: true,
      planName: "Monthly",
      cohortSlug: null,
    });
    for (const actor of ["otherMember", "coach", "admin"] as const) {
      for (const sessionId of [f.purchaseSessionId, f.subscriptionSessionId]) {
        expect(
          await app.caller(users[actor]!).billing.checkoutStatus({ sessionId }),
          `${actor} ${sessionId}`,
        ).toEqual({ ready: false, planName: null, cohortSlug: null });
      }
    }
  });

  it("portal: a member without a Stripe customer gets PRECONDITION_FAILED, the owner a portal URL", async () => {
    await fixture();
    const refused = await errorOf(() =>
      app.caller(users.otherMember!).billing.portal({ returnTo: "billing" }),
    );
    expect(refused.code).toBe("PRECONDITION_FAILED");
    const { url } = await app.caller(users.member!).billing.portal({ returnTo: "billing" });
    expect(url).toMatch(/^http/);
  });

  it("notice: nobody is warned about the owner's subscription", async () => {
    await fixture();
    await app.db.subscription.update({
      where: { id: base.subscriptionId },
      data: { status: "PAST_DUE", pastDueSince: new Date() },
    });
    try {
      expect(await app.caller(users.member!).billing.notice()).toMatchObject({
        planName: "Monthly",
      });
      for (const actor of ["otherMember", "coach", "admin"] as const) {
        expect(await app.caller(users[actor]!).billing.notice(), actor).toBeNull();
      }
    } finally {
      await app.db.subscription.update({
        where: { id: base.subscriptionId },
        data: { status: "ACTIVE", pastDueSince: null },
      });
    }
  });
});
