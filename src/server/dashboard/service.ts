import {
  addDays,
  computeStreak,
  dateColumnDay,
  dayToDateColumn,
  localDay,
  startOfLocalDay,
} from "@/lib/streak";
import { timingOf } from "../commitments/service";
import type { Owner } from "../community/service";
import type { Db } from "../db";

const REACH_OUT_WINDOW_DAYS = 7;
const LIST_LIMIT = 50;
const DAY_MS = 86_400_000;

/**
 * The local days on which the member did something: submitted a pass, ticked a practice,
 * logged a reach-out or checked in a commitment. One query returns the distinct quarter-hours
 * with activity (every current UTC offset is a multiple of 15 minutes); they become local days
 * here rather than in SQL, because a database with minimal tzdata may not know every zone name
 * the browser offers (e.g. Asia/Calcutta).
 */
async function activeDays(db: Db, owner: Owner): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ q: Date }[]>`
    SELECT DISTINCT date_bin('15 minutes', t.at, TIMESTAMP '2000-01-01') AS q
    FROM (
      SELECT "createdAt" AS at FROM "AnswerPass" WHERE "userId" = ${owner.id}
      UNION ALL SELECT "createdAt" FROM "PracticeTick" WHERE "userId" = ${owner.id}
      UNION ALL SELECT "at" FROM "ReachOut" WHERE "userId" = ${owner.id}
      UNION ALL SELECT c."createdAt" FROM "CommitmentCheckIn" c
        JOIN "Commitment" m ON m."id" = c."commitmentId" WHERE m."userId" = ${owner.id}
    ) t`;
  return new Set(rows.map((r) => localDay(new Date(r.q), owner.timeZone)));
}

/**
 * Everything the "today" page shows, in six queries whatever the member's history: next step
 * per enrolment, commitments due or overdue, revisits due, planned reach-outs and the streak.
 */
export async function today(db: Db, owner: Owner, now = new Date()) {
  const day = localDay(now, owner.timeZone);
  const reachOutsBefore = startOfLocalDay(addDays(day, REACH_OUT_WINDOW_DAYS + 1), owner.timeZone);

  const [enrolments, commitments, lastPasses, reachOuts, days] = await Promise.all([
    db.enrolment.findMany({
      where: { userId: owner.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        program: {
          select: {
            slug: true,
            title: true,
            modules: {
              orderBy: [{ position: "asc" }, { id: "asc" }],
              select: {
                title: true,
                steps: {
                  orderBy: [{ position: "asc" }, { id: "asc" }],
                  select: {
                    id: true,
                    title: true,
                    completions: { where: { userId: owner.id }, select: { id: true }, take: 1 },
                  },
                },
              },
            },
          },
        },
      },
    }),
    db.commitment.findMany({
      where: { userId: owner.id, status: { not: "DONE" }, dueOn: { lte: dayToDateColumn(day) } },
      orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }],
      take: LIST_LIMIT,
      select: { id: true, text: true, dueOn: true, status: true },
    }),
    db.answerPass.groupBy({
      by: ["exerciseId"],
      where: { userId: owner.id },
      _max: { createdAt: true },
    }),
    db.person.findMany({
      where: { userId: owner.id, plannedReachOutAt: { not: null, lt: reachOutsBefore } },
      orderBy: [{ plannedReachOutAt: "asc" }, { id: "asc" }],
      take: LIST_LIMIT,
      select: { id: true, name: true, circle: true, status: true, plannedReachOutAt: true },
    }),
    activeDays(db, owner),
  ]);

  // Depends on which exercises were answered: one more query, bounded by program size.
  const answered = new Map(lastPasses.map((p) => [p.exerciseId, p._max.createdAt]));
  const exercises =
    answered.size === 0
      ? []
      : await db.exercise.findMany({
          where: {
            id: { in: [...answered.keys()] },
            deletedAt: null,
            revisitAfterDays: { not: null },
          },
          select: {
            id: true,
            prompt: true,
            kind: true,
            revisitAfterDays: true,
            step: {
              select: {
                id: true,
                title: true,
                module: { select: { program: { select: { slug: true, title: true } } } },
              },
            },
          },
        });

  const nextSteps = enrolments.map(({ program }) => {
    const steps = program.modules.flatMap((m) =>
      m.steps.map((s) => ({ ...s, moduleTitle: m.title })),
    );
    const next = steps.find((s) => s.completions.length === 0);
    return {
      programSlug: program.slug,
      programTitle: program.title,
      stepsTotal: steps.length,
      stepsDone: steps.filter((s) => s.completions.length > 0).length,
      next: next ? { stepId: next.id, title: next.title, moduleTitle: next.moduleTitle } : null,
    };
  });

  const revisits = exercises
    .flatMap((e) => {
      const last = answered.get(e.id);
      if (!last || e.revisitAfterDays === null) return [];
      const dueAt = new Date(last.getTime() + e.revisitAfterDays * DAY_MS);
      if (dueAt > now) return [];
      return [
        {
          exerciseId: e.id,
          prompt: e.prompt,
          kind: e.kind,
          stepId: e.step.id,
          stepTitle: e.step.title,
          programSlug: e.step.module.program.slug,
          programTitle: e.step.module.program.title,
          lastPassAt: last,
          lastPassDay: localDay(last, owner.timeZone),
          dueAt,
        },
      ];
    })
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());

  return {
    today: day,
    timeZone: owner.timeZone,
    nextSteps,
    commitments: commitments.map((c) => {
      const dueDay = dateColumnDay(c.dueOn);
      return { ...c, dueDay, timing: timingOf(c.status, dueDay, day) };
    }),
    revisits,
    reachOuts: reachOuts.map((p) => {
      const plannedDay = localDay(p.plannedReachOutAt as Date, owner.timeZone);
      return { ...p, plannedDay, overdue: plannedDay < day };
    }),
    streak: { days: computeStreak(days, day), activeToday: days.has(day) },
  };
}
