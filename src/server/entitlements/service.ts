import type { AccessRule, PlanScope, ProgramStatus, Role } from "@/generated/prisma/client";
import {
  DEFAULT_GRACE_DAYS,
  type Grant,
  grantFor,
  planGrants,
  purchaseGrants,
  subscriptionGrants,
} from "../billing/rules";
import type { Db } from "../db";
import { env } from "../env";
import { DomainError } from "../errors";

/**
 * The one answer to "may this user open this program?". Sources: free programs, admin comps (one
 * program or all, with optional expiry), subscriptions and one-time purchases (their rules are in
 * billing/rules.ts), and the program's own author / admins.
 *
 * Losing access never hides a member's own answers: the journal reads passes by owner, not
 * through this check; the player becomes read-only (`canAnswer: false`).
 */
export type Access = {
  canOpen: boolean;
  canAnswer: boolean;
  source: "free" | "comp" | "subscription" | "purchase" | "author" | "admin" | "none";
  reason?: string;
};

type ProgramFacts = { id: string; accessRule: AccessRule; status: ProgramStatus; authorId: string };
type UserFacts = { id: string; role: Role };

export type { Grant };

/**
 * The decision itself, from facts already read: the author and admins always; unpublished
 * programs nobody else; free programs everyone; others with a live comp, subscription or purchase
 * that reaches them (billing/rules.ts).
 */
export function decideAccess(user: UserFacts, program: ProgramFacts, grants: Grant[]): Access {
  if (program.authorId === user.id) return { canOpen: true, canAnswer: true, source: "author" };
  if (user.role === "ADMIN") return { canOpen: true, canAnswer: true, source: "admin" };
  if (program.status !== "PUBLISHED") {
    return {
      canOpen: false,
      canAnswer: false,
      source: "none",
      reason: "This program is not published.",
    };
  }
  if (program.accessRule === "FREE") return { canOpen: true, canAnswer: true, source: "free" };
  const grant = grantFor(grants, program);
  if (grant) return { canOpen: true, canAnswer: true, source: grant.source };
  return {
    canOpen: false,
    canAnswer: false,
    source: "none",
    reason:
      program.accessRule === "PLANS"
        ? "This program is included in a membership plan you do not have yet."
        : "This program is sold separately.",
  };
}

/**
 * BILLING_GRACE_DAYS of the deployment. Settings are validated when a deployment starts, so this
 * only falls back to the default where no full settings exist (a script, a unit of a test).
 */
export function currentGraceDays(): number {
  try {
    return env().billing.graceDays;
  } catch {
    return DEFAULT_GRACE_DAYS;
  }
}

const planReach = {
  scope: true,
  cohort: { select: { programId: true } },
  programs: { select: { programId: true } },
} as const;

/**
 * Everything that opens programs for this user now: live comps, subscriptions that grant (active,
 * trialing, past due within the grace period) and purchases not fully refunded. Three indexed
 * reads, in parallel, whatever the history.
 */
export async function liveGrants(db: Db, userId: string, now = new Date()): Promise<Grant[]> {
  const graceDays = currentGraceDays();
  const [comps, subscriptions, purchases] = await Promise.all([
    db.comp.findMany({
      where: { userId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { programId: true },
    }),
    db.subscription.findMany({
      where: { userId, status: { in: ["ACTIVE", "TRIALING", "PAST_DUE"] }, paused: false },
      select: { status: true, paused: true, pastDueSince: true, plan: { select: planReach } },
    }),
    db.purchase.findMany({
      where: { userId, refundedAt: null },
      select: { amount: true, amountRefunded: true, plan: { select: planReach } },
    }),
  ]);
  const reach = (plan: {
    scope: PlanScope;
    cohort: { programId: string } | null;
    programs: { programId: string }[];
  }) => ({
    scope: plan.scope,
    cohortProgramId: plan.cohort?.programId ?? null,
    programIds: plan.programs.map((p) => p.programId),
  });
  return [
    ...comps.map((c) => ({ programId: c.programId, source: "comp" as const })),
    ...subscriptions
      .filter((s) => s.plan && subscriptionGrants(s, now, graceDays))
      .flatMap((s) => (s.plan ? planGrants(reach(s.plan), "subscription") : [])),
    ...purchases
      .filter((p) => purchaseGrants(p))
      .flatMap((p) => planGrants(reach(p.plan), "purchase")),
  ];
}

export async function programAccess(
  db: Db,
  user: UserFacts,
  program: ProgramFacts,
  now = new Date(),
): Promise<Access> {
  // Only programs that need a grant cost a query.
  const needsGrant =
    program.authorId !== user.id &&
    user.role !== "ADMIN" &&
    program.status === "PUBLISHED" &&
    program.accessRule !== "FREE";
  const grants = needsGrant ? await liveGrants(db, user.id, now) : [];
  return decideAccess(user, program, grants);
}

/** Throws FORBIDDEN with the reason when the user may not answer in this program. */
export async function requireAnswerAccess(
  db: Db,
  user: UserFacts,
  program: ProgramFacts,
): Promise<void> {
  const access = await programAccess(db, user, program);
  if (!access.canAnswer)
    throw new DomainError("FORBIDDEN", access.reason ?? "You do not have access to this program.");
}
