import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  configSchemas,
  contentSchemas,
  type ExerciseKindName,
} from "@/server/programs/exercise-kinds";
import { seedDemo } from "../../prisma/seed";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

async function counts() {
  const db = app.db;
  return {
    users: await db.user.count(),
    programs: await db.program.count(),
    exercises: await db.exercise.count(),
    passes: await db.answerPass.count(),
    people: await db.person.count(),
    commitments: await db.commitment.count(),
    ticks: await db.practiceTick.count(),
  };
}

describe("demo seed", () => {
  it("creates one account per role, the published program and the demo member's journey", async () => {
    const before = Date.now();
    const first = await seedDemo(app.db);
    expect(first.created).toHaveLength(7);
    expect(first.created).toContain("demo reminders");
    const c = await counts();
    expect(c).toMatchObject({
      // The three sign-in accounts and the five other members of the demo cohort.
      users: 8,
      programs: 1,
      exercises: 7,
      people: 3,
      commitments: 1,
      ticks: 4,
    });
    expect(c.passes).toBe(8);
    const program = await app.db.program.findFirstOrThrow({ include: { author: true } });
    expect(program).toMatchObject({ status: "PUBLISHED", accessRule: "FREE" });
    expect(program.author.role).toBe("COACH");
    // Maya's history is written directly; her streak aggregate is derived from it.
    const maya = await app.db.user.findUniqueOrThrow({
      where: { email: "maya@demo.kindred.local" },
    });
    const activity = await app.db.memberActivity.findUniqueOrThrow({ where: { userId: maya.id } });
    expect(activity.activeDays).toBeGreaterThan(1);
    // Her first reflection reminder comes about 30 s after the first start, then daily.
    const reminders = await app.db.nudgeSettings.findUniqueOrThrow({ where: { userId: maya.id } });
    const due = (reminders.nextReminderAt as Date).getTime() - before;
    expect(due).toBeGreaterThanOrEqual(29_000);
    expect(due).toBeLessThan(60_000);
    // A running cohort with Maya and five others, and one that still takes members.
    const cohort = await app.db.cohort.findUniqueOrThrow({
      where: { slug: "winter-circle" },
      include: { members: true },
    });
    expect(cohort.members.filter((m) => m.status === "ACTIVE")).toHaveLength(6);
    expect(cohort.members.map((m) => m.userId)).toContain(maya.id);
    const enrolment = await app.db.enrolment.findFirstOrThrow({ where: { userId: maya.id } });
    expect(enrolment.cohortId).toBe(cohort.id);
    expect(await app.db.cohort.count({ where: { enrolmentOpen: true, finishedAt: null } })).toBe(2);
    // Its space: a pinned welcome, members' posts with comments and reactions, Maya's shared answer.
    const posts = await app.db.cohortPost.findMany({ where: { cohortId: cohort.id } });
    expect(posts.map((p) => p.kind).sort()).toEqual([
      "ANNOUNCEMENT",
      "POST",
      "POST",
      "SHARED_ANSWER",
    ]);
    expect(posts.reduce((n, p) => n + p.commentCount, 0)).toBe(await app.db.cohortComment.count());
    expect(await app.db.cohortReaction.count()).toBeGreaterThan(0);
  });

  it("is idempotent: a second run adds nothing", async () => {
    const before = await counts();
    const second = await seedDemo(app.db);
    expect(second.created).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it("asks every prompt again after some days and keeps valid configs and answers", async () => {
    const exercises = await app.db.exercise.findMany();
    const kinds = new Set(exercises.map((e) => e.kind));
    expect(kinds).toEqual(
      new Set(["REFLECTION", "LENSES", "SCALE", "PEOPLE", "COMMITMENT", "PRACTICE"]),
    );
    for (const e of exercises) {
      expect(e.revisitAfterDays).toBeGreaterThan(0);
      expect(() => configSchemas[e.kind as ExerciseKindName].parse(e.config)).not.toThrow();
    }
    const passes = await app.db.answerPass.findMany();
    for (const p of passes) {
      expect(() => contentSchemas[p.kind as ExerciseKindName].parse(p.content)).not.toThrow();
    }
    // Two passes of one prompt and a moving scale, so compare and trend have something to show.
    const scale = passes.filter((p) => p.kind === "SCALE").map((p) => p.scaleValue);
    expect(scale.sort()).toEqual([3, 6]);
    const byExercise = new Map<string, number>();
    for (const p of passes) byExercise.set(p.exerciseId, (byExercise.get(p.exerciseId) ?? 0) + 1);
    expect([...byExercise.values()].filter((n) => n === 2)).toHaveLength(2);
  });
});
