import { describe, expect, it } from "vitest";
import {
  graceEndsAt,
  grantFor,
  planGrants,
  purchaseGrants,
  subscriptionGrants,
} from "@/server/billing/rules";

const now = new Date("2026-12-02T12:00:00Z");
const DAY = 86_400_000;
const sub = (status: Parameters<typeof subscriptionGrants>[0]["status"], extra = {}) => ({
  status,
  paused: false,
  pastDueSince: null as Date | null,
  ...extra,
});

describe("subscriptions grant access by status", () => {
  it.each([
    ["ACTIVE", true],
    ["TRIALING", true],
    ["CANCELED", false],
    ["UNPAID", false],
    ["INCOMPLETE", false],
    ["INCOMPLETE_EXPIRED", false],
    ["PAUSED", false],
  ] as const)("%s grants: %s", (status, grants) => {
    expect(subscriptionGrants(sub(status), now, 7)).toBe(grants);
  });

  it("past due keeps access for the grace period from the failed invoice, then not", () => {
    const lapsed = (daysAgo: number) =>
      sub("PAST_DUE", { pastDueSince: new Date(now.getTime() - daysAgo * DAY) });
    expect(subscriptionGrants(lapsed(0), now, 7)).toBe(true);
    expect(subscriptionGrants(lapsed(6.9), now, 7)).toBe(true);
    expect(subscriptionGrants(lapsed(7), now, 7)).toBe(false);
    expect(subscriptionGrants(lapsed(1), now, 0)).toBe(false);
    expect(graceEndsAt(lapsed(2), 7)?.toISOString()).toBe(
      new Date(now.getTime() + 5 * DAY).toISOString(),
    );
    expect(graceEndsAt(sub("ACTIVE"), 7)).toBeNull();
  });

  it("paused collection grants nothing, whatever the status", () => {
    expect(subscriptionGrants(sub("ACTIVE", { paused: true }), now, 7)).toBe(false);
    expect(subscriptionGrants(sub("TRIALING", { paused: true }), now, 7)).toBe(false);
  });
});

describe("purchases", () => {
  it("grant until the whole amount is refunded", () => {
    expect(purchaseGrants({ amount: 4900, amountRefunded: 0 })).toBe(true);
    expect(purchaseGrants({ amount: 4900, amountRefunded: 1000 })).toBe(true);
    expect(purchaseGrants({ amount: 4900, amountRefunded: 4900 })).toBe(false);
  });
});

describe("what a plan opens", () => {
  const plans = { id: "p-plans", accessRule: "PLANS" as const };
  const sold = { id: "p-sold", accessRule: "PURCHASE" as const };

  it("all programs means programs offered with a membership, not those sold separately", () => {
    const grants = planGrants(
      { scope: "ALL_PROGRAMS", programIds: [], cohortProgramId: null },
      "subscription",
    );
    expect(grantFor(grants, plans)?.source).toBe("subscription");
    expect(grantFor(grants, sold)).toBeUndefined();
  });

  it("chosen programs open exactly those, whatever their rule", () => {
    const grants = planGrants(
      { scope: "SOME_PROGRAMS", programIds: ["p-sold"], cohortProgramId: null },
      "purchase",
    );
    expect(grantFor(grants, sold)?.source).toBe("purchase");
    expect(grantFor(grants, plans)).toBeUndefined();
  });

  it("a cohort seat opens the cohort's program", () => {
    const grants = planGrants(
      { scope: "COHORT_SEAT", programIds: [], cohortProgramId: "p-sold" },
      "purchase",
    );
    expect(grantFor(grants, sold)?.source).toBe("purchase");
    expect(
      planGrants({ scope: "COHORT_SEAT", programIds: [], cohortProgramId: null }, "purchase"),
    ).toEqual([]);
  });

  it("a comp for every program opens programs sold separately too", () => {
    expect(grantFor([{ programId: null, source: "comp" }], sold)?.source).toBe("comp");
  });
});
