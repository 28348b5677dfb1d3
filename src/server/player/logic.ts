import type { ZodError } from "zod";

/**
 * Pure rules of the player (no database), shared by the service and unit-tested alone.
 */
export const DAY_MS = 24 * 60 * 60 * 1000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/**
 * Cohort-paced modules open `unlockDayOffset` days after the member enrolled (cohort start dates
 * replace the enrolment date once cohorts exist). Self-paced programs never lock.
 */
export function moduleUnlockAt(
  pacing: "SELF_PACED" | "COHORT_PACED",
  unlockDayOffset: number,
  enrolledAt: Date | null,
  now: Date,
): Date | null {
  if (pacing !== "COHORT_PACED" || unlockDayOffset <= 0) return null;
  const at = addDays(enrolledAt ?? now, unlockDayOffset);
  return at.getTime() > now.getTime() ? at : null;
}

export type RevisitState = {
  count: number;
  lastPassAt: Date | null;
  /** When another pass may be recorded; null when it may be recorded now or never again. */
  nextDueAt: Date | null;
  canAnswerAgain: boolean;
};

/**
 * The first pass is always allowed. After that a pass is due `revisitAfterDays` after the last
 * one; an exercise without revisit days is answered once, except practices, which are done
 * again and again.
 */
export function revisitState(
  kind: string,
  revisitAfterDays: number | null,
  passes: { createdAt: Date }[],
  now: Date,
): RevisitState {
  const lastPassAt = passes.reduce<Date | null>(
    (last, p) => (!last || p.createdAt > last ? p.createdAt : last),
    null,
  );
  if (!lastPassAt) return { count: 0, lastPassAt, nextDueAt: null, canAnswerAgain: true };
  if (revisitAfterDays == null) {
    return {
      count: passes.length,
      lastPassAt,
      nextDueAt: null,
      canAnswerAgain: kind === "PRACTICE",
    };
  }
  const due = addDays(lastPassAt, revisitAfterDays);
  return {
    count: passes.length,
    lastPassAt,
    nextDueAt: due,
    canAnswerAgain: due.getTime() <= now.getTime(),
  };
}

/** The next step to work on: the first incomplete one after `fromId`, else the first incomplete. */
export function nextIncompleteStep(
  steps: { id: string; done: boolean }[],
  fromId: string | null,
): string | null {
  const from = fromId ? steps.findIndex((s) => s.id === fromId) : -1;
  const after = steps.slice(from + 1).find((s) => !s.done);
  return (after ?? steps.find((s) => !s.done))?.id ?? null;
}

/** Zod issues keyed by their full path ("people.0.name"), so each row's field gets its message. */
export function issuesByPath(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "content";
    out[key] ??= [];
    out[key].push(issue.message);
  }
  return out;
}

export function formatDay(date: Date, timeZone = "UTC"): string {
  let zone = timeZone;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
  } catch {
    zone = "UTC";
  }
  return new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: zone,
  }).format(date);
}
