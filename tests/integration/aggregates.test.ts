import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zonedInstant } from "@/lib/time-zone";
import { rebuildAggregates } from "@/server/activity/service";
import { checkIn } from "@/server/commitments/service";
import { logReachOut } from "@/server/community/service";
import { enrol } from "@/server/player/enrol";
import { submitAnswer } from "@/server/player/submit";
import { tickPractice, untickPractice } from "@/server/practices/service";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * Aggregates kept on write (streak and activity, answered prompts, practice totals) must equal
 * what the migration's rebuild derives from the history the same writes left behind.
 */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

async function snapshot() {
  const [activity, progress, totals] = await Promise.all([
    app.db.memberActivity.findMany({ orderBy: { userId: "asc" } }),
    app.db.exerciseProgress.findMany({ orderBy: [{ userId: "asc" }, { exerciseId: "asc" }] }),
    app.db.practiceTotal.findMany({
      orderBy: [{ userId: "asc" }, { exerciseId: "asc" }, { practiceKey: "asc" }],
    }),
  ]);
  return { activity, progress, totals };
}

describe("aggregates kept on write", () => {
  it("equal a rebuild from history after passes, answers again, ticks, unticks, reach-outs and check-ins", async () => {
    const coach = await app.createUser("COACH");
    const f = await seedProgram(app.db, coach.id);
    const tz = "America/Santiago";
    const member = { ...(await app.createUser("MEMBER")), timeZone: tz };
    await app.db.user.update({ where: { id: member.id }, data: { timeZone: tz } });
    const day = (d: string, h: number) => zonedInstant(d, tz, h);
    await enrol(app.db, member, f.program.id, day("2026-08-20", 9));

    // Days 08-20, 08-21 (two kinds), a gap, then 08-30 and, across Santiago's DST change, 09-06.
    for (const [kind, at] of [
      ["REFLECTION", day("2026-08-20", 10)],
      ["SCALE", day("2026-08-21", 8)],
      ["PRACTICE", day("2026-08-21", 22)],
      ["COMMITMENT", day("2026-08-30", 12)],
      ["SCALE", day("2026-09-06", 2)], // answered again after 7+ days
      ["PRACTICE", day("2026-09-06", 3)],
    ] as const) {
      await submitAnswer(app.db, member, { exerciseId: f.ex[kind], content: ANSWERS[kind] }, at);
    }
    const now = day("2026-09-07", 9);
    const ticked = await tickPractice(
      app.db,
      member,
      { exerciseId: f.ex.PRACTICE, practiceKey: "be-open", note: "" },
      now,
    );
    await tickPractice(
      app.db,
      member,
      { exerciseId: f.ex.PRACTICE, practiceKey: "first-move", note: "" },
      now,
    );
    await untickPractice(app.db, member, ticked.id, now);
    const person = await app.db.person.create({
      data: { userId: member.id, name: "Ana", circle: "Friends" },
    });
    await logReachOut(app.db, member, { personId: person.id, note: "" }, now);
    const commitment = await app.db.commitment.findFirstOrThrow({ where: { userId: member.id } });
    await checkIn(app.db, member, { id: commitment.id, outcome: "NOT_YET", note: "" }, now);

    const kept = await snapshot();
    expect(kept.progress.find((p) => p.exerciseId === f.ex.SCALE)).toMatchObject({
      passCount: 2,
      firstPassAt: day("2026-08-21", 8),
      lastPassAt: day("2026-09-06", 2),
    });
    expect(kept.totals.map((t) => [t.practiceKey, t.count])).toEqual([
      ["be-open", 2],
      ["first-move", 3],
    ]);
    // 09-06 and 09-07 in Santiago: a streak of two, started on 09-06.
    expect(kept.activity[0]).toMatchObject({ activeDays: 5, lastActiveAt: now });
    expect(kept.activity[0]!.streakStartDay.toISOString().slice(0, 10)).toBe("2026-09-06");

    await rebuildAggregates(app.db);
    expect(await snapshot()).toEqual(kept);
  });
});
