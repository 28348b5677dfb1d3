import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import type { Env } from "../env";
import { DomainError } from "../errors";
import { type Stripe, stripe } from "./stripe";

/**
 * Buying: one Stripe customer per member (created once, whatever races), a Checkout Session per
 * click (its idempotency key is the click's attempt id, so a double click opens one session),
 * and the customer portal for everything after.
 */

const NO_PLAN = "That plan is not on sale any more.";

export async function ensureCustomer(
  db: Db,
  user: { id: string; email: string; name: string | null },
) {
  const existing = await db.billingCustomer.findUnique({
    where: { userId: user.id },
    select: { stripeCustomerId: true },
  });
  if (existing) return existing.stripeCustomerId;
  // The key makes concurrent first purchases share one Stripe customer; the row's primary key
  // (the user) makes them share one row.
  const customer = await stripe().customers.create(
    { email: user.email, ...(user.name ? { name: user.name } : {}), metadata: { userId: user.id } },
    { idempotencyKey: `kindred-customer-${user.id}` },
  );
  await db.billingCustomer.createMany({
    data: [{ userId: user.id, stripeCustomerId: customer.id }],
    skipDuplicates: true,
  });
  const row = await db.billingCustomer.findUniqueOrThrow({
    where: { userId: user.id },
    select: { stripeCustomerId: true },
  });
  return row.stripeCustomerId;
}

async function userFacts(db: Db, userId: string) {
  return db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, email: true, name: true, role: true },
  });
}

type CheckoutPlan = {
  id: string;
  kind: "RECURRING" | "ONE_TIME";
  stripePriceId: string;
  trialDays: number;
  pausable: boolean;
};

/**
 * The Checkout Session for a member and a plan, the same for a click and for the demo seed. The
 * metadata names both (the webhook's sync reads them); a subscription carries `pausable` (the
 * portal offers pause only then). `trialDays` overrides the plan's, for the seed's short trial.
 */
export function checkoutParams(
  env: Env,
  plan: CheckoutPlan,
  userId: string,
  customer: string,
  trialDays = plan.trialDays,
): Stripe.Checkout.SessionCreateParams {
  const metadata = { userId, planId: plan.id };
  return {
    mode: plan.kind === "RECURRING" ? "subscription" : "payment",
    customer,
    client_reference_id: userId,
    line_items: [{ price: plan.stripePriceId, quantity: 1 }],
    allow_promotion_codes: true,
    metadata,
    success_url: `${env.appUrl}/app/billing/success?session={CHECKOUT_SESSION_ID}`,
    cancel_url: `${env.appUrl}/pricing?canceled=1`,
    ...(plan.kind === "RECURRING"
      ? {
          subscription_data: {
            metadata: { ...metadata, pausable: String(plan.pausable) },
            ...(trialDays > 0 ? { trial_period_days: trialDays } : {}),
          },
        }
      : { payment_intent_data: { metadata } }),
  };
}

export async function startCheckout(
  db: Db,
  env: Env,
  caller: SignedInUser,
  input: { planId: string; attempt: string },
): Promise<{ url: string }> {
  const plan = await db.plan.findUnique({
    where: { id: input.planId },
    select: {
      id: true,
      name: true,
      kind: true,
      active: true,
      trialDays: true,
      pausable: true,
      stripePriceId: true,
      scope: true,
      cohort: { select: { id: true, slug: true, finishedAt: true, enrolmentOpen: true } },
    },
  });
  if (!plan?.active || !plan.stripePriceId) throw new DomainError("NOT_FOUND", NO_PLAN);
  if (plan.kind === "RECURRING") {
    const current = await db.subscription.findFirst({
      where: {
        userId: caller.id,
        planId: plan.id,
        status: { in: ["ACTIVE", "TRIALING", "PAST_DUE"] },
      },
      select: { id: true },
    });
    if (current) {
      throw new DomainError(
        "CONFLICT",
        "You already have this membership. Manage it from Billing in your settings.",
      );
    }
  } else {
    const owned = await db.purchase.findFirst({
      where: { userId: caller.id, planId: plan.id, refundedAt: null },
      select: { id: true },
    });
    if (owned) throw new DomainError("CONFLICT", "You have already bought this.");
  }
  if (plan.scope === "COHORT_SEAT") {
    if (!plan.cohort || plan.cohort.finishedAt || !plan.cohort.enrolmentOpen) {
      throw new DomainError("PRECONDITION_FAILED", "This cohort is not taking new members.");
    }
  }
  const user = await userFacts(db, caller.id);
  const customer = await ensureCustomer(db, user);
  const session = await stripe().checkout.sessions.create(
    checkoutParams(env, { ...plan, stripePriceId: plan.stripePriceId }, user.id, customer),
    { idempotencyKey: `kindred-checkout-${user.id}-${input.attempt}` },
  );
  if (!session.url) throw new Error(`checkout session ${session.id} has no url`);
  return { url: session.url };
}

/** Has the webhook for this checkout landed yet? Only the member's own sessions are answered. */
export async function checkoutStatus(db: Db, caller: SignedInUser, sessionId: string) {
  const [purchase, subscription] = await Promise.all([
    db.purchase.findUnique({
      where: { checkoutSessionId: sessionId },
      select: {
        userId: true,
        plan: { select: { name: true, scope: true, cohort: { select: { slug: true } } } },
      },
    }),
    db.subscription.findUnique({
      where: { checkoutSessionId: sessionId },
      select: { userId: true, status: true, plan: { select: { name: true } } },
    }),
  ]);
  if (purchase && purchase.userId === caller.id) {
    return {
      ready: true as const,
      planName: purchase.plan.name,
      cohortSlug: purchase.plan.cohort?.slug ?? null,
    };
  }
  if (subscription && subscription.userId === caller.id) {
    return {
      ready: true as const,
      planName: subscription.plan?.name ?? "Membership",
      cohortSlug: null,
    };
  }
  return { ready: false as const, planName: null, cohortSlug: null };
}

/** A Stripe customer-portal session: cancel, update the card, pause where the plan allows. */
export async function portalSession(
  db: Db,
  env: Env,
  caller: SignedInUser,
  returnTo: "billing" | "today" = "billing",
): Promise<{ url: string }> {
  const customer = await db.billingCustomer.findUnique({
    where: { userId: caller.id },
    select: { stripeCustomerId: true },
  });
  if (!customer) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "You have no billing account yet: choose a plan first.",
    );
  }
  // Every create carries an idempotency key: a double click within the minute opens one session.
  const minute = Math.floor(Date.now() / 60_000);
  const session = await stripe().billingPortal.sessions.create(
    {
      customer: customer.stripeCustomerId,
      return_url: `${env.appUrl}${returnTo === "today" ? "/app" : "/app/settings/billing"}`,
    },
    { idempotencyKey: `kindred-portal-${caller.id}-${returnTo}-${minute}` },
  );
  return { url: session.url };
}
