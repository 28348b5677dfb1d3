import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { dayToDateColumn } from "@/lib/days";
import { addDays, localDay, startOfLocalDay } from "@/lib/time-zone";
import { todayRows } from "@/server/dashboard/reads";
import { TODAY_LIMIT, today } from "@/server/dashboard/service";
import { adapterOptions, type Db } from "@/server/db";
import { listPractices } from "@/server/practices/service";
import { memberZone } from "./scripts/bench/population";
import { prepareBenchDatabase } from "./scripts/bench/prepare";

async function main() {
  const database = await prepareBenchDatabase("kindred_bench_profile", {
    members: 2000,
    answers: 50,
  });
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  const db = new PrismaClient({
    adapter: new PrismaPg(pool, adapterOptions(database.url)),
  }) as unknown as Db;
  const user = (i: number) => {
    const n = (i % 2000) + 1;
    const id = database.population.memberIds(n);
    return { id, email: "x", name: "x", role: "MEMBER" as const, timeZone: memberZone(n) };
  };
  const which = process.argv[2] ?? "today";
  if (which === "ab") {
    const args = (i: number) => {
      const u = user(i);
      const day = localDay(new Date(), u.timeZone);
      return [u.id, day, startOfLocalDay(addDays(day, 8), u.timeZone), TODAY_LIMIT + 1] as const;
    };
    const sides = {
      five: (i: number) => prismaRows(db, ...args(i)),
      one: (i: number) => todayRows(db, ...args(i)),
    };
    const totals: Record<string, number[]> = { five: [], one: [] };
    for (let round = 0; round < 8; round++) {
      for (const [name, fn] of Object.entries(sides)) {
        let next = 0;
        const N = 1000;
        const t = performance.now();
        await Promise.all(
          Array.from({ length: 16 }, async () => {
            while (next < N) await fn(next++);
          }),
        );
        const rps = Math.round(N / ((performance.now() - t) / 1000));
        if (round > 0) totals[name]!.push(rps);
      }
    }
    console.log(JSON.stringify(totals));
    await db.$disconnect();
    await pool.end();
    return;
  }
  const fn =
    which === "today"
      ? (i: number) => today(db, user(i))
      : (i: number) => listPractices(db, user(i));
  for (const phase of ["warm", "measure"]) {
    let next = 0;
    const N = 3000;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < N) await fn(next++);
      }),
    );
    console.log(which, phase, Math.round(N / ((performance.now() - t) / 1000)), "calls/s");
  }
  await db.$disconnect();
  await pool.end();
}
main();

/** The reads `today` made through Prisma before they became one statement: the oracle. */
async function prismaRows(
  db: Db,
  userId: string,
  day: string,
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
    // No order was asked of this read: compare as sets.
    answered,
    reachOuts,
    activity,
  };
}
