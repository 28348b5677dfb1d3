import { type Day, dayToDateColumn } from "@/lib/days";
import type { Db } from "@/server/db";
import { enrolmentOf } from "@/server/player/access";

/**
 * Reads the app once made through Prisma's query builder and now makes in one SQL statement
 * each. Kept as the oracle: the integration tests compare the single statements with these on
 * the same rows, and `npm run bench:reads` times the two side by side.
 */

/** Today's five reads as Prisma made them (`src/server/dashboard/reads.ts` replaces them). */
export async function todayPrismaReads(
  db: Db,
  userId: string,
  day: Day,
  reachOutsBefore: Date,
  take: number,
) {
  const [enrolments, commitments, answered, reachOuts, activity] = await Promise.all([
    db.enrolment.findMany({
      where: { userId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        createdAt: true,
        cohort: { select: { name: true, slug: true, startDate: true, timeZone: true } },
        program: {
          select: {
            slug: true,
            title: true,
            pacing: true,
            modules: {
              orderBy: [{ position: "asc" }, { id: "asc" }],
              select: {
                id: true,
                title: true,
                unlockDayOffset: true,
                steps: {
                  orderBy: [{ position: "asc" }, { id: "asc" }],
                  select: {
                    id: true,
                    title: true,
                    completions: { where: { userId }, select: { id: true }, take: 1 },
                  },
                },
              },
            },
          },
        },
      },
    }),
    db.commitment.findMany({
      where: { userId, status: { not: "DONE" }, dueOn: { lte: dayToDateColumn(day) } },
      orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }],
      take,
      select: { id: true, text: true, dueOn: true, status: true },
    }),
    db.exerciseProgress.findMany({
      where: { userId, exercise: { deletedAt: null, revisitAfterDays: { not: null } } },
      select: {
        lastPassAt: true,
        passCount: true,
        exercise: {
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
        },
      },
    }),
    db.person.findMany({
      where: { userId, plannedReachOutAt: { not: null, lt: reachOutsBefore } },
      orderBy: [{ plannedReachOutAt: "asc" }, { id: "asc" }],
      take,
      select: { id: true, name: true, circle: true, status: true, plannedReachOutAt: true },
    }),
    db.memberActivity.findUnique({
      where: { userId },
      select: { lastActiveDay: true, streakStartDay: true },
    }),
  ]);
  return {
    enrolments: enrolments.map((e) => ({
      ...e,
      program: {
        ...e.program,
        modules: e.program.modules.map((m) => ({
          ...m,
          steps: m.steps.map(({ completions, ...s }) => ({ ...s, done: completions.length > 0 })),
        })),
      },
    })),
    commitments,
    // No order was asked of this read: callers compare it as a set.
    answered,
    reachOuts,
    activity,
  };
}

/** The practices list's four reads as Prisma made them (`src/server/practices/reads.ts`). */
export async function practicePrismaReads(db: Db, userId: string, since: Date, todayFrom: Date) {
  const [exercises, totals, recent, todays] = await Promise.all([
    db.exercise.findMany({
      where: {
        kind: "PRACTICE",
        deletedAt: null,
        step: { module: { program: { enrolments: { some: { userId } } } } },
      },
      orderBy: [
        { step: { module: { programId: "asc" } } },
        { step: { module: { position: "asc" } } },
        { step: { position: "asc" } },
        { position: "asc" },
      ],
      select: {
        id: true,
        prompt: true,
        config: true,
        step: {
          select: {
            id: true,
            completions: { where: { userId }, select: { id: true }, take: 1 },
            module: {
              select: {
                unlockDayOffset: true,
                program: {
                  select: {
                    slug: true,
                    title: true,
                    pacing: true,
                    enrolments: enrolmentOf(userId),
                  },
                },
              },
            },
          },
        },
      },
    }),
    db.practiceTotal.findMany({
      where: { userId },
      select: { exerciseId: true, practiceKey: true, count: true, lastTickedAt: true },
    }),
    db.$queryRaw<{ exerciseId: string; practiceKey: string; q: Date; n: number }[]>`
      SELECT "exerciseId", "practiceKey",
             date_bin('15 minutes', "createdAt", TIMESTAMP '2000-01-01') AS q,
             count(*)::int AS n
      FROM "PracticeTick"
      WHERE "userId" = ${userId}
        AND "createdAt" >= (${since.toISOString()}::timestamptz AT TIME ZONE 'UTC')
      GROUP BY 1, 2, 3`,
    db.practiceTick.findMany({
      where: { userId, createdAt: { gte: todayFrom } },
      orderBy: { createdAt: "asc" },
      select: { id: true, exerciseId: true, practiceKey: true, createdAt: true },
    }),
  ]);
  return { exercises, totals, recent, todays };
}
