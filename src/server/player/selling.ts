import type { AccessRule, PlanScope } from "@/generated/prisma/client";
import type { Access } from "../entitlements/service";

/**
 * What a program's card and page say about its price and about the member's access: one small
 * read of the plans on sale (a handful of rows) answers it for every program of the catalog.
 */
export const sellingPlanSelect = {
  kind: true,
  interval: true,
  amount: true,
  currency: true,
  scope: true,
  programs: { select: { programId: true } },
} as const;

export type SellingPlan = {
  kind: "RECURRING" | "ONE_TIME";
  interval: "MONTH" | "YEAR" | null;
  amount: number;
  currency: string;
  scope: PlanScope;
  programs: { programId: string }[];
};

/** Plans on sale that reach whole programs (cohort seats are offered on the program's page). */
export const sellingPlansWhere = {
  active: true,
  stripePriceId: { not: null },
  scope: { in: ["ALL_PROGRAMS", "SOME_PROGRAMS"] as PlanScope[] },
};

export type Price =
  | { kind: "free" }
  | { kind: "membership"; once: { amount: number; currency: string } | null }
  | { kind: "price"; amount: number; currency: string; interval: "MONTH" | "YEAR" | null }
  | { kind: "unavailable" };

/**
 * The price shown: free; included in a membership (programs open to membership plans, with the
 * cheapest one-time price if it is also sold alone); or the cheapest plan that sells this program
 * by name (one-time first); "unavailable" when nothing is on sale for it.
 */
export function priceOf(
  program: { id: string; accessRule: AccessRule },
  plans: SellingPlan[],
): Price {
  if (program.accessRule === "FREE") return { kind: "free" };
  const named = plans.filter(
    (p) => p.scope === "SOME_PROGRAMS" && p.programs.some((x) => x.programId === program.id),
  );
  const cheapest = [...named].sort((a, b) =>
    a.kind === b.kind ? a.amount - b.amount : a.kind === "ONE_TIME" ? -1 : 1,
  )[0];
  const membership = () => {
    const once = named.filter((p) => p.kind === "ONE_TIME").sort((a, b) => a.amount - b.amount)[0];
    return {
      kind: "membership" as const,
      once: once ? { amount: once.amount, currency: once.currency } : null,
    };
  };
  if (program.accessRule === "PLANS" && plans.some((p) => p.scope === "ALL_PROGRAMS")) {
    return membership();
  }
  if (cheapest) {
    return {
      kind: "price",
      amount: cheapest.amount,
      currency: cheapest.currency,
      interval: cheapest.kind === "ONE_TIME" ? null : cheapest.interval,
    };
  }
  return program.accessRule === "PLANS" ? membership() : { kind: "unavailable" };
}

/** How this member has the program, in words ("" when they do not). */
export function accessLabel(access: Access): string {
  switch (access.source) {
    case "free":
      return "";
    case "subscription":
      return "Included in your membership";
    case "purchase":
      return "Yours: purchased";
    case "comp":
      return "Yours: a gift from the team";
    case "author":
      return "You run this program";
    case "admin":
      return "Open to you as an admin";
    default:
      return "";
  }
}
