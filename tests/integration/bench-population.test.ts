import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { migrate } from "@/server/db/migrate";
import { DEMO_ACCOUNTS } from "@/server/demo";
import { contentSchemas, type ExerciseKindName } from "@/server/programs/exercise-kinds";
import { DEMO_COHORT_MEMBERS } from "../../prisma/seed";
import {
  dropBenchDatabase,
  NotABenchDatabaseError,
  recreateBenchDatabase,
} from "../../scripts/bench/database";
import { type Population, seedPopulation } from "../../scripts/bench/population";
import { sealPopulation, settleBenchDatabase } from "../../scripts/bench/prepare";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * The benchmarks' population must be data the application itself would have written: valid
 * content for each kind, consistent pass numbers, completions and enrolment state, so that the
 * pages the benchmarks measure render real histories rather than errors or empty states.
 */
let app: TestApp;
let population: Population;
const MEMBERS = 6;
const ANSWERS = 50;
// The demo cohort's other members: enrolled, some steps done, no answers.
const COHORT = DEMO_COHORT_MEMBERS.length;
const COHORT_STEPS = DEMO_COHORT_MEMBERS.reduce((sum, m) => sum + m.done, 0);

beforeAll(async () => {
  app = await createTestApp();
  population = await seedPopulation(app.database.url, { members: MEMBERS, answers: ANSWERS });
}, 120_000);
afterAll(() => app?.close());

async function sessionUser(id: string): Promise<Session["user"]> {
  return app.db.user.findUniqueOrThrow({
    where: { id },
    select: { id: true, email: true, name: true, role: true, timeZone: true },
  });
}

describe("bench population", () => {
  it("gives every generated member and the demo member the full history", async () => {
    const c = population.counts;
    // 3 demo accounts, the demo cohort + N members; Maya keeps her 8 demo answers and gets 50 more.
    expect(c.users).toBe(3 + COHORT + MEMBERS);
    expect(c.passes).toBe(MEMBERS * ANSWERS + ANSWERS + 8);
    expect(c.enrolments).toBe(MEMBERS + 1 + COHORT);
    expect(c.people).toBe((MEMBERS + 1) * 12 + 3);
    expect(c.reachOuts).toBe((MEMBERS + 1) * 12 * 3);
    expect(c.practiceTicks).toBe((MEMBERS + 1) * 60 + 4);
    expect(c.commitments).toBeGreaterThan(MEMBERS * 6);
    expect(c.checkIns).toBeGreaterThan(0);
    expect(c.shares).toBeGreaterThan(0);
    expect(c.stepCompletions).toBe(MEMBERS * 7 + 6 + COHORT_STEPS);
  });

  it("writes no history after its own now, as the app refuses future dates", async () => {
    // A reach-out dated in the future made the whole population "active" weeks ahead: nobody
    // was ever quiet, so the roster's drift and Today's streaks measured an impossible state.
    const now = new Date();
    const rows = await app.db.$queryRawUnsafe<{ what: string; latest: Date | null }[]>(
      `SELECT 'answer' AS what, max("createdAt") AS latest FROM "AnswerPass"
       UNION ALL SELECT 'reach-out', max("at") FROM "ReachOut"
       UNION ALL SELECT 'tick', max("createdAt") FROM "PracticeTick"
       UNION ALL SELECT 'check-in', max("createdAt") FROM "CommitmentCheckIn"
       UNION ALL SELECT 'step', max("completedAt") FROM "StepCompletion"
       UNION ALL SELECT 'activity', max("lastActiveAt") FROM "MemberActivity"`,
    );
    for (const row of rows) {
      expect(row.latest, row.what).not.toBeNull();
      expect(row.latest!.getTime(), row.what).toBeLessThanOrEqual(now.getTime());
    }
  });

  it("writes answers the app's own content schemas accept, numbered in time order", async () => {
    const passes = await app.db.answerPass.findMany({
      select: {
        userId: true,
        exerciseId: true,
        passNumber: true,
        kind: true,
        content: true,
        createdAt: true,
      },
      orderBy: [{ userId: "asc" }, { exerciseId: "asc" }, { passNumber: "asc" }],
    });
    for (const p of passes) {
      const parsed = contentSchemas[p.kind as ExerciseKindName].safeParse(p.content);
      expect(parsed.success, `${p.kind} ${JSON.stringify(p.content)}`).toBe(true);
    }
    for (let i = 1; i < passes.length; i++) {
      const [a, b] = [passes[i - 1]!, passes[i]!];
      if (a.userId !== b.userId || a.exerciseId !== b.exerciseId) {
        expect(b.passNumber).toBe(1);
        continue;
      }
      expect(b.passNumber).toBe(a.passNumber + 1);
      expect(b.createdAt.getTime()).toBeGreaterThan(a.createdAt.getTime());
    }
  });

  it("keeps the demo member where the demo leaves her, with three years behind her", async () => {
    const maya = await sessionUser(population.memberId);
    expect(maya.email).toBe(DEMO_ACCOUNTS.find((a) => a.role === "MEMBER")!.email);
    const caller = app.caller(maya);
    const today = await caller.dashboard.today();
    expect(today.nextSteps).toHaveLength(1);
    expect(today.nextSteps[0]!.stepsDone).toBe(6);
    expect(today.nextSteps[0]!.next?.title).toBe("Practices for consistency");

    const list = await caller.journal.list({});
    expect(list.items.length).toBeGreaterThanOrEqual(6);
    const first = await app.db.answerPass.findFirstOrThrow({
      where: { userId: maya.id },
      orderBy: { createdAt: "asc" },
    });
    expect(Date.now() - first.createdAt.getTime()).toBeGreaterThan(1000 * 86_400_000);
    const timeline = await caller.journal.timeline({ exerciseId: first.exerciseId });
    expect(timeline.passes.length).toBeGreaterThanOrEqual(8);
    const step = await app.db.exercise.findUniqueOrThrow({ where: { id: first.exerciseId } });
    const player = await caller.player.step({ stepId: step.stepId });
    expect(player.step.id).toBe(step.stepId);
  });

  it("gives the benchmarks a big cohort: every member and Maya seated, 5,000 posts", async () => {
    const maya = await sessionUser(population.memberId);
    const feed = await app.caller(maya).cohorts.feed({ cohortId: population.cohortId });
    expect(feed.posts).toHaveLength(10);
    expect(feed.next).not.toBeNull();
    expect(feed.posts[0]!.comments).toHaveLength(2);
    expect(await app.db.cohortPost.count({ where: { cohortId: population.cohortId } })).toBe(5000);
    const roster = await app
      .caller(await sessionUser(population.coachId))
      .cohorts.roster({ cohortId: population.cohortId });
    expect(roster.counts.all).toBe(MEMBERS + 1);
    // Maya's enrolment follows the big cohort now, not the demo one.
    const enrolment = await app.db.enrolment.findFirstOrThrow({
      where: { userId: population.memberId, programId: population.programId },
    });
    expect(enrolment.cohortId).toBe(population.cohortId);
  });

  it("lets the coach see the whole program's progress and the shared answers", async () => {
    const coach = await sessionUser(population.coachId);
    const caller = app.caller(coach);
    const progress = await caller.coaching.progress({ programId: population.programId });
    expect(progress.members).toHaveLength(MEMBERS + 1 + COHORT);
    expect(progress).toMatchObject({ page: 0, total: MEMBERS + 1 + COHORT, hasMore: false });
    const shared = await caller.coaching.sharedAnswers({ programId: population.programId });
    // Members 4 (every fourth) shared three answers and revoked one.
    expect(shared.total).toBe(Math.floor(MEMBERS / 4) * 2);
    expect(shared.items).toHaveLength(shared.total);
  });
});

describe("bench database guard on the test server", () => {
  it("creates and drops only kindred_bench databases", async () => {
    // The server this file's database lives on (real PostgreSQL in CI, embedded PGlite else).
    const maintenance = new URL(app.database.url);
    maintenance.pathname = "/postgres";
    const server = maintenance.toString();
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    const exists = async (name: string) =>
      (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
    // Someone else's database: the guard must leave it alone.
    const other = `kindred_t_${randomBytes(5).toString("hex")}`;
    const bench = `kindred_bench_test_${randomBytes(5).toString("hex")}`;
    await admin.query(`CREATE DATABASE ${other}`);
    try {
      await expect(recreateBenchDatabase(server, other)).rejects.toThrow(NotABenchDatabaseError);
      await expect(dropBenchDatabase(server, other)).rejects.toThrow(NotABenchDatabaseError);
      await expect(dropBenchDatabase(server, "postgres")).rejects.toThrow(NotABenchDatabaseError);
      expect(await exists(other)).toBe(true);

      await recreateBenchDatabase(server, bench);
      expect(await exists(bench)).toBe(true);
      await dropBenchDatabase(server, bench);
      expect(await exists(bench)).toBe(false);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${other}`);
      await admin.query(`DROP DATABASE IF EXISTS ${bench}`);
      await admin.end();
    }
  });
});

describe("settling a bench database", () => {
  it("leaves each sealed row written once, as a live database holds it", async () => {
    const maintenance = new URL(app.database.url);
    maintenance.pathname = "/postgres";
    const server = maintenance.toString();
    const name = `kindred_bench_test_${randomBytes(5).toString("hex")}`;
    const url = await recreateBenchDatabase(server, name);
    const client = new pg.Client({ connectionString: url });
    try {
      await migrate({ connectionString: url });
      await seedPopulation(url, { members: 20, answers: 50 });
      await sealPopulation(url);
      await client.connect();
      // The heap's size against a copy of its live rows, written once (same fill, same TOAST).
      const bloat = async () => {
        await client.query(`DROP TABLE IF EXISTS answer_copy`);
        await client.query(`CREATE TABLE answer_copy AS SELECT * FROM "AnswerPass"`);
        const { rows } = await client.query<{ table: string; copy: string }>(
          `SELECT pg_table_size('"AnswerPass"') AS "table", pg_table_size('answer_copy') AS "copy"`,
        );
        return Number(rows[0]!.table) / Number(rows[0]!.copy);
      };
      // Sealing rewrote every answer: the clear versions are still there, dead.
      expect(await bloat()).toBeGreaterThan(1.3);
      await settleBenchDatabase(url);
      expect(await bloat()).toBeLessThan(1.1);
    } finally {
      await client.end().catch(() => {});
      await dropBenchDatabase(server, name);
    }
  }, 120_000);
});
