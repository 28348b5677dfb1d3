import type { Pacing, Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import { type AsJson, dateColumn, instant } from "../db/json-rows";

/**
 * The practices list's four reads in ONE statement (it is on Today, the page members open
 * most; see docs/performance.md for what statements cost there). Shapes are exactly those of
 * the Prisma reads they replaced; tests/integration/practices.test.ts compares the two.
 */
export type PracticeRows = {
  exercises: {
    id: string;
    prompt: string;
    config: Prisma.JsonValue;
    step: {
      id: string;
      completions: { id: string }[];
      module: {
        unlockDayOffset: number;
        program: {
          slug: string;
          title: string;
          pacing: Pacing;
          enrolments: {
            createdAt: Date;
            currentStepId: string | null;
            completedAt: Date | null;
            cohort: { startDate: Date; timeZone: string } | null;
          }[];
        };
      };
    };
  }[];
  totals: { exerciseId: string; practiceKey: string; count: number; lastTickedAt: Date | null }[];
  /** Ticks since `since`, counted per UTC quarter-hour. */
  recent: { exerciseId: string; practiceKey: string; q: Date; n: number }[];
  todays: { id: string; exerciseId: string; practiceKey: string; createdAt: Date }[];
};

export async function practiceRows(
  db: Db,
  userId: string,
  since: Date,
  todayFrom: Date,
): Promise<PracticeRows> {
  const [row] = await db.$queryRaw<[AsJson<PracticeRows>]>`
    SELECT
      (SELECT coalesce(json_agg(json_build_object(
                'id', ex."id", 'prompt', ex."prompt", 'config', ex."config",
                'step', json_build_object(
                  'id', st."id",
                  'completions', (SELECT coalesce(json_agg(json_build_object('id', d."id")), '[]'::json)
                                    FROM (SELECT sc."id" FROM "StepCompletion" sc
                                           WHERE sc."stepId" = st."id" AND sc."userId" = ${userId}
                                           LIMIT 1) d),
                  'module', json_build_object(
                    'unlockDayOffset', mo."unlockDayOffset",
                    'program', json_build_object(
                      'slug', pr."slug", 'title', pr."title", 'pacing', pr."pacing",
                      'enrolments', json_build_array(json_build_object(
                        'createdAt', en."createdAt", 'currentStepId', en."currentStepId",
                        'completedAt', en."completedAt",
                        'cohort', CASE WHEN co."id" IS NULL THEN NULL ELSE json_build_object(
                          'startDate', co."startDate", 'timeZone', co."timeZone") END))))))
              ORDER BY mo."programId", mo."position", st."position", ex."position"), '[]'::json)
         FROM "Enrolment" en
         JOIN "Program" pr ON pr."id" = en."programId"
         JOIN "Module" mo ON mo."programId" = pr."id"
         JOIN "Step" st ON st."moduleId" = mo."id"
         JOIN "Exercise" ex ON ex."stepId" = st."id"
         LEFT JOIN "Cohort" co ON co."id" = en."cohortId"
        WHERE en."userId" = ${userId} AND ex."kind" = 'PRACTICE' AND ex."deletedAt" IS NULL)
        AS "exercises",
      -- Kept on every tick and untick: the same cost after three years of daily practice.
      (SELECT coalesce(json_agg(json_build_object(
                'exerciseId', t."exerciseId", 'practiceKey', t."practiceKey", 'count', t."count",
                'lastTickedAt', t."lastTickedAt")), '[]'::json)
         FROM "PracticeTotal" t WHERE t."userId" = ${userId}) AS "totals",
      -- Counted per quarter-hour (every UTC offset is a multiple of 15 minutes), so a busy
      -- history is a handful of rows; local days are made in JavaScript, which knows every zone.
      (SELECT coalesce(json_agg(json_build_object(
                'exerciseId', r."exerciseId", 'practiceKey', r."practiceKey", 'q', r."q",
                'n', r."n")), '[]'::json)
         FROM (SELECT "exerciseId", "practiceKey",
                      date_bin('15 minutes', "createdAt", TIMESTAMP '2000-01-01') AS "q",
                      count(*)::int AS "n"
                 FROM "PracticeTick"
                WHERE "userId" = ${userId}
                  AND "createdAt" >= (${since.toISOString()}::timestamptz AT TIME ZONE 'UTC')
                GROUP BY 1, 2, 3) r) AS "recent",
      (SELECT coalesce(json_agg(json_build_object(
                'id', k."id", 'exerciseId', k."exerciseId", 'practiceKey', k."practiceKey",
                'createdAt', k."createdAt") ORDER BY k."createdAt"), '[]'::json)
         FROM "PracticeTick" k
        WHERE k."userId" = ${userId}
          AND k."createdAt" >= (${todayFrom.toISOString()}::timestamptz AT TIME ZONE 'UTC'))
        AS "todays"`;

  return {
    exercises: row.exercises.map((e) => ({
      ...e,
      step: {
        ...e.step,
        module: {
          ...e.step.module,
          program: {
            ...e.step.module.program,
            enrolments: e.step.module.program.enrolments.map((en) => ({
              ...en,
              createdAt: instant(en.createdAt),
              completedAt: en.completedAt === null ? null : instant(en.completedAt),
              cohort: en.cohort && { ...en.cohort, startDate: dateColumn(en.cohort.startDate) },
            })),
          },
        },
      },
    })),
    totals: row.totals.map((t) => ({
      ...t,
      lastTickedAt: t.lastTickedAt === null ? null : instant(t.lastTickedAt),
    })),
    recent: row.recent.map((r) => ({ ...r, q: instant(r.q) })),
    todays: row.todays.map((t) => ({ ...t, createdAt: instant(t.createdAt) })),
  };
}
