import type { PlanScope, SubscriptionStatus } from "@/generated/prisma/client";

/**
 * The billing side of "may this member open this program?", as pure rules over rows already
 * read (unit-tested per status in tests/unit/billing-rules.test.ts).
 */

export const DEFAULT_GRACE_DAYS = 7;
const DAY = 86_400_000;

export type SubscriptionFacts = {
  status: SubscriptionStatus;
  paused: boolean;
  pastDueSince: Date | null;
};

/**
 * Active and trialing grant; past_due keeps access for the grace period from when it lapsed;
 * paused collection grants nothing until resumed. Canceled and unpaid grant nothing: Stripe turns
 * a subscription canceled only at its period end when the member cancelled at period end (it
 * stays active until then), or straight away when it ends for failed payments.
 */
export function subscriptionGrants(s: SubscriptionFacts, now: Date, graceDays: number): boolean {
  if (s.paused) return false;
  if (s.status === "ACTIVE" || s.status === "TRIALING") return true;
  if (s.status === "PAST_DUE") {
    const since = s.pastDueSince ?? now;
    return now.getTime() < since.getTime() + graceDays * DAY;
  }
  return false;
}

/** When a past-due subscription's grace ends (null when it is not past due). */
export function graceEndsAt(s: SubscriptionFacts, graceDays: number): Date | null {
  if (s.status !== "PAST_DUE" || !s.pastDueSince) return null;
  return new Date(s.pastDueSince.getTime() + graceDays * DAY);
}

/** A one-time purchase grants until its whole amount is refunded. */
export function purchaseGrants(p: { amount: number; amountRefunded: number }): boolean {
  return p.amountRefunded < p.amount;
}

/**
 * What a plan opens. "All programs" means every program offered through plans, not programs the
 * coach sells separately; chosen programs are opened whatever their rule; a cohort seat opens the
 * cohort's program.
 */
export type PlanReach = { scope: PlanScope; programIds: string[]; cohortProgramId: string | null };

export type Grant = {
  /** null: every program whose rule is PLANS (a plan) or every program at all (a comp). */
  programId: string | null;
  source: "comp" | "subscription" | "purchase";
};

export function planGrants(plan: PlanReach, source: Grant["source"]): Grant[] {
  if (plan.scope === "ALL_PROGRAMS") return [{ programId: null, source }];
  if (plan.scope === "COHORT_SEAT") {
    return plan.cohortProgramId ? [{ programId: plan.cohortProgramId, source }] : [];
  }
  return plan.programIds.map((programId) => ({ programId, source }));
}

/** Does one of the grants open this program? */
export function grantFor(
  grants: Grant[],
  program: { id: string; accessRule: "FREE" | "PLANS" | "PURCHASE" },
): Grant | undefined {
  return (
    grants.find((g) => g.programId === program.id) ??
    grants.find(
      (g) => g.programId === null && (g.source === "comp" || program.accessRule === "PLANS"),
    )
  );
}
