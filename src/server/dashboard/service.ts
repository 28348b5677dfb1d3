import { addDays, dateColumnDay, localDay, startOfLocalDay } from "@/lib/time-zone";
import { streakOn } from "../activity/service";
import type { SignedInUser } from "../auth/session";
import { catchUpPlan } from "../cohorts/pace";
import { timingOf } from "../commitments/service";
import type { Db } from "../db";
import { moduleUnlockAt, revisitState } from "../player/logic";
import { todayRows } from "./reads";

const REACH_OUT_WINDOW_DAYS = 7;
/**
 * Today shows what matters now, a few of each: the full lists are a click away (commitments,
 * community map, journal). One more row than shown is read to know whether there are more.
 */
export const TODAY_LIMIT = 5;

/**
 * Everything the "today" page shows: next step per enrolment, commitments due or overdue,
 * revisits due, planned reach-outs and the streak (kept on write in MemberActivity).
 */
export async function today(db: Db, owner: SignedInUser, now = new Date()) {
  const day = localDay(now, owner.timeZone);
  const reachOutsBefore = startOfLocalDay(addDays(day, REACH_OUT_WINDOW_DAYS + 1), owner.timeZone);

  const { enrolments, commitments, answered, reachOuts, activity } = await todayRows(
    db,
    owner.id,
    day,
    reachOutsBefore,
    TODAY_LIMIT + 1,
  );

  // Locked modules (cohort schedule, or days from enrolment on a cohort-paced program) are
  // never offered; a member who is behind their cohort starts where the group is (catch-up).
  const nextSteps = enrolments.map(({ program, cohort, createdAt }) => {
    const anchor = { createdAt, cohort };
    const modules = program.modules.map((m) => ({
      id: m.id,
      title: m.title,
      unlockAt: moduleUnlockAt(program.pacing, m.unlockDayOffset, anchor, now, owner.timeZone),
      steps: m.steps,
    }));
    const steps = modules.flatMap((m) => m.steps);
    const plan = catchUpPlan(modules, 0);
    const firstOpen = modules
      .filter((m) => m.unlockAt === null)
      .flatMap((m) => m.steps.map((s) => ({ ...s, moduleTitle: m.title })))
      .find((s) => !s.done);
    const next = (cohort ? plan.startWith : null) ?? firstOpen;
    const stepsDone = steps.filter((s) => s.done).length;
    return {
      programSlug: program.slug,
      programTitle: program.title,
      cohort: cohort ? { name: cohort.name, slug: cohort.slug } : null,
      stepsTotal: steps.length,
      stepsDone,
      next: next ? { stepId: next.id, title: next.title, moduleTitle: next.moduleTitle } : null,
      /** Nothing open is left to do, and more opens later. */
      waiting: !next && stepsDone < steps.length ? plan.nextUnlock : null,
    };
  });

  const revisits = answered
    .flatMap(({ exercise: e, lastPassAt, passCount }) => {
      const state = revisitState(
        e.kind,
        e.revisitAfterDays,
        { createdAt: lastPassAt, passNumber: passCount },
        now,
        owner.timeZone,
      );
      if (!state.canAnswerAgain || !state.nextDueAt) return [];
      return [
        {
          exerciseId: e.id,
          prompt: e.prompt,
          kind: e.kind,
          stepId: e.step.id,
          stepTitle: e.step.title,
          programSlug: e.step.module.program.slug,
          programTitle: e.step.module.program.title,
          lastPassAt,
          lastPassDay: localDay(lastPassAt, owner.timeZone),
          dueAt: state.nextDueAt,
        },
      ];
    })
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());

  return {
    today: day,
    timeZone: owner.timeZone,
    nextSteps,
    more: {
      commitments: commitments.length > TODAY_LIMIT,
      revisits: revisits.length > TODAY_LIMIT,
      reachOuts: reachOuts.length > TODAY_LIMIT,
    },
    commitments: commitments.slice(0, TODAY_LIMIT).map((c) => {
      const dueDay = dateColumnDay(c.dueOn);
      return { ...c, dueDay, timing: timingOf(c.status, dueDay, day) };
    }),
    revisits: revisits.slice(0, TODAY_LIMIT),
    reachOuts: reachOuts.slice(0, TODAY_LIMIT).map((p) => {
      const plannedDay = localDay(p.plannedReachOutAt, owner.timeZone);
      return { ...p, plannedDay, overdue: plannedDay < day };
    }),
    streak: streakOn(activity, day),
  };
}
