import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { cohortRoster, rosterFacts } from "@/server/cohorts/reads";
import { completeStep } from "@/server/player/completion";
import { enrol } from "@/server/player/enrol";
import { submitAnswer } from "@/server/player/submit";
import { deleteStep, moveStep } from "@/server/programs/outline";
import { cohortRosterScan, rosterFactsScan } from "../../scripts/bench/roster-oracle";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * The roster reads the counts kept on write (ProgramProgress) and pages in SQL; the scan it
 * replaced (scripts/bench/roster-oracle.ts) is the oracle: on one varied cohort, every sort,
 * filter and page, and the export's rows, must come out the same, at several instants.
 */
let app: TestApp;
let coach: Session["user"];
let program: Awaited<ReturnType<typeof seedProgram>>;
let other: Awaited<ReturnType<typeof seedProgram>>;
let cohort: { id: string; programId: string; timeZone: string };

const DAY = 86_400_000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY);
const dateColumn = (d: Date) => new Date(`${d.toISOString().slice(0, 10)}T00:00:00Z`);

// Names that sort differently by code point and by collation, ties, and no name at all.
const NAMES = [
  "ana",
  "Ana",
  "Ána",
  "Zoë",
  "zoe",
  "Émile",
  "Bob",
  "bob",
  "Ana",
  null,
  null,
  "Ößwald",
];

/** A deterministic spread of histories: i picks when, how much and whether at all. */
async function seedCohort() {
  const c = await app.caller(coach).cohorts.create({
    programId: program.program.id,
    name: "Roster oracle",
    startDate: new Date(NOW + 2 * DAY).toISOString().slice(0, 10),
    timeZone: "Pacific/Auckland",
    capacity: 1000,
  });
  // Started two months ago (a cohort is created to start today or later).
  await app.db.cohort.update({ where: { id: c.id }, data: { startDate: dateColumn(ago(60)) } });
  const steps = [program.steps.a, program.steps.b, program.steps.c];
  const exercises = Object.values(program.ex);
  for (let i = 0; i < 75; i++) {
    const name = NAMES[i % NAMES.length];
    const user = await app.createUser("MEMBER", { name: name ?? undefined });
    if (name === null) await app.db.user.update({ where: { id: user.id }, data: { name: null } });
    const waitlisted = i % 9 === 4;
    const joined = ago(3 + ((i * 7) % 50));
    await app.db.cohortMember.create({
      data: {
        cohortId: c.id,
        userId: user.id,
        status: waitlisted ? "WAITLISTED" : "ACTIVE",
        queuePosition: waitlisted ? 1000 - i : i + 1,
        joinedAt: i % 11 === 0 ? null : joined,
        createdAt: ago(4 + ((i * 5) % 55)),
      },
    });
    // Completions at spread-out times (some in the last two weeks, some long before), waitlisted
    // members included (the roster shows theirs as none), and one in another program.
    for (let s = 0; s < steps.length; s++) {
      if ((i + s) % 4 === 3) continue;
      await app.db.stepCompletion.create({
        data: {
          userId: user.id,
          stepId: steps[s]!,
          completedAt: ago(((i * 3 + s * 13) % 40) + 0.3),
        },
      });
    }
    if (i % 5 === 0) {
      await app.db.stepCompletion.create({
        data: { userId: user.id, stepId: other.steps.a, completedAt: ago(1) },
      });
    }
    // Answers: none, a few, or many, old and recent; some in the other program.
    // A few have more than the 32 latest actions kept: all in the window, or the window's within.
    const many = i % 25 === 9 || i % 25 === 19;
    const count = many ? 45 : i % 6 === 1 ? 0 : (i * 13) % 23;
    if (count > 0) {
      await app.db.answerPass.createMany({
        data: Array.from({ length: count }, (_, k) => {
          const exerciseId = exercises[k % exercises.length]!;
          return {
            userId: user.id,
            exerciseId,
            programId: program.program.id,
            passNumber: Math.floor(k / exercises.length) + 1,
            kind: "REFLECTION" as const,
            content: {},
            promptSnapshot: {},
            // Every tenth member keeps a steady rhythm: not drifting.
            createdAt: ago(
              i % 25 === 9
                ? (k % 10) + 0.2
                : i % 10 === 7
                  ? (k % 20) + 0.1
                  : ((i + k * 5) % 45) + 0.1,
            ),
          };
        }),
      });
    }
    if (i % 7 === 2) {
      await app.db.answerPass.create({
        data: {
          userId: user.id,
          exerciseId: other.ex.SCALE,
          programId: other.program.id,
          passNumber: 1,
          kind: "SCALE",
          content: {},
          promptSnapshot: {},
          createdAt: ago(2),
        },
      });
    }
    // The activity aggregate: never, long ago, lately, or later than the last step.
    if (i % 8 !== 5) {
      const at = ago((i * 11) % 30);
      await app.db.memberActivity.create({
        data: {
          userId: user.id,
          firstActiveDay: dateColumn(ago(50)),
          lastActiveDay: dateColumn(at),
          streakStartDay: dateColumn(at),
          lastActiveAt: at,
        },
      });
    }
  }
  // The answers' per-prompt aggregate, as seeds and benchmarks that write history directly do.
  await app.db.$executeRaw`SELECT kindred_rebuild_aggregates()`;
  return c;
}

type Progress = {
  userId: string;
  programId: string;
  s: number;
  a: number;
  at: Date | null;
  l: string;
};

/** ProgramProgress as a scan of the history would have it (no row and zeros are the same). */
async function progressFromHistory() {
  const [kept, scanned] = await Promise.all([
    app.db.$queryRaw<Progress[]>`
      SELECT "userId", "programId", "stepsDone" AS s, "answers" AS a, "lastStepAt" AS at,
             to_json(coalesce("latestActions", '{}'))::text AS l
        FROM "ProgramProgress" WHERE "stepsDone" > 0 OR "answers" > 0 OR "latestActions" <> '{}'
       ORDER BY 1, 2`,
    app.db.$queryRaw<Progress[]>`
      WITH actions AS (
        SELECT sc."userId", m."programId", sc."completedAt" AS t
          FROM "StepCompletion" sc JOIN "Step" st ON st."id" = sc."stepId"
          JOIN "Module" m ON m."id" = st."moduleId"
        UNION ALL
        SELECT "userId", "programId", "createdAt" FROM "AnswerPass"
      ), latest AS (
        SELECT "userId", "programId", array_agg(t ORDER BY t DESC) AS l
          FROM (SELECT *, row_number() OVER (PARTITION BY "userId", "programId" ORDER BY t DESC) AS n
                  FROM actions) x
         WHERE n <= 32 GROUP BY 1, 2
      )
      SELECT t."userId", t."programId", sum(s)::int AS s, sum(a)::int AS a, max(at) AS at,
             to_json(coalesce(max(latest.l), '{}'))::text AS l
        FROM (SELECT sc."userId", m."programId", count(*) AS s, 0 AS a, max(sc."completedAt") AS at
                FROM "StepCompletion" sc JOIN "Step" st ON st."id" = sc."stepId"
                JOIN "Module" m ON m."id" = st."moduleId" GROUP BY 1, 2
              UNION ALL
              SELECT "userId", "programId", 0, sum("passCount"), NULL
                FROM "ExerciseProgress" GROUP BY 1, 2
              UNION ALL
              SELECT DISTINCT "userId", "programId", 0, 0, NULL::timestamp(3) FROM "AnswerPass") t
        LEFT JOIN latest ON latest."userId" = t."userId" AND latest."programId" = t."programId"
       GROUP BY 1, 2 HAVING sum(s) > 0 OR sum(a) > 0 OR max(latest.l) IS NOT NULL ORDER BY 1, 2`,
  ]);
  return { kept, scanned };
}

const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

async function expectSameAsScan(at: Date) {
  const facts = await rosterFacts(app.db, cohort, at);
  expect(plain(facts)).toEqual(plain(await rosterFactsScan(app.db, cohort, at)));
  for (const sort of ["joined", "name", "lastActive", "progress"] as const) {
    for (const filter of ["all", "drifting", "waitlisted"] as const) {
      for (const page of [0, 1, 2]) {
        const input = { cohortId: cohort.id, page, sort, filter };
        const paged = await cohortRoster(app.db, coach, input, { now: at });
        expect(plain(paged), `${sort} ${filter} ${page}`).toEqual(
          plain(await cohortRosterScan(app.db, coach, input, at)),
        );
      }
    }
  }
  return facts;
}

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
  program = await seedProgram(app.db, coach.id, { pacing: "COHORT_PACED", lockDays: 7 });
  other = await seedProgram(app.db, coach.id);
  const c = await seedCohort();
  cohort = { id: c.id, programId: program.program.id, timeZone: "Pacific/Auckland" };
}, 120_000);
afterAll(() => app?.close());

describe("the roster from counts kept on write", () => {
  it("keeps ProgramProgress equal to the history it counts, through SQL writes and rebuilds", async () => {
    const { kept, scanned } = await progressFromHistory();
    expect(kept.length).toBeGreaterThan(60);
    expect(kept).toEqual(scanned);
  });

  it("reads what the scan read, for every sort, filter and page, now and later", async () => {
    const facts = await expectSameAsScan(new Date(NOW));
    // The population is varied enough for the comparison to mean something.
    const drift = facts.members.map((m) => (m.drift ? m.drift.reason : "waitlisted"));
    expect(new Set(drift)).toEqual(new Set(["quiet", "slower", null, "waitlisted"]));
    expect(facts.members.length).toBeGreaterThan(2 * 50 - 30);
    await expectSameAsScan(new Date(NOW + 3 * DAY));
    await expectSameAsScan(new Date(NOW + 20 * DAY));
  }, 120_000);

  it("stays the same through the player, a step moved and deleted, and an account deleted", async () => {
    const members = await app.db.cohortMember.findMany({
      where: { cohortId: cohort.id, status: "ACTIVE" },
      orderBy: { queuePosition: "asc" },
      take: 3,
      select: {
        user: { select: { id: true, email: true, name: true, role: true, timeZone: true } },
      },
    });
    const [a, b, gone] = members.map((m) => m.user);
    // Answers and a completed reading step through the player.
    for (const m of [a!, b!]) {
      await enrol(app.db, m, program.program.id).catch(() => undefined);
      await submitAnswer(app.db, m, {
        exerciseId: program.ex.REFLECTION,
        content: ANSWERS.REFLECTION,
      });
      await completeStep(app.db, m, program.steps.b).catch(() => undefined);
    }
    // The reading step moves to module 2, then a new step with completions is deleted.
    await moveStep(app.db, coach, program.steps.b, program.modules[1]!.id);
    const doomed = await app.db.step.create({
      data: { moduleId: program.modules[0]!.id, title: "Soon gone", position: 9 },
    });
    await app.db.stepCompletion.createMany({
      data: [a!, b!, gone!].map((m) => ({
        userId: m.id,
        stepId: doomed.id,
        completedAt: ago(0.5),
      })),
    });
    let { kept, scanned } = await progressFromHistory();
    expect(kept).toEqual(scanned);
    await deleteStep(app.db, coach, doomed.id);
    await app.db.user.delete({ where: { id: gone!.id } });
    ({ kept, scanned } = await progressFromHistory());
    expect(kept).toEqual(scanned);
    expect(await app.db.programProgress.count({ where: { userId: gone!.id } })).toBe(0);
    await expectSameAsScan(new Date());
  }, 120_000);
});
