import type { z } from "zod";
import { minorPerMajor, parseMoney } from "@/lib/money";
import { recordAudit } from "../audit/service";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";
import type { createPlanInput, updatePlanInput } from "./schemas";
import { stripe } from "./stripe";

/**
 * Plans: ours in the database, mirrored to a Stripe product and price. A price never changes in
 * Stripe, so a new amount is a new price: new buyers get it, existing subscribers keep theirs.
 * Every create carries an idempotency key derived from the plan and what is created, so a
 * retried save never makes a second product or price.
 */

type CreatePlan = z.output<typeof createPlanInput>;
type UpdatePlan = z.output<typeof updatePlanInput>;

const NO_PLAN = "We could not find that plan.";

async function checkReach(db: Db, programIds: string[], cohortId: string | null | undefined) {
  if (programIds.length) {
    const found = await db.program.count({ where: { id: { in: programIds } } });
    if (found !== new Set(programIds).size) {
      throw new DomainError("BAD_REQUEST", "One of the programs does not exist.", {
        programIds: [
          "One of the chosen programs does not exist any more; reload and choose again.",
        ],
      });
    }
  }
  if (cohortId) {
    const cohort = await db.cohort.findUnique({
      where: { id: cohortId },
      select: { finishedAt: true },
    });
    if (!cohort) {
      throw new DomainError("BAD_REQUEST", "That cohort does not exist.", {
        cohortId: ["That cohort does not exist."],
      });
    }
  }
}

function minor(price: string, currency: string): number {
  const amount = parseMoney(price, currency);
  if (amount === null || amount < minorPerMajor(currency)) {
    throw new DomainError("BAD_REQUEST", "Check the price.", {
      price: ["Enter an amount like 12 or 12.50."],
    });
  }
  return amount;
}

/** Creates the plan's Stripe price for its current amount (idempotent per plan and amount). */
async function priceFor(
  db: Db,
  plan: {
    id: string;
    name: string;
    description: string;
    kind: string;
    interval: "MONTH" | "YEAR" | null;
    amount: number;
    currency: string;
    stripeProductId: string | null;
  },
) {
  const client = stripe();
  let productId = plan.stripeProductId;
  if (!productId) {
    const product = await client.products.create(
      {
        name: plan.name,
        ...(plan.description ? { description: plan.description.slice(0, 500) } : {}),
        metadata: { planId: plan.id },
      },
      { idempotencyKey: `kindred-plan-${plan.id}-product` },
    );
    productId = product.id;
  }
  const price = await client.prices.create(
    {
      product: productId,
      unit_amount: plan.amount,
      currency: plan.currency,
      ...(plan.kind === "RECURRING" && plan.interval
        ? { recurring: { interval: plan.interval === "YEAR" ? "year" : "month" } }
        : {}),
      metadata: { planId: plan.id },
    },
    { idempotencyKey: `kindred-plan-${plan.id}-price-${plan.amount}-${plan.currency}` },
  );
  await db.$transaction([
    db.planPrice.upsert({
      where: { stripePriceId: price.id },
      create: {
        stripePriceId: price.id,
        planId: plan.id,
        amount: plan.amount,
        currency: plan.currency,
        interval: plan.interval,
      },
      update: {},
    }),
    db.plan.update({
      where: { id: plan.id },
      data: { stripeProductId: productId, stripePriceId: price.id },
    }),
  ]);
  return price.id;
}

export async function createPlan(db: Db, admin: SignedInUser, input: CreatePlan) {
  await checkReach(db, input.programIds, input.cohortId);
  const amount = minor(input.price, input.currency);
  const plan = await db.$transaction(async (tx) => {
    const created = await tx.plan.create({
      data: {
        name: input.name,
        description: input.description,
        kind: input.kind,
        interval: input.kind === "RECURRING" ? (input.interval ?? "MONTH") : null,
        amount,
        currency: input.currency,
        trialDays: input.kind === "RECURRING" ? input.trialDays : 0,
        pausable: input.kind === "RECURRING" && input.pausable,
        scope: input.scope,
        cohortId: input.scope === "COHORT_SEAT" ? (input.cohortId ?? null) : null,
        programs:
          input.scope === "SOME_PROGRAMS"
            ? { create: [...new Set(input.programIds)].map((programId) => ({ programId })) }
            : undefined,
      },
    });
    await recordAudit(tx, {
      actorId: admin.id,
      action: "billing.plan.create",
      targetType: "Plan",
      targetId: created.id,
      details: { name: created.name, amount, currency: created.currency, kind: created.kind },
    });
    return created;
  });
  await priceFor(db, plan);
  return { id: plan.id };
}

export async function updatePlan(db: Db, admin: SignedInUser, input: UpdatePlan) {
  const plan = await db.plan.findUnique({ where: { id: input.planId } });
  if (!plan) throw new DomainError("NOT_FOUND", NO_PLAN);
  await checkReach(db, input.programIds, input.cohortId);
  if (plan.scope === "SOME_PROGRAMS" && input.programIds.length === 0) {
    throw new DomainError("BAD_REQUEST", "Choose at least one program.", {
      programIds: ["Choose at least one program."],
    });
  }
  const amount = minor(input.price, plan.currency);
  const recurring = plan.kind === "RECURRING";
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.plan.update({
      where: { id: plan.id },
      data: {
        name: input.name,
        description: input.description,
        amount,
        trialDays: recurring ? input.trialDays : 0,
        pausable: recurring && input.pausable,
        active: input.active,
        ...(plan.scope === "COHORT_SEAT" && input.cohortId ? { cohortId: input.cohortId } : {}),
      },
    });
    if (plan.scope === "SOME_PROGRAMS") {
      await tx.planProgram.deleteMany({ where: { planId: plan.id } });
      await tx.planProgram.createMany({
        data: [...new Set(input.programIds)].map((programId) => ({ planId: plan.id, programId })),
      });
    }
    await recordAudit(tx, {
      actorId: admin.id,
      action: "billing.plan.update",
      targetType: "Plan",
      targetId: plan.id,
      details: { name: row.name, amount, previousAmount: plan.amount, active: row.active },
    });
    return row;
  });
  const client = stripe();
  if (updated.stripeProductId) {
    await client.products.update(updated.stripeProductId, {
      name: updated.name,
      description: updated.description ? updated.description.slice(0, 500) : "",
      active: updated.active,
    });
  }
  // A new amount (or a plan whose first sync failed) gets a new price; the old one is retired so
  // nobody new buys it, while its subscribers keep paying it.
  if (amount !== plan.amount || !updated.stripePriceId) {
    const previous = updated.stripePriceId;
    const next = await priceFor(db, updated);
    if (previous && previous !== next) await client.prices.update(previous, { active: false });
  }
  return { id: plan.id };
}

const planView = {
  id: true,
  name: true,
  description: true,
  kind: true,
  interval: true,
  amount: true,
  currency: true,
  trialDays: true,
  pausable: true,
  scope: true,
  active: true,
  stripePriceId: true,
  cohort: { select: { id: true, name: true, slug: true, program: { select: { title: true } } } },
  programs: { select: { program: { select: { id: true, title: true, slug: true } } } },
} as const;

/** The admin's list: every plan, with how many people hold it. */
export async function adminPlans(db: Db) {
  const plans = await db.plan.findMany({
    orderBy: [{ active: "desc" }, { createdAt: "asc" }],
    select: {
      ...planView,
      _count: {
        select: {
          subscriptions: { where: { status: { in: ["ACTIVE", "TRIALING", "PAST_DUE"] } } },
          purchases: { where: { refundedAt: null } },
        },
      },
    },
  });
  return plans.map(({ _count, programs, ...p }) => ({
    ...p,
    programs: programs.map((x) => x.program),
    holders: _count.subscriptions + _count.purchases,
    synced: p.stripePriceId !== null,
  }));
}

/** What anyone may see: active plans that can be bought now. */
export async function publicPlans(db: Db) {
  const plans = await db.plan.findMany({
    where: { active: true, stripePriceId: { not: null } },
    orderBy: [{ kind: "asc" }, { amount: "asc" }],
    select: planView,
  });
  return plans.map(({ programs, stripePriceId: _price, ...p }) => ({
    ...p,
    programs: programs.map((x) => x.program),
  }));
}

/** Plans that would open this program, seats in its open cohorts included (its page's buttons). */
export async function plansForProgram(db: Db, programId: string) {
  const program = await db.program.findUnique({
    where: { id: programId },
    select: { accessRule: true },
  });
  if (!program || program.accessRule === "FREE") return [];
  const plans = await db.plan.findMany({
    where: {
      active: true,
      stripePriceId: { not: null },
      OR: [
        ...(program.accessRule === "PLANS" ? [{ scope: "ALL_PROGRAMS" as const }] : []),
        { scope: "SOME_PROGRAMS", programs: { some: { programId } } },
        // A seat in one of its cohorts that still takes members.
        {
          scope: "COHORT_SEAT",
          cohort: { programId, finishedAt: null, enrolmentOpen: true },
        },
      ],
    },
    orderBy: [{ kind: "asc" }, { amount: "asc" }],
    select: planView,
  });
  return plans.map(({ programs, stripePriceId: _price, ...p }) => ({
    ...p,
    programs: programs.map((x) => x.program),
  }));
}
