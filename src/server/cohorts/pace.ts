import { dateColumnDay, localDay } from "@/lib/time-zone";

/**
 * Pure rules of a cohort's calendar (no database): its status, and the catch-up plan a member
 * who is behind sees instead of a wall of overdue steps.
 */

export type CohortStatus = "SCHEDULED" | "RUNNING" | "FINISHED";

export function cohortStatus(
  cohort: { startDate: Date; timeZone: string; finishedAt: Date | null },
  now: Date,
): CohortStatus {
  if (cohort.finishedAt) return "FINISHED";
  return localDay(now, cohort.timeZone) < dateColumnDay(cohort.startDate) ? "SCHEDULED" : "RUNNING";
}

export const STATUS_LABEL: Record<CohortStatus, string> = {
  SCHEDULED: "Starts soon",
  RUNNING: "Running",
  FINISHED: "Finished",
};

type PlanStep = { id: string; title: string; done: boolean };
type PlanModule = { id: string; title: string; unlockAt: Date | null; steps: PlanStep[] };

export type CatchUpPlan = {
  /** The module the cohort is on now: the last one open. Null before the first opens. */
  paceModule: { id: string; title: string } | null;
  /** Where to start to be back with the group: the pace module's first step not done. */
  startWith: (PlanStep & { moduleTitle: string }) | null;
  /** Earlier steps still open, in order (at most `shown`), and how many there are in all. */
  catchUp: (PlanStep & { moduleTitle: string })[];
  catchUpCount: number;
  /** The next module still locked, and when it opens. */
  nextUnlock: { title: string; at: Date } | null;
};

/**
 * Someone who joins in week 3 should do week 3 with the group first, then go back for what they
 * missed when they can: the pace module's first open step, then earlier open steps.
 */
export function catchUpPlan(modules: PlanModule[], shown = 5): CatchUpPlan {
  const open = modules.filter((m) => m.unlockAt === null);
  const pace = open.at(-1) ?? null;
  const locked = modules.find((m) => m.unlockAt !== null);
  const withModule = (m: PlanModule) => m.steps.map((s) => ({ ...s, moduleTitle: m.title }));
  const startWith = pace ? (withModule(pace).find((s) => !s.done) ?? null) : null;
  const earlier = open
    .slice(0, -1)
    .flatMap(withModule)
    .filter((s) => !s.done);
  return {
    paceModule: pace ? { id: pace.id, title: pace.title } : null,
    startWith,
    catchUp: earlier.slice(0, shown),
    catchUpCount: earlier.length,
    nextUnlock: locked?.unlockAt ? { title: locked.title, at: locked.unlockAt } : null,
  };
}

export const DRIFT = {
  /** No activity for this many days is drifting, whatever came before. */
  quietDays: 7,
  /** The recent window compared with the member's earlier rhythm. */
  recentDays: 14,
  /** Below this share of their own earlier weekly rhythm is drifting. */
  ratio: 0.5,
  /** An earlier rhythm needs at least this many actions to count as one. */
  minEarlier: 3,
};

export type DriftFacts = {
  /** When the member joined the cohort (or enrolled). */
  since: Date;
  /** Their last active day's start, or null when never active. */
  lastActiveAt: Date | null;
  /** Answers and completed steps in the program: all of them, and those of the recent window. */
  actions: number;
  recentActions: number;
};

export type Drift = { drifting: boolean; reason: "quiet" | "slower" | null; quietDays: number };

/**
 * "Drifting", from counts and dates only (never from what anyone wrote): nothing for
 * `quietDays`, or a recent weekly rhythm below half of the member's own earlier one. Someone
 * who joined less than a window ago is compared with nothing and only the quiet rule applies.
 */
export function driftOf(f: DriftFacts, now: Date): Drift {
  const day = 86_400_000;
  const quietDays = Math.floor((now.getTime() - (f.lastActiveAt ?? f.since).getTime()) / day);
  if (quietDays >= DRIFT.quietDays) return { drifting: true, reason: "quiet", quietDays };
  const earlierDays = (now.getTime() - f.since.getTime()) / day - DRIFT.recentDays;
  const earlier = f.actions - f.recentActions;
  if (earlierDays >= 7 && earlier >= DRIFT.minEarlier) {
    const earlierPerWeek = (earlier / earlierDays) * 7;
    const recentPerWeek = (f.recentActions / DRIFT.recentDays) * 7;
    if (recentPerWeek < earlierPerWeek * DRIFT.ratio) {
      return { drifting: true, reason: "slower", quietDays };
    }
  }
  return { drifting: false, reason: null, quietDays };
}

/**
 * Whether `driftOf` reads `recentActions` for these facts: not for someone quiet (that rule
 * comes first), nor for someone with under a week of earlier time or too few actions in all to
 * have an earlier rhythm (recent actions only lower the earlier count). The roster counts recent
 * actions for these members only.
 */
export function driftNeedsRecent(f: Omit<DriftFacts, "recentActions">, now: Date): boolean {
  const day = 86_400_000;
  const quietDays = Math.floor((now.getTime() - (f.lastActiveAt ?? f.since).getTime()) / day);
  if (quietDays >= DRIFT.quietDays) return false;
  const earlierDays = (now.getTime() - f.since.getTime()) / day - DRIFT.recentDays;
  return earlierDays >= 7 && f.actions >= DRIFT.minEarlier;
}
