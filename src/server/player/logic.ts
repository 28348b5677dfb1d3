import type { ZodError } from "zod";
import { addDays, dateColumnDay, startOfDayAfter, startOfLocalDay } from "@/lib/time-zone";

/**
 * Pure rules of the player (no database), shared by the service and unit-tested alone.
 * Days count in the member's calendar: "opens on day 7" and "answer again after 7 days" mean
 * from the start of that local day, so the date the page names is the date it happens.
 */

/** The dates that pace a member: their cohort's start day and zone, when they are in one. */
export type CohortSchedule = { startDate: Date; timeZone: string };
export type PacingAnchor = { createdAt: Date; cohort?: CohortSchedule | null };

/**
 * When a module opens for a member; null when it is open.
 * - In a cohort: at the start of local day (cohort start + `unlockDayOffset`) in the cohort's
 *   zone, so every member of the cohort gets it at the same instant whatever their own zone.
 *   This holds whatever the program's pacing: pacing only decides what members outside any
 *   cohort get (everything at once, or days counted from their own enrolment).
 * - Not in a cohort: cohort-paced modules open `unlockDayOffset` local days after the day the
 *   member enrolled, in the member's zone; self-paced programs never lock.
 */
export function moduleUnlockAt(
  pacing: "SELF_PACED" | "COHORT_PACED",
  unlockDayOffset: number,
  anchor: PacingAnchor | null,
  now: Date,
  timeZone: string,
): Date | null {
  const cohort = anchor?.cohort;
  if (cohort) {
    const at = cohortDayStart(cohort, Math.max(0, unlockDayOffset));
    return at.getTime() > now.getTime() ? at : null;
  }
  if (pacing !== "COHORT_PACED" || unlockDayOffset <= 0) return null;
  const at = startOfDayAfter(anchor?.createdAt ?? now, unlockDayOffset, timeZone);
  return at.getTime() > now.getTime() ? at : null;
}

/** The instant cohort day `offset` begins (day 0 is the start date), in the cohort's zone. */
export function cohortDayStart(cohort: CohortSchedule, offset: number): Date {
  return startOfLocalDay(addDays(dateColumnDay(cohort.startDate), offset), cohort.timeZone);
}

export type RevisitState = {
  count: number;
  lastPassAt: Date | null;
  /** When another pass may be recorded; null when it may be recorded now or never again. */
  nextDueAt: Date | null;
  canAnswerAgain: boolean;
};

/**
 * The first pass is always allowed. After that a pass is due from the start of the local day
 * `revisitAfterDays` after the last one; an exercise without revisit days is answered once,
 * except practices, which are done again and again. `count` is the number of passes so far
 * (pass numbers run 1..n, so the latest pass's number is the count).
 */
export function revisitState(
  kind: string,
  revisitAfterDays: number | null,
  last: { createdAt: Date; passNumber: number } | null,
  now: Date,
  timeZone: string,
): RevisitState {
  if (!last) return { count: 0, lastPassAt: null, nextDueAt: null, canAnswerAgain: true };
  const base = { count: last.passNumber, lastPassAt: last.createdAt };
  if (revisitAfterDays == null) {
    return { ...base, nextDueAt: null, canAnswerAgain: kind === "PRACTICE" };
  }
  const due = startOfDayAfter(last.createdAt, revisitAfterDays, timeZone);
  return { ...base, nextDueAt: due, canAnswerAgain: due.getTime() <= now.getTime() };
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
