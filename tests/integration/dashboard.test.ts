import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDay, startOfLocalDay, zonedInstant } from "@/lib/time-zone";
import { recordPass } from "@/server/activity/progress";
import { rebuildAggregates } from "@/server/activity/service";
import type { Session } from "@/server/auth/session";
import { todayRows } from "@/server/dashboard/reads";
import { TODAY_LIMIT, today } from "@/server/dashboard/service";
import { todayPrismaReads } from "../../scripts/bench/prisma-reads";
import { createTestApp, type TestApp } from "../helpers/app";
import { countingDb } from "../helpers/statements";

let app: TestApp;
let coach: Session["user"];

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
});
afterAll(() => app?.close());

/** A published program: 2 modules x 2 steps, each step one exercise (revisit after 7 days). */
async function program(slug: string) {
  const p = await app.db.program.create({
    data: {
      slug,
      title: `Program ${slug}`,
      status: "PUBLISHED",
      authorId: coach.id,
      modules: {
        create: [1, 0].map((position) => ({
          title: `Module ${position}`,
          position,
          steps: {
            create: [1, 0].map((stepPos) => ({
              title: `Step ${position}.${stepPos}`,
              position: stepPos,
              exercises: {
                create: {
                  kind: "REFLECTION" as const,
                  prompt: `Prompt ${position}.${stepPos}`,
                  position: 0,
                  revisitAfterDays: 7,
                  config: { probes: [] },
                },
              },
            })),
          },
        })),
      },
    },
    include: {
      modules: {
        orderBy: { position: "asc" },
        include: { steps: { orderBy: { position: "asc" }, include: { exercises: true } } },
      },
    },
  });
  const steps = p.modules.flatMap((m) => m.steps);
  return { id: p.id, slug, steps, exercises: steps.map((s) => s.exercises[0]!) };
}

/** A pass written as history, with the per-prompt aggregate the app keeps with every pass. */
async function pass(userId: string, programId: string, exerciseId: string, createdAt: Date, n = 1) {
  const row = await app.db.answerPass.create({
    data: {
      userId,
      exerciseId,
      programId,
      passNumber: n,
      kind: "REFLECTION",
      content: { text: "private", probes: [] },
      promptSnapshot: { prompt: "p" },
      createdAt,
    },
  });
  await recordPass(app.db, row);
}

describe("dashboard today", () => {
  it("shows next step, due commitments, revisits, reach-outs and streak — mine only", async () => {
    const tz = "Europe/Berlin";
    const user = await app.createUser("MEMBER");
    const owner = { ...user, timeZone: tz };
    const now = zonedInstant("2026-06-20", tz, 10);
    const p = await program("today-a");
    const done = await program("today-done");
    await app.db.enrolment.createMany({
      data: [
        { userId: user.id, programId: p.id, createdAt: new Date("2026-06-01T00:00:00Z") },
        { userId: user.id, programId: done.id, createdAt: new Date("2026-06-02T00:00:00Z") },
      ],
    });
    await app.db.stepCompletion.createMany({
      data: [
        { userId: user.id, stepId: p.steps[0]!.id },
        ...done.steps.map((s) => ({ userId: user.id, stepId: s.id })),
      ],
    });
    // Revisit due (8 days ago), not yet due (2 days ago), due but soft-deleted.
    await pass(user.id, p.id, p.exercises[0]!.id, new Date(now.getTime() - 8 * 86_400_000));
    await pass(user.id, p.id, p.exercises[1]!.id, new Date(now.getTime() - 9 * 86_400_000));
    await pass(user.id, p.id, p.exercises[1]!.id, new Date(now.getTime() - 2 * 86_400_000), 2);
    await pass(user.id, done.id, done.exercises[0]!.id, new Date(now.getTime() - 30 * 86_400_000));
    await app.db.exercise.update({
      where: { id: done.exercises[0]!.id },
      data: { deletedAt: now },
    });

    const dueOn = (d: string) => new Date(`${d}T00:00:00Z`);
    await app.db.commitment.createMany({
      data: [
        { userId: user.id, text: "overdue", dueOn: dueOn("2026-06-18") },
        { userId: user.id, text: "today", dueOn: dueOn("2026-06-20") },
        { userId: user.id, text: "later", dueOn: dueOn("2026-06-21") },
        { userId: user.id, text: "done", dueOn: dueOn("2026-06-19"), status: "DONE" },
      ],
    });
    await app.db.person.createMany({
      data: [
        {
          userId: user.id,
          name: "Late",
          circle: "F",
          plannedReachOutAt: zonedInstant("2026-06-15", tz, 12),
        },
        {
          userId: user.id,
          name: "Soon",
          circle: "F",
          plannedReachOutAt: zonedInstant("2026-06-27", tz, 23),
        },
        {
          userId: user.id,
          name: "Far",
          circle: "F",
          plannedReachOutAt: zonedInstant("2026-06-28", tz, 0),
        },
        { userId: user.id, name: "None", circle: "F" },
      ],
    });
    // Someone else's rows never appear.
    const stranger = await app.createUser("MEMBER");
    await app.db.enrolment.create({ data: { userId: stranger.id, programId: p.id } });
    await app.db.commitment.create({
      data: { userId: stranger.id, text: "theirs", dueOn: dueOn("2026-06-01") },
    });
    await app.db.person.create({
      data: { userId: stranger.id, name: "Theirs", circle: "F", plannedReachOutAt: now },
    });
    await pass(stranger.id, p.id, p.exercises[2]!.id, new Date(now.getTime() - 20 * 86_400_000));

    const t = await today(app.db, owner, now);
    expect(t.today).toBe("2026-06-20");
    expect(t.nextSteps).toEqual([
      {
        programSlug: "today-a",
        programTitle: "Program today-a",
        stepsTotal: 4,
        stepsDone: 1,
        next: { stepId: p.steps[1]!.id, title: "Step 0.1", moduleTitle: "Module 0" },
        cohort: null,
        waiting: null,
      },
      {
        programSlug: "today-done",
        programTitle: "Program today-done",
        stepsTotal: 4,
        stepsDone: 4,
        next: null,
        cohort: null,
        waiting: null,
      },
    ]);
    expect(t.commitments.map((c) => [c.text, c.timing])).toEqual([
      ["overdue", "overdue"],
      ["today", "due"],
    ]);
    expect(t.revisits.map((r) => [r.exerciseId, r.programSlug, r.stepId])).toEqual([
      [p.exercises[0]!.id, "today-a", p.steps[0]!.id],
    ]);
    expect(t.reachOuts.map((r) => [r.name, r.overdue])).toEqual([
      ["Late", true],
      ["Soon", false],
    ]);
    // Passes 2 and 8 and 9 days ago: no streak (nothing today or yesterday).
    expect(t.streak).toEqual({ days: 0, activeToday: false });
  });

  it("counts the streak on the member's local days from every kind of activity", async () => {
    const tz = "Pacific/Auckland";
    const user = await app.createUser("MEMBER");
    await app.db.user.update({ where: { id: user.id }, data: { timeZone: tz } });
    const owner = { ...user, timeZone: tz };
    const p = await program("streak");
    const at = (day: string, hour: number) => zonedInstant(day, tz, hour);
    await pass(user.id, p.id, p.exercises[0]!.id, at("2026-06-16", 8)); // gap on the 17th
    await pass(user.id, p.id, p.exercises[0]!.id, at("2026-06-18", 0), 2);
    const practice = await app.db.exercise.create({
      data: { stepId: p.steps[0]!.id, kind: "PRACTICE", prompt: "P", position: 1, config: {} },
    });
    await app.db.practiceTick.create({
      data: {
        userId: user.id,
        exerciseId: practice.id,
        practiceKey: "x",
        createdAt: at("2026-06-19", 23),
      },
    });
    const person = await app.db.person.create({
      data: { userId: user.id, name: "A", circle: "F" },
    });
    await app.db.reachOut.create({
      data: { userId: user.id, personId: person.id, at: at("2026-06-20", 12) },
    });
    const c = await app.db.commitment.create({
      data: { userId: user.id, text: "c", dueOn: new Date("2026-06-21T00:00:00Z") },
    });
    await app.db.commitmentCheckIn.create({
      data: { commitmentId: c.id, outcome: "NOT_YET", createdAt: at("2026-06-21", 7) },
    });

    // History written directly (as an import or the seed would): the migration's rebuild
    // derives the aggregate from it, counting days in the member's zone.
    await rebuildAggregates(app.db);
    expect((await today(app.db, owner, at("2026-06-21", 20))).streak).toEqual({
      days: 4,
      activeToday: true,
    });
    // Next day, nothing yet: the streak still stands until the day is over.
    expect((await today(app.db, owner, at("2026-06-22", 20))).streak).toEqual({
      days: 4,
      activeToday: false,
    });
    expect((await today(app.db, owner, at("2026-06-23", 0))).streak.days).toBe(0);
    // Counted in UTC (12 hours behind) the same instants fall on the 15th, 17th, 19th and 20th,
    // and "now" is the 21st there: only the 19th..20th run counts.
    await app.db.user.update({ where: { id: user.id }, data: { timeZone: "UTC" } });
    await rebuildAggregates(app.db);
    expect(
      (await today(app.db, { ...owner, timeZone: "UTC" }, at("2026-06-21", 20))).streak,
    ).toEqual({ days: 2, activeToday: false });
  });

  it("handles half-hour zones and legacy zone names the database may not know", async () => {
    const user = await app.createUser("MEMBER");
    const p = await program("calcutta");
    // 18:40 UTC is 00:10 the next day in India (UTC+5:30); 18:20 UTC is 23:50 the same day.
    await pass(user.id, p.id, p.exercises[0]!.id, new Date("2026-06-09T18:20:00Z"));
    await pass(user.id, p.id, p.exercises[0]!.id, new Date("2026-06-10T18:40:00Z"), 2);
    const now = new Date("2026-06-11T10:00:00Z");
    for (const timeZone of ["Asia/Calcutta", "Asia/Kolkata"]) {
      await app.db.user.update({ where: { id: user.id }, data: { timeZone } });
      await rebuildAggregates(app.db);
      const t = await today(app.db, { ...user, timeZone }, now);
      // Active on the 9th and the 11th (not the 10th): the streak is today's alone.
      expect(t.streak, timeZone).toEqual({ days: 1, activeToday: true });
    }
  });

  it("due and overdue follow the member's day around midnight UTC", async () => {
    const now = new Date("2026-06-10T23:30:00Z"); // Auckland 11 June, Los Angeles 10 June
    const results: Record<string, string[][]> = {};
    for (const tz of ["Pacific/Auckland", "America/Los_Angeles"]) {
      const user = await app.createUser("MEMBER");
      for (const d of ["2026-06-10", "2026-06-11"]) {
        await app.db.commitment.create({
          data: { userId: user.id, text: d, dueOn: new Date(`${d}T00:00:00Z`) },
        });
      }
      results[tz] = (await today(app.db, { ...user, timeZone: tz }, now)).commitments.map((c) => [
        c.text,
        c.timing,
      ]);
    }
    expect(results["Pacific/Auckland"]).toEqual([
      ["2026-06-10", "overdue"],
      ["2026-06-11", "due"],
    ]);
    expect(results["America/Los_Angeles"]).toEqual([["2026-06-10", "due"]]);
  });

  it("sends the same number of SQL statements for 5 and for 60 rows of each kind", async () => {
    async function seed(n: number) {
      const user = await app.createUser("MEMBER");
      const programs = [];
      for (let i = 0; i < Math.ceil(n / 4); i++) {
        const p = await program(`q-${n}-${i}`);
        programs.push(p);
        await app.db.enrolment.create({ data: { userId: user.id, programId: p.id } });
        await app.db.stepCompletion.create({ data: { userId: user.id, stepId: p.steps[0]!.id } });
      }
      const exercises = programs.flatMap((p) => p.exercises.map((e) => ({ e, p })));
      const past = new Date(Date.now() - 30 * 86_400_000);
      await app.db.answerPass.createMany({
        data: Array.from({ length: n }, (_, i) => {
          const { e, p } = exercises[i % exercises.length]!;
          return {
            userId: user.id,
            exerciseId: e.id,
            programId: p.id,
            passNumber: Math.floor(i / exercises.length) + 1,
            kind: "REFLECTION" as const,
            content: {},
            promptSnapshot: {},
            createdAt: new Date(past.getTime() + i * 3_600_000),
          };
        }),
      });
      await rebuildAggregates(app.db);
      await app.db.commitment.createMany({
        data: Array.from({ length: n }, (_, i) => ({
          userId: user.id,
          text: `c${i}`,
          dueOn: new Date(Date.now() - i * 86_400_000),
        })),
      });
      await app.db.person.createMany({
        data: Array.from({ length: n }, (_, i) => ({
          userId: user.id,
          name: `p${i}`,
          circle: "F",
          plannedReachOutAt: new Date(Date.now() - i * 3_600_000),
        })),
      });
      return user;
    }

    const counting = countingDb(app.database.url);
    async function countStatements(user: Session["user"]) {
      counting.reset();
      const result = await today(counting.db, { ...user, timeZone: "UTC" });
      return { count: counting.statements().length, result };
    }

    const small = await countStatements(await seed(5));
    const large = await countStatements(await seed(60));
    await counting.close();
    expect(small.result.revisits.length).toBeGreaterThan(0);
    expect(large.result.nextSteps).toHaveLength(15);
    // Today shows a few of each, and says there are more.
    expect(large.result.revisits).toHaveLength(5);
    expect(large.result.commitments).toHaveLength(5);
    expect(large.result.more).toEqual({ commitments: true, revisits: true, reachOuts: true });
    expect(small.result.more).toEqual({ commitments: false, revisits: false, reachOuts: false });
    // SQL statements at the driver: one, whatever the history (docs/performance.md).
    expect(small.count).toBe(1);
    expect(large.count).toBe(small.count);
  });

  it("reads in one statement exactly what the five Prisma reads it replaced read", async () => {
    // Every member the tests above made: cohorts, paced programs, done and open steps, due and
    // done commitments, revisits, reach-outs, streaks, and members with nothing at all.
    const users = await app.db.user.findMany({ select: { id: true, timeZone: true } });
    expect(users.length).toBeGreaterThan(5);
    const now = new Date();
    for (const user of users) {
      const day = localDay(now, user.timeZone);
      const before = startOfLocalDay(addDays(day, 8), user.timeZone);
      const expected = await todayPrismaReads(app.db, user.id, day, before, TODAY_LIMIT + 1);
      const rows = await todayRows(app.db, user.id, day, before, TODAY_LIMIT + 1);
      expect({ ...rows, answered: sortById(rows.answered) }).toEqual(expected);
    }
  });
});

function sortById<T extends { exercise: { id: string } }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => a.exercise.id.localeCompare(b.exercise.id));
}
