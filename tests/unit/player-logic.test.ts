import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatDate } from "@/lib/format-date";
import { zonedInstant } from "@/lib/time-zone";
import { driftOf } from "@/server/cohorts/pace";
import {
  issuesByPath,
  moduleUnlockAt,
  nextIncompleteStep,
  revisitState,
} from "@/server/player/logic";

const now = new Date("2026-03-10T12:00:00Z");

describe("player rules", () => {
  it("locks cohort-paced modules until the start of the unlock day, never self-paced ones", () => {
    const enrolled = { createdAt: new Date("2026-03-05T12:00:00Z") };
    // Day 7 after 5 March is 12 March, from its midnight (not 12:00, 7 × 24 h later).
    expect(moduleUnlockAt("COHORT_PACED", 7, enrolled, now, "UTC")).toEqual(
      new Date("2026-03-12T00:00:00Z"),
    );
    expect(moduleUnlockAt("COHORT_PACED", 5, enrolled, now, "UTC")).toBeNull();
    expect(moduleUnlockAt("COHORT_PACED", 0, enrolled, now, "UTC")).toBeNull();
    expect(moduleUnlockAt("SELF_PACED", 30, enrolled, now, "UTC")).toBeNull();
    // Not enrolled yet: counted from today.
    expect(moduleUnlockAt("COHORT_PACED", 2, null, now, "UTC")).toEqual(
      new Date("2026-03-12T00:00:00Z"),
    );
    // In the member's zone: Tokyo's 12 March starts at 15:00 UTC on the 11th.
    expect(moduleUnlockAt("COHORT_PACED", 7, enrolled, now, "Asia/Tokyo")).toEqual(
      new Date("2026-03-11T15:00:00Z"),
    );
  });

  it("opens on the morning of the day it names, across a DST change", () => {
    // Los Angeles springs forward on 8 March. Enrolled at 21:00 on 5 March; day 7 is 12 March.
    const tz = "America/Los_Angeles";
    const enrolled = { createdAt: zonedInstant("2026-03-05", tz, 21) };
    const unlock = moduleUnlockAt("COHORT_PACED", 7, enrolled, enrolled.createdAt, tz)!;
    expect(unlock).toEqual(zonedInstant("2026-03-12", tz, 0));
    expect(formatDate(unlock, tz, "long")).toBe("12 March 2026");
    const morning = zonedInstant("2026-03-12", tz, 8);
    expect(moduleUnlockAt("COHORT_PACED", 7, enrolled, morning, tz)).toBeNull();
  });

  it("follows the cohort's calendar, not the member's, across the cohort's DST change", () => {
    // Berlin springs forward on 29 March 2026 (02:00 → 03:00). A cohort starting on 23 March
    // opens day 7 (30 March) at local midnight, which is 22:00 UTC on the 29th (UTC+2), while
    // day 0 opened at 23:00 UTC on the 22nd (UTC+1).
    const cohort = { startDate: new Date("2026-03-23T00:00:00Z"), timeZone: "Europe/Berlin" };
    const member = { createdAt: new Date("2026-03-01T09:00:00Z"), cohort };
    const before = new Date("2026-03-20T00:00:00Z");
    expect(moduleUnlockAt("COHORT_PACED", 0, member, before, "UTC")).toEqual(
      new Date("2026-03-22T23:00:00Z"),
    );
    expect(moduleUnlockAt("COHORT_PACED", 7, member, before, "UTC")).toEqual(
      new Date("2026-03-29T22:00:00Z"),
    );
    // A member in Los Angeles gets the same instant (the cohort's midnight), whatever their
    // own zone says; shown to them, it is the afternoon of the 29th.
    const la = moduleUnlockAt("COHORT_PACED", 7, member, before, "America/Los_Angeles")!;
    expect(la).toEqual(new Date("2026-03-29T22:00:00Z"));
    expect(formatDate(la, "America/Los_Angeles", "long")).toBe("29 March 2026");
    // One minute before and at the instant.
    expect(
      moduleUnlockAt("COHORT_PACED", 7, member, new Date("2026-03-29T21:59:00Z"), "UTC"),
    ).not.toBeNull();
    expect(
      moduleUnlockAt("COHORT_PACED", 7, member, new Date("2026-03-29T22:00:00Z"), "UTC"),
    ).toBeNull();
    // Autumn: Berlin falls back on 25 October; day 2 of a cohort starting on 24 October begins
    // at 23:00 UTC on the 25th (UTC+1), a 25-hour day after day 1.
    const autumn = { startDate: new Date("2026-10-24T00:00:00Z"), timeZone: "Europe/Berlin" };
    const m2 = { createdAt: before, cohort: autumn };
    const early = new Date("2026-10-01T00:00:00Z");
    expect(moduleUnlockAt("COHORT_PACED", 1, m2, early, "UTC")).toEqual(
      new Date("2026-10-24T22:00:00Z"),
    );
    expect(moduleUnlockAt("COHORT_PACED", 2, m2, early, "UTC")).toEqual(
      new Date("2026-10-25T23:00:00Z"),
    );
  });

  it("paces a cohort by its module days even on a self-paced program", () => {
    const cohort = { startDate: new Date("2026-03-12T00:00:00Z"), timeZone: "UTC" };
    const member = { createdAt: now, cohort };
    expect(moduleUnlockAt("SELF_PACED", 0, member, now, "UTC")).toEqual(
      new Date("2026-03-12T00:00:00Z"),
    );
    expect(moduleUnlockAt("SELF_PACED", 30, member, now, "UTC")).toEqual(
      new Date("2026-04-11T00:00:00Z"),
    );
    expect(
      moduleUnlockAt("SELF_PACED", 0, member, new Date("2026-03-12T00:00:00Z"), "UTC"),
    ).toBeNull();
  });

  it("allows the first pass, then waits for the start of the revisit day", () => {
    expect(revisitState("SCALE", 7, null, now, "UTC")).toMatchObject({
      count: 0,
      canAnswerAgain: true,
    });
    const last = { createdAt: new Date("2026-03-05T12:00:00Z"), passNumber: 3 };
    expect(revisitState("SCALE", 7, last, now, "UTC")).toEqual({
      count: 3,
      lastPassAt: last.createdAt,
      nextDueAt: new Date("2026-03-12T00:00:00Z"),
      canAnswerAgain: false,
    });
    expect(revisitState("SCALE", 5, last, now, "UTC").canAnswerAgain).toBe(true);
    expect(revisitState("REFLECTION", null, last, now, "UTC").canAnswerAgain).toBe(false);
    expect(revisitState("PRACTICE", null, last, now, "UTC").canAnswerAgain).toBe(true);
  });

  it("finds the next incomplete step after the current one, wrapping to an earlier one", () => {
    const steps = [
      { id: "a", done: false },
      { id: "b", done: true },
      { id: "c", done: false },
    ];
    expect(nextIncompleteStep(steps, "b")).toBe("c");
    expect(nextIncompleteStep(steps, "c")).toBe("a");
    expect(nextIncompleteStep(steps, null)).toBe("a");
    expect(nextIncompleteStep([{ id: "a", done: true }], "a")).toBeNull();
  });

  it("keys zod issues by their full path", () => {
    const schema = z.object({ people: z.array(z.object({ name: z.string().min(1, "Name?") })) });
    const result = schema.safeParse({ people: [{ name: "x" }, { name: "" }] });
    expect(result.success).toBe(false);
    if (!result.success) expect(issuesByPath(result.error)).toEqual({ "people.1.name": ["Name?"] });
  });

  it("formats dates in the reader's time zone, falling back to UTC", () => {
    const late = new Date("2026-03-10T23:30:00Z");
    expect(formatDate(late, "UTC", "long")).toBe("10 March 2026");
    expect(formatDate(late, "Europe/Berlin", "long")).toBe("11 March 2026");
    expect(formatDate(late, "Not/AZone", "long")).toBe("10 March 2026");
    expect(formatDate(late, "UTC")).toBe("10 Mar 2026");
  });
});

describe("drifting", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  const daysAgo = (n: number) => new Date(now.getTime() - n * 86_400_000);
  it("flags a member quiet for a week, whatever came before", () => {
    expect(
      driftOf({ since: daysAgo(30), lastActiveAt: daysAgo(8), actions: 40, recentActions: 0 }, now),
    ).toEqual({ drifting: true, reason: "quiet", quietDays: 8 });
    // Never active, joined 7 days ago.
    expect(
      driftOf({ since: daysAgo(7), lastActiveAt: null, actions: 0, recentActions: 0 }, now).reason,
    ).toBe("quiet");
  });
  it("flags a rhythm below half the member's own earlier one, not a slow but steady one", () => {
    // 28 earlier actions over 14 earlier days = 14 a week; 4 in the last 14 days = 2 a week.
    expect(
      driftOf({ since: daysAgo(28), lastActiveAt: daysAgo(1), actions: 32, recentActions: 4 }, now)
        .reason,
    ).toBe("slower");
    // Always 2 a week: steady, not drifting.
    expect(
      driftOf({ since: daysAgo(28), lastActiveAt: daysAgo(1), actions: 8, recentActions: 4 }, now)
        .drifting,
    ).toBe(false);
    // Too new to have an earlier rhythm.
    expect(
      driftOf({ since: daysAgo(10), lastActiveAt: daysAgo(1), actions: 30, recentActions: 1 }, now)
        .drifting,
    ).toBe(false);
  });
});
