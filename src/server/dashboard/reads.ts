import type {
  CommitmentStatus,
  ExerciseKind,
  Pacing,
  PersonStatus,
} from "@/generated/prisma/client";
import type { Day } from "@/lib/days";
import type { Db } from "../db";
import { type AsJson, dateColumn, instant } from "../db/json-rows";

/**
 * Today's five reads in ONE statement. Today is the page members open most, and its cost was
 * mostly per-statement overhead (Prisma compiling and mapping five queries, five round trips on
 * a pool shared with PostgreSQL's own two cores), not the rows: see docs/performance.md. Each
 * part is a correlated sub-select that walks an index by the member's id and returns JSON, so
 * the cost stays fixed however long the member's history is.
 *
 * The shapes are exactly what the Prisma reads they replace returned (dates as Date);
 * tests/integration/dashboard.test.ts compares the two on the same data.
 */
export type TodayRows = {
  enrolments: {
    createdAt: Date;
    cohort: { name: string; slug: string; startDate: Date; timeZone: string } | null;
    program: {
      slug: string;
      title: string;
      pacing: Pacing;
      modules: {
        id: string;
        title: string;
        unlockDayOffset: number;
        steps: { id: string; title: string; done: boolean }[];
      }[];
    };
  }[];
  commitments: { id: string; text: string; dueOn: Date; status: CommitmentStatus }[];
  answered: {
    lastPassAt: Date;
    passCount: number;
    exercise: {
      id: string;
      prompt: string;
      kind: ExerciseKind;
      revisitAfterDays: number | null;
      step: { id: string; title: string; module: { program: { slug: string; title: string } } };
    };
  }[];
  reachOuts: {
    id: string;
    name: string;
    circle: string;
    status: PersonStatus;
    plannedReachOutAt: Date;
  }[];
  activity: { lastActiveDay: Date; streakStartDay: Date } | null;
};

export async function todayRows(
  db: Db,
  userId: string,
  day: Day,
  reachOutsBefore: Date,
  limit: number,
): Promise<TodayRows> {
  const [row] = await db.$queryRaw<[AsJson<TodayRows>]>`
    SELECT
      (SELECT coalesce(json_agg(json_build_object(
                'createdAt', e."createdAt",
                'cohort', CASE WHEN c."id" IS NULL THEN NULL ELSE json_build_object(
                  'name', c."name", 'slug', c."slug", 'startDate', c."startDate",
                  'timeZone', c."timeZone") END,
                'program', json_build_object(
                  'slug', p."slug", 'title', p."title", 'pacing', p."pacing",
                  'modules', (
                    SELECT coalesce(json_agg(json_build_object(
                             'id', m."id", 'title', m."title",
                             'unlockDayOffset', m."unlockDayOffset",
                             'steps', (
                               SELECT coalesce(json_agg(json_build_object(
                                        'id', s."id", 'title', s."title",
                                        'done', EXISTS (
                                          SELECT 1 FROM "StepCompletion" sc
                                           WHERE sc."stepId" = s."id" AND sc."userId" = ${userId}))
                                      ORDER BY s."position", s."id"), '[]'::json)
                                 FROM "Step" s WHERE s."moduleId" = m."id"))
                           ORDER BY m."position", m."id"), '[]'::json)
                      FROM "Module" m WHERE m."programId" = p."id")))
              ORDER BY e."createdAt", e."id"), '[]'::json)
         FROM "Enrolment" e
         JOIN "Program" p ON p."id" = e."programId"
         LEFT JOIN "Cohort" c ON c."id" = e."cohortId"
        WHERE e."userId" = ${userId}) AS "enrolments",
      (SELECT coalesce(json_agg(json_build_object(
                'id', x."id", 'text', x."text", 'dueOn', x."dueOn", 'status', x."status")
              ORDER BY x."dueOn", x."createdAt"), '[]'::json)
         FROM (SELECT "id", "text", "dueOn", "status", "createdAt" FROM "Commitment"
                WHERE "userId" = ${userId} AND "status" <> 'DONE' AND "dueOn" <= ${day}::date
                ORDER BY "dueOn", "createdAt" LIMIT ${limit}) x) AS "commitments",
      (SELECT coalesce(json_agg(json_build_object(
                'lastPassAt', ep."lastPassAt", 'passCount', ep."passCount",
                'exercise', json_build_object(
                  'id', ex."id", 'prompt', ex."prompt", 'kind', ex."kind",
                  'revisitAfterDays', ex."revisitAfterDays",
                  'step', json_build_object(
                    'id', st."id", 'title', st."title",
                    'module', json_build_object('program', json_build_object(
                      'slug', pr."slug", 'title', pr."title")))))), '[]'::json)
         FROM "ExerciseProgress" ep
         JOIN "Exercise" ex ON ex."id" = ep."exerciseId"
         JOIN "Step" st ON st."id" = ex."stepId"
         JOIN "Module" mo ON mo."id" = st."moduleId"
         JOIN "Program" pr ON pr."id" = mo."programId"
        WHERE ep."userId" = ${userId} AND ex."deletedAt" IS NULL
          AND ex."revisitAfterDays" IS NOT NULL) AS "answered",
      (SELECT coalesce(json_agg(json_build_object(
                'id', y."id", 'name', y."name", 'circle', y."circle", 'status', y."status",
                'plannedReachOutAt', y."plannedReachOutAt")
              ORDER BY y."plannedReachOutAt", y."id"), '[]'::json)
         FROM (SELECT "id", "name", "circle", "status", "plannedReachOutAt" FROM "Person"
                WHERE "userId" = ${userId} AND "plannedReachOutAt" IS NOT NULL
                  AND "plannedReachOutAt" < (${reachOutsBefore.toISOString()}::timestamptz AT TIME ZONE 'UTC')
                ORDER BY "plannedReachOutAt", "id" LIMIT ${limit}) y) AS "reachOuts",
      (SELECT json_build_object('lastActiveDay', a."lastActiveDay",
                                'streakStartDay', a."streakStartDay")
         FROM "MemberActivity" a WHERE a."userId" = ${userId}) AS "activity"`;

  return {
    enrolments: row.enrolments.map((e) => ({
      createdAt: instant(e.createdAt),
      cohort: e.cohort && { ...e.cohort, startDate: dateColumn(e.cohort.startDate) },
      program: e.program,
    })),
    commitments: row.commitments.map((c) => ({ ...c, dueOn: dateColumn(c.dueOn) })),
    answered: row.answered.map((a) => ({ ...a, lastPassAt: instant(a.lastPassAt) })),
    reachOuts: row.reachOuts.map((p) => ({
      ...p,
      plannedReachOutAt: instant(p.plannedReachOutAt),
    })),
    activity: row.activity && {
      lastActiveDay: dateColumn(row.activity.lastActiveDay),
      streakStartDay: dateColumn(row.activity.streakStartDay),
    },
  };
}
