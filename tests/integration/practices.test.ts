import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zonedInstant } from "@/lib/time-zone";
import { rebuildAggregates } from "@/server/activity/service";
import type { Session } from "@/server/auth/session";
import { practiceRows } from "@/server/practices/reads";
import { listPractices, untickPractice } from "@/server/practices/service";
import { practicePrismaReads } from "../../scripts/bench/prisma-reads";
import { createTestApp, type TestApp } from "../helpers/app";
import { countingDb } from "../helpers/statements";

let app: TestApp;
let coach: Session["user"];
let member: Session["user"];
let other: Session["user"];
let exerciseId: string;
let programId: string;

const PRACTICES = [
  { key: "be-open", label: "Be open" },
  { key: "first-move", label: "Make the first move" },
];

async function program(authorId: string, accessRule: "FREE" | "PLANS" = "FREE") {
  const p = await app.db.program.create({
    data: {
      slug: `p-${Math.random().toString(36).slice(2)}`,
      title: "Community",
      status: "PUBLISHED",
      accessRule,
      authorId,
      modules: {
        create: {
          title: "M1",
          position: 0,
          steps: {
            create: {
              title: "Practise",
              position: 0,
              exercises: {
                create: [
                  {
                    kind: "PRACTICE",
                    prompt: "Practices",
                    position: 0,
                    config: { practices: PRACTICES },
                  },
                  { kind: "REFLECTION", prompt: "Why?", position: 1, config: { probes: [] } },
                ],
              },
            },
          },
        },
      },
    },
    include: { modules: { include: { steps: { include: { exercises: true } } } } },
  });
  const exercises = p.modules[0]!.steps[0]!.exercises;
  return {
    id: p.id,
    practice: exercises.find((e) => e.kind === "PRACTICE")!.id,
    reflection: exercises.find((e) => e.kind === "REFLECTION")!.id,
  };
}

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
  member = await app.createUser("MEMBER");
  other = await app.createUser("MEMBER");
  const p = await program(coach.id);
  exerciseId = p.practice;
  programId = p.id;
  await app.db.enrolment.create({ data: { userId: member.id, programId } });
});
afterAll(() => app?.close());

async function codeOf(call: () => Promise<unknown>) {
  try {
    await call();
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("practices", () => {
  it("lists the practices of my programs with counts and a 14-day strip", async () => {
    const api = app.caller(member);
    const empty = await api.practices.list();
    expect(empty.exercises).toHaveLength(1);
    expect(empty.exercises[0]!.practices.map((p) => [p.key, p.label, p.count])).toEqual([
      ["be-open", "Be open", 0],
      ["first-move", "Make the first move", 0],
    ]);
    await api.practices.tick({ exerciseId, practiceKey: "be-open" });
    await api.practices.tick({ exerciseId, practiceKey: "be-open", note: "Again" });
    const list = await api.practices.list();
    const beOpen = list.exercises[0]!.practices[0]!;
    expect(beOpen.count).toBe(2);
    expect(beOpen.lastTickedAt).toBeInstanceOf(Date);
    expect(beOpen.history).toHaveLength(14);
    expect(beOpen.history.at(-1)).toEqual({ day: list.today, count: 2 });
    expect(beOpen.todayTickIds).toHaveLength(2);
    expect(list.exercises[0]!.practices[1]!.count).toBe(0);
    // Not enrolled: nothing listed.
    expect((await app.caller(other).practices.list()).exercises).toEqual([]);
  });

  it("counts ticks on the member's local days", async () => {
    const tz = "Pacific/Auckland";
    const owner = { ...(await app.createUser("MEMBER")), timeZone: tz };
    await app.db.enrolment.create({ data: { userId: owner.id, programId } });
    const now = zonedInstant("2026-06-20", tz, 9);
    for (const [day, hour] of [
      ["2026-06-20", 0],
      ["2026-06-19", 23],
      ["2026-06-19", 1],
      ["2026-06-07", 12],
      ["2026-06-06", 12], // outside the 14 days
    ] as const) {
      await app.db.practiceTick.create({
        data: {
          userId: owner.id,
          exerciseId,
          practiceKey: "first-move",
          createdAt: zonedInstant(day, tz, hour),
        },
      });
    }
    // History written directly: the totals the app keeps on tick are derived from it.
    await rebuildAggregates(app.db);
    const list = await listPractices(app.db, owner, now);
    const strip = list.exercises[0]!.practices[1]!;
    expect(list.days[0]).toBe("2026-06-07");
    expect(strip.count).toBe(5);
    expect(strip.history.filter((h) => h.count > 0)).toEqual([
      { day: "2026-06-07", count: 1 },
      { day: "2026-06-19", count: 2 },
      { day: "2026-06-20", count: 1 },
    ]);
    expect(strip.todayTickIds).toHaveLength(1);
  });

  it("refuses unknown keys, non-practice exercises and bad notes, changing nothing", async () => {
    const api = app.caller(member);
    const p = await program(coach.id);
    await app.db.enrolment.create({ data: { userId: member.id, programId: p.id } });
    const before = await app.db.practiceTick.count();
    expect(await codeOf(() => api.practices.tick({ exerciseId, practiceKey: "fly" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(() => api.practices.tick({ exerciseId, practiceKey: "Bad Key!" }))).toBe(
      "BAD_REQUEST",
    );
    expect(
      await codeOf(() =>
        api.practices.tick({ exerciseId, practiceKey: "be-open", note: "n".repeat(2001) }),
      ),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(() => api.practices.tick({ exerciseId: p.reflection, practiceKey: "be-open" })),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(() => api.practices.tick({ exerciseId: "nope", practiceKey: "be-open" })),
    ).toBe("NOT_FOUND");
    await app.db.exercise.update({ where: { id: p.practice }, data: { deletedAt: new Date() } });
    expect(
      await codeOf(() => api.practices.tick({ exerciseId: p.practice, practiceKey: "be-open" })),
    ).toBe("NOT_FOUND");
    expect(await app.db.practiceTick.count()).toBe(before);
  });

  it("refuses practices of programs I am not enrolled in or no longer have access to", async () => {
    expect(
      await codeOf(() => app.caller(other).practices.tick({ exerciseId, practiceKey: "be-open" })),
    ).toBe("NOT_FOUND");
    // The coach who wrote it is not enrolled either.
    expect(
      await codeOf(() => app.caller(coach).practices.tick({ exerciseId, practiceKey: "be-open" })),
    ).toBe("NOT_FOUND");
    const paid = await program(coach.id, "PLANS");
    await app.db.enrolment.create({ data: { userId: other.id, programId: paid.id } });
    expect(
      await codeOf(() =>
        app.caller(other).practices.tick({ exerciseId: paid.practice, practiceKey: "be-open" }),
      ),
    ).toBe("FORBIDDEN");
  });

  it("undoes my own tick on the same day only; never someone else's", async () => {
    const api = app.caller(member);
    const tick = await api.practices.tick({ exerciseId, practiceKey: "first-move" });
    expect(await codeOf(() => app.caller(other).practices.untick({ tickId: tick.id }))).toBe(
      "NOT_FOUND",
    );
    expect(await app.db.practiceTick.count({ where: { id: tick.id } })).toBe(1);

    const owner = { ...member, timeZone: "UTC" };
    const tomorrow = new Date(tick.createdAt.getTime() + 86_400_000);
    await expect(untickPractice(app.db, owner, tick.id, tomorrow)).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await api.practices.untick({ tickId: tick.id });
    expect(await app.db.practiceTick.count({ where: { id: tick.id } })).toBe(0);
  });
});

describe("practices list queries", () => {
  it("sends the same number of SQL statements for 5 and for 60 ticks", async () => {
    async function count(ticks: number) {
      const user = await app.createUser("MEMBER");
      await app.db.enrolment.create({ data: { userId: user.id, programId } });
      await app.db.practiceTick.createMany({
        data: Array.from({ length: ticks }, (_, i) => ({
          userId: user.id,
          exerciseId,
          practiceKey: i % 2 ? "be-open" : "first-move",
          createdAt: new Date(Date.now() - i * 3_600_000),
        })),
      });
      await rebuildAggregates(app.db);
      const counting = countingDb(app.database.url);
      try {
        const list = await listPractices(counting.db, { ...user, timeZone: "UTC" });
        expect(list.exercises[0]!.practices.reduce((s, p) => s + p.count, 0)).toBe(ticks);
        return counting.statements().length;
      } finally {
        await counting.close();
      }
    }
    const small = await count(5);
    expect(await count(60)).toBe(small);
    // SQL statements at the driver, whatever the number of ticks: one (docs/performance.md).
    expect(small).toBe(1);
  });

  it("reads in one statement exactly what the four Prisma reads it replaced read", async () => {
    // Every member the tests above made (this runs after them): ticks today and earlier,
    // undone ticks, done steps, members with no practice at all.
    const users = await app.db.user.findMany({ select: { id: true } });
    expect(users.length).toBeGreaterThan(3);
    // One of them has done the practice's step.
    const { stepId } = await app.db.exercise.findUniqueOrThrow({
      where: { id: exerciseId },
      select: { stepId: true },
    });
    await app.db.stepCompletion.upsert({
      where: { userId_stepId: { userId: member.id, stepId } },
      create: { userId: member.id, stepId },
      update: {},
    });
    const since = new Date(Date.now() - 14 * 86_400_000);
    const todayFrom = new Date(Date.now() - 86_400_000);
    for (const { id } of users) {
      const rows = await practiceRows(app.db, id, since, todayFrom);
      const expected = await practicePrismaReads(app.db, id, since, todayFrom);
      expect(rows.exercises).toEqual(expected.exercises);
      expect(rows.todays).toEqual(expected.todays);
      // No order was asked of these two: compare as sets.
      expect(sorted(rows.totals)).toEqual(sorted(expected.totals));
      expect(sorted(rows.recent)).toEqual(sorted(expected.recent));
    }
  });
});

function sorted<T>(rows: T[]): T[] {
  return [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
