import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  addDays,
  formatDay,
  issuesByPath,
  moduleUnlockAt,
  nextIncompleteStep,
  revisitState,
} from "@/server/player/logic";

const now = new Date("2026-03-10T12:00:00Z");

describe("player rules", () => {
  it("locks cohort-paced modules until enrolment + offset days, never self-paced ones", () => {
    const enrolled = new Date("2026-03-05T12:00:00Z");
    expect(moduleUnlockAt("COHORT_PACED", 7, enrolled, now)).toEqual(addDays(enrolled, 7));
    expect(moduleUnlockAt("COHORT_PACED", 5, enrolled, now)).toBeNull();
    expect(moduleUnlockAt("COHORT_PACED", 0, enrolled, now)).toBeNull();
    expect(moduleUnlockAt("SELF_PACED", 30, enrolled, now)).toBeNull();
    // Not enrolled yet: counted from today.
    expect(moduleUnlockAt("COHORT_PACED", 2, null, now)).toEqual(addDays(now, 2));
  });

  it("allows the first pass, then waits for the revisit day", () => {
    expect(revisitState("SCALE", 7, [], now)).toMatchObject({ count: 0, canAnswerAgain: true });
    const last = { createdAt: new Date("2026-03-05T12:00:00Z") };
    expect(revisitState("SCALE", 7, [last], now)).toEqual({
      count: 1,
      lastPassAt: last.createdAt,
      nextDueAt: new Date("2026-03-12T12:00:00Z"),
      canAnswerAgain: false,
    });
    expect(revisitState("SCALE", 5, [last], now).canAnswerAgain).toBe(true);
    expect(revisitState("REFLECTION", null, [last], now).canAnswerAgain).toBe(false);
    expect(revisitState("PRACTICE", null, [last], now).canAnswerAgain).toBe(true);
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

  it("formats days in the member's time zone, falling back to UTC", () => {
    const late = new Date("2026-03-10T23:30:00Z");
    expect(formatDay(late, "UTC")).toBe("10 March 2026");
    expect(formatDay(late, "Europe/Berlin")).toBe("11 March 2026");
    expect(formatDay(late, "Not/AZone")).toBe("10 March 2026");
  });
});
