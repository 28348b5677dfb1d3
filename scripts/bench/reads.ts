import { parseArgs } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { addDays, localDay, startOfLocalDay } from "@/lib/time-zone";
import { withSealing } from "@/server/crypto/extension";
import { todayRows } from "@/server/dashboard/reads";
import { TODAY_LIMIT } from "@/server/dashboard/service";
import { adapterOptions, type Db } from "@/server/db";
import { practiceRows } from "@/server/practices/reads";
import { loadDotEnv } from "../load-env";
import { CountingPool } from "./counting-pool";
import { describeMachine, loadAverage, loadNote, machineLine } from "./machine";
import { memberZone } from "./population";
import { prepareBenchDatabase } from "./prepare";
import { practicePrismaReads, todayPrismaReads } from "./prisma-reads";
import { int, markdownTable, writeResults } from "./report";
import { POPULATION_OPTIONS, populationSize, positive, shareMasterKey } from "./run";

/**
 * `npm run bench:reads`: the reads that became one statement, A/B against the Prisma reads they
 * replaced (scripts/bench/prisma-reads.ts), in ONE process on ONE pool, interleaved: round after
 * round, each side makes --calls calls with --concurrency in flight, members cycling through the
 * generated ones. Interleaving is what makes the two comparable on a shared machine, whose speed
 * drifts between runs (docs/performance.md). The first round of each side is a warm-up.
 *
 * calls/s is the median of the measured rounds; "rounds" gives their range.
 *
 * Flags: --rounds N (8), --calls N (1000), --concurrency N (16), --pool N (10), --members N
 * (2000), --answers N (50), --keep-db.
 */
const DATABASE = "kindred_bench_reads";

const { values: args } = parseArgs({
  options: {
    ...POPULATION_OPTIONS,
    rounds: { type: "string", default: "8" },
    calls: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "16" },
    pool: { type: "string", default: "10" },
    "keep-db": { type: "boolean", default: false },
  },
});
const settings = {
  rounds: positive("rounds", args.rounds),
  calls: positive("calls", args.calls),
  concurrency: positive("concurrency", args.concurrency),
  pool: positive("pool", args.pool),
  ...populationSize(args),
};

type Side = { name: string; call: (i: number) => Promise<unknown> };
type Pair = { read: string; before: Side; after: Side };
type Measured = { callsPerSecond: number[]; statementsPerCall: number };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main() {
  loadDotEnv();
  shareMasterKey();
  const date = new Date();
  const loadAtStart = loadAverage();
  const database = await prepareBenchDatabase(DATABASE, {
    members: settings.members,
    answers: settings.answers,
  });
  const pool = new CountingPool({ connectionString: database.url, max: settings.pool });
  const db = withSealing(
    new PrismaClient({
      adapter: new PrismaPg(pool, adapterOptions(database.url)),
    }),
  ) as unknown as Db;
  try {
    const machine = await describeMachine(database.url);
    const member = (i: number) => {
      const n = (i % settings.members) + 1;
      return { id: database.population.memberIds(n), zone: memberZone(n) };
    };
    const now = new Date();
    const todayArgs = (i: number) => {
      const { id, zone } = member(i);
      const day = localDay(now, zone);
      return [id, day, startOfLocalDay(addDays(day, 8), zone), TODAY_LIMIT + 1] as const;
    };
    const practiceArgs = (i: number) => {
      const { id, zone } = member(i);
      const day = localDay(now, zone);
      return [id, startOfLocalDay(addDays(day, -13), zone), startOfLocalDay(day, zone)] as const;
    };
    const pairs: Pair[] = [
      {
        read: "Today (dashboard.today)",
        before: { name: "five Prisma reads", call: (i) => todayPrismaReads(db, ...todayArgs(i)) },
        after: { name: "one statement", call: (i) => todayRows(db, ...todayArgs(i)) },
      },
      {
        read: "practices (practices.list)",
        before: {
          name: "four reads (three Prisma, one raw)",
          call: (i) => practicePrismaReads(db, ...practiceArgs(i)),
        },
        after: { name: "one statement", call: (i) => practiceRows(db, ...practiceArgs(i)) },
      },
    ];

    async function round(side: Side): Promise<{ rps: number; statements: number }> {
      let next = 0;
      const sentBefore = pool.statements;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: settings.concurrency }, async () => {
          while (next < settings.calls) await side.call(next++);
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      return { rps: settings.calls / seconds, statements: pool.statements - sentBefore };
    }

    const loadBefore = loadAverage();
    const rows = [];
    for (const pair of pairs) {
      const measured: Record<"before" | "after", Measured> = {
        before: { callsPerSecond: [], statementsPerCall: 0 },
        after: { callsPerSecond: [], statementsPerCall: 0 },
      };
      for (let r = 0; r < settings.rounds; r++) {
        for (const key of ["before", "after"] as const) {
          const { rps, statements } = await round(pair[key]);
          if (r === 0) continue; // warm-up
          measured[key].callsPerSecond.push(rps);
          measured[key].statementsPerCall = statements / settings.calls;
        }
      }
      const row = {
        read: pair.read,
        before: { side: pair.before.name, ...measured.before },
        after: { side: pair.after.name, ...measured.after },
        speedup: median(measured.after.callsPerSecond) / median(measured.before.callsPerSecond),
      };
      rows.push(row);
      console.log(
        `${pair.read}: ${int(median(row.before.callsPerSecond))} -> ${int(median(row.after.callsPerSecond))} calls/s (median)`,
      );
    }
    const loadAfter = loadAverage();

    const range = (xs: number[]) => `${int(Math.min(...xs))}–${int(Math.max(...xs))}`;
    const markdown = markdownTable(rows, [
      { title: "read", value: (r) => r.read },
      { title: "before", value: (r) => r.before.side },
      { title: "stmts/call", value: (r) => r.before.statementsPerCall.toFixed(1), right: true },
      { title: "calls/s", value: (r) => int(median(r.before.callsPerSecond)), right: true },
      { title: "rounds", value: (r) => range(r.before.callsPerSecond), right: true },
      { title: "after", value: (r) => r.after.side },
      {
        title: "stmts/call after",
        value: (r) => r.after.statementsPerCall.toFixed(1),
        right: true,
      },
      { title: "calls/s after", value: (r) => int(median(r.after.callsPerSecond)), right: true },
      { title: "rounds after", value: (r) => range(r.after.callsPerSecond), right: true },
      { title: "after ÷ before", value: (r) => `${r.speedup.toFixed(2)}×`, right: true },
    ]);
    console.log(`\n${markdown}\n`);
    const summary = [
      `# bench:reads ${date.toISOString()}`,
      "",
      `Machine: ${machineLine(machine)}.`,
      `${loadNote(loadAtStart, machine.cores)} Around the measured part: ${loadBefore.join(" / ")} before, ${loadAfter.join(" / ")} after.`,
      `${settings.rounds - 1} measured rounds per side after one warm-up round, interleaved (before, after, ` +
        `before, …); ${settings.calls} calls a round, ${settings.concurrency} in flight, one pg pool of ` +
        `${settings.pool} connections; members cycle through the ${settings.members} generated ones.`,
      "",
      markdown,
    ].join("\n");
    const files = await writeResults(
      "reads",
      date,
      {
        date: date.toISOString(),
        machine,
        loadAverage: { atStart: loadAtStart, before: loadBefore, after: loadAfter },
        settings: { ...settings, database: DATABASE },
        population: database.population.counts,
        results: rows,
      },
      summary,
    );
    console.log(`written: ${files.join(", ")}`);
  } finally {
    await db.$disconnect();
    await pool.end().catch(() => {});
    if (!args["keep-db"]) await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
