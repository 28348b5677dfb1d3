import { dateColumnDay, localDay } from "@/lib/time-zone";
import type { SignedInUser } from "@/server/auth/session";
import { requireManaged } from "@/server/cohorts/access";
import { DRIFT, driftOf } from "@/server/cohorts/pace";
import { nudgeKey, type RosterFilter, type RosterSort } from "@/server/cohorts/reads";
import { COHORT_LIMITS } from "@/server/cohorts/schemas";
import type { Db } from "@/server/db";

/**
 * The coach's cohort roster as it was read before issue 7: every member's completions grouped per
 * module, their answers summed and their recent ones counted on every page, then filtered, sorted
 * and sliced in JavaScript (`src/server/cohorts/reads.ts` now reads the counts kept on write in
 * ProgramProgress, and per-module cells for the page only). Kept as the oracle: the integration
 * test compares the two on the same rows, every sort, filter and page.
 */

/** The later of the activity aggregate's instant and the last completed step. */
function latestAt(activity: Date | null | undefined, stepAt: number | undefined): Date | null {
  const t = Math.max(activity?.getTime() ?? 0, stepAt ?? 0);
  return t > 0 ? new Date(t) : null;
}

/** The later of the activity aggregate's day and the last completed step's day (cohort's zone). */
function latestDay(activityDay: string | null, stepAt: number | undefined, zone: string) {
  const stepDay = stepAt ? localDay(new Date(stepAt), zone) : null;
  if (!activityDay) return stepDay;
  if (!stepDay) return activityDay;
  return stepDay > activityDay ? stepDay : activityDay;
}

/**
 * Everyone in the cohort with the facts the coach's view needs, computed from counts and dates
 * only: steps done per module, last active day, answers and steps recently and in all, and the
 * drifting flag. A fixed number of statements whatever the cohort's size (members, modules,
 * completions per module, action counts); capacity caps the rows.
 */
export async function rosterFactsScan(
  db: Db,
  cohort: { id: string; programId: string; timeZone: string },
  now: Date,
) {
  const recentFrom = new Date(now.getTime() - DRIFT.recentDays * 86_400_000);
  const [modules, rows] = await Promise.all([
    db.module.findMany({
      where: { programId: cohort.programId },
      orderBy: { position: "asc" },
      select: { id: true, title: true, _count: { select: { steps: true } } },
    }),
    db.cohortMember.findMany({
      where: { cohortId: cohort.id, status: { in: ["ACTIVE", "WAITLISTED"] } },
      orderBy: [{ status: "asc" }, { queuePosition: "asc" }],
      select: {
        userId: true,
        status: true,
        joinedAt: true,
        createdAt: true,
        user: {
          select: {
            name: true,
            email: true,
            activity: { select: { lastActiveDay: true, lastActiveAt: true } },
          },
        },
      },
    }),
  ]);
  const ids = rows.filter((r) => r.status === "ACTIVE").map((r) => r.userId);
  // Steps done per module (and how many recently), answers in all from the per-prompt
  // aggregate kept on write, and recent answers through the passes' (userId, createdAt) index,
  // which reads only the window's rows: a member's whole history is never scanned.
  const [done, totals, recent] = ids.length
    ? await Promise.all([
        db.$queryRaw<
          { userId: string; moduleId: string; done: number; recent: number; lastAt: Date }[]
        >`
          SELECT sc."userId", s."moduleId", count(*)::int AS "done",
                 (count(*) FILTER (WHERE sc."completedAt" >= ${recentFrom}))::int AS "recent",
                 max(sc."completedAt") AS "lastAt"
            FROM "StepCompletion" sc
            JOIN "Step" s ON s."id" = sc."stepId"
            JOIN "Module" m ON m."id" = s."moduleId"
           WHERE m."programId" = ${cohort.programId} AND sc."userId" = ANY(${ids})
           GROUP BY sc."userId", s."moduleId"`,
        db.exerciseProgress.groupBy({
          by: ["userId"],
          where: { programId: cohort.programId, userId: { in: ids } },
          _sum: { passCount: true },
        }),
        db.$queryRaw<{ userId: string; n: number }[]>`
          SELECT "userId", count(*)::int AS "n" FROM "AnswerPass"
           WHERE "userId" = ANY(${ids}) AND "createdAt" >= ${recentFrom}
             AND "programId" = ${cohort.programId}
           GROUP BY "userId"`,
      ])
    : [[], [], []];
  const actionsBy = new Map<string, { total: number; recent: number }>();
  const bump = (userId: string, total: number, recentCount: number) => {
    const a = actionsBy.get(userId) ?? { total: 0, recent: 0 };
    actionsBy.set(userId, { total: a.total + total, recent: a.recent + recentCount });
  };
  // Completing a step is activity too (a reading step has no answer to count).
  const lastStepAt = new Map<string, number>();
  for (const d of done) {
    bump(d.userId, d.done, d.recent);
    const at = new Date(d.lastAt).getTime();
    lastStepAt.set(d.userId, Math.max(lastStepAt.get(d.userId) ?? 0, at));
  }
  for (const t of totals) bump(t.userId, t._sum.passCount ?? 0, 0);
  for (const r of recent) bump(r.userId, 0, r.n);
  const doneBy = new Map(done.map((d) => [`${d.userId}:${d.moduleId}`, d.done]));
  let waitPosition = 0;
  const members = rows.map((r) => {
    const since = r.joinedAt ?? r.createdAt;
    const counts = actionsBy.get(r.userId);
    const cells = modules.map((m) => ({
      moduleId: m.id,
      done: doneBy.get(`${r.userId}:${m.id}`) ?? 0,
      total: m._count.steps,
    }));
    const active = r.status === "ACTIVE";
    return {
      userId: r.userId,
      name: r.user.name ?? r.user.email,
      email: r.user.email,
      status: r.status as "ACTIVE" | "WAITLISTED",
      since,
      waitPosition: active ? null : ++waitPosition,
      lastActiveDay: latestDay(
        r.user.activity ? dateColumnDay(r.user.activity.lastActiveDay) : null,
        lastStepAt.get(r.userId),
        cohort.timeZone,
      ),
      stepsDone: cells.reduce((n, c) => n + c.done, 0),
      modules: cells,
      drift: active
        ? driftOf(
            {
              since,
              lastActiveAt: latestAt(r.user.activity?.lastActiveAt, lastStepAt.get(r.userId)),
              actions: counts?.total ?? 0,
              recentActions: counts?.recent ?? 0,
            },
            now,
          )
        : null,
    };
  });
  return {
    modules: modules.map((m) => ({ id: m.id, title: m.title, steps: m._count.steps })),
    members,
  };
}

/** The coach's roster: filtered, sorted, then a page of 50. */
export async function cohortRosterScan(
  db: Db,
  actor: SignedInUser,
  input: { cohortId: string; page: number; sort?: RosterSort; filter?: RosterFilter },
  now = new Date(),
) {
  const cohort = await requireManaged(db, actor, input.cohortId);
  const size = COHORT_LIMITS.rosterPage;
  const { modules, members } = await rosterFactsScan(db, cohort, now);
  const filter = input.filter ?? "all";
  const sort = input.sort ?? "joined";
  const kept = members.filter((m) =>
    filter === "drifting"
      ? m.drift?.drifting
      : filter === "waitlisted"
        ? m.status === "WAITLISTED"
        : true,
  );
  const byName = (a: (typeof kept)[number], b: (typeof kept)[number]) =>
    a.name.localeCompare(b.name, "en");
  if (sort === "name") kept.sort(byName);
  if (sort === "lastActive") {
    // Longest quiet first: who needs a word most.
    kept.sort(
      (a, b) => (a.lastActiveDay ?? "").localeCompare(b.lastActiveDay ?? "") || byName(a, b),
    );
  }
  if (sort === "progress") kept.sort((a, b) => a.stepsDone - b.stepsDone || byName(a, b));
  const nudged = await db.email.findMany({
    where: {
      dedupeKey: {
        in: kept
          .slice(input.page * size, (input.page + 1) * size)
          .map((m) => nudgeKey(cohort.id, m.userId, now, cohort.timeZone)),
      },
    },
    select: { dedupeKey: true },
  });
  const nudgedKeys = new Set(nudged.map((n) => n.dedupeKey));
  return {
    cohort: { id: cohort.id, name: cohort.name },
    modules,
    members: kept.slice(input.page * size, (input.page + 1) * size).map((m) => ({
      ...m,
      nudgedToday: nudgedKeys.has(nudgeKey(cohort.id, m.userId, now, cohort.timeZone)),
    })),
    counts: {
      all: members.length,
      drifting: members.filter((m) => m.drift?.drifting).length,
      waitlisted: members.filter((m) => m.status === "WAITLISTED").length,
    },
    page: input.page,
    hasMore: kept.length > (input.page + 1) * size,
  };
}
