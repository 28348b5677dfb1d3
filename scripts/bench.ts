import { parseArgs } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import type { Session } from "@/server/auth/session";
import { withSealing } from "@/server/crypto/extension";
import { adapterOptions, type Db } from "@/server/db";
import { parseEnv } from "@/server/env";
import { createCaller } from "@/server/trpc/root";
import { CountingPool } from "./bench/counting-pool";
import { describeMachine, loadAverage, loadNote, machineLine } from "./bench/machine";
import { BENCH_COHORT, memberZone } from "./bench/population";
import { prepareBenchDatabase } from "./bench/prepare";
import { planReplay, replay } from "./bench/replay";
import { int, markdownTable, ms, percentile, writeResults } from "./bench/report";
import { positive, shareMasterKey } from "./bench/run";
import { loadDotEnv } from "./load-env";

/**
 * `npm run bench`: the busiest member reads called in-process through the real tRPC caller (no
 * HTTP, no session lookup), `--concurrency` at a time, against the shared bench population; then
 * their floor: the very statements one call sent, replayed through raw `pg` on the same pool
 * with the same parallelism (see bench/replay.ts). The ratio of the two is what tRPC, zod,
 * Prisma's query building and result mapping cost on top of the SQL itself. Every statement
 * sent through the pool is counted, for the procedure and for the floor.
 *
 * Flags: --requests N (1000 per scenario), --concurrency N (16), --pool N (10, the app's pool
 * size), --members N (2000), --answers N (50), --keep-db.
 */
const DATABASE = "kindred_bench_inprocess";
const CAPTURES = 5;

const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "16" },
    pool: { type: "string", default: "10" },
    members: { type: "string", default: "2000" },
    answers: { type: "string", default: "50" },
    "keep-db": { type: "boolean", default: false },
  },
});

const settings = {
  requests: positive("requests", args.requests),
  concurrency: positive("concurrency", args.concurrency),
  pool: positive("pool", args.pool),
  members: positive("members", args.members),
  answers: positive("answers", args.answers),
};

type Timing = { rps: number; p50: number; p95: number; p99: number; statementsPerCall: number };

/** `requests` calls, `concurrency` in flight; statements counted on `pool` while they run. */
async function drive(pool: CountingPool, call: (i: number) => Promise<unknown>): Promise<Timing> {
  const latencies: number[] = [];
  let next = 0;
  const before = pool.statements;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: settings.concurrency }, async () => {
      while (next < settings.requests) {
        const i = next++;
        const t = performance.now();
        await call(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: settings.requests / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    statementsPerCall: (pool.statements - before) / settings.requests,
  };
}

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
      // Named statements, as the app runs them (DATABASE_PREPARED_STATEMENTS defaults to on); the
      // floor replays the captured statements with their names, so it runs them prepared too.
      adapter: new PrismaPg(pool, adapterOptions(database.url)),
    }),
  ) as unknown as Db;
  try {
    const machine = await describeMachine(database.url);
    const { population } = database;
    // Call i is made by generated member (i mod N) + 1, as the session would describe them.
    const user = (i: number): Session["user"] => {
      const n = (i % settings.members) + 1;
      const id = population.memberIds(n);
      return {
        id,
        email: `${id}@bench.kindred.local`,
        name: `Member ${n}`,
        role: "MEMBER",
        timeZone: memberZone(n),
      };
    };
    const env = parseEnv({ NODE_ENV: "test", KINDRED_DEMO: "1", DATABASE_URL: database.url });
    // The big cohort's members are generated members 1 … 500: its scenarios cycle through them.
    const inCohort = Math.min(BENCH_COHORT.members, settings.members);
    const cohortUser = (i: number) => user(i % inCohort);
    const coach: Session["user"] = {
      id: population.coachId,
      email: "coach@bench.kindred.local",
      name: "Coach",
      role: "COACH",
      timeZone: "Europe/London",
    };
    const callerAs = (u: Session["user"]) =>
      createCaller({
        db,
        env,
        session: { user: u, expires: new Date(Date.now() + 3600_000) },
        ip: "bench",
        resHeaders: null,
        queue: async () => {
          throw new Error("the bench enqueues nothing");
        },
      });
    const callerFor = (i: number) => callerAs(user(i));
    const firstStep = await db.step.findFirstOrThrow({
      where: { module: { programId: population.programId } },
      orderBy: [{ module: { position: "asc" } }, { position: "asc" }],
      select: { id: true },
    });

    type Scenario = {
      run: (i: number) => Promise<unknown>;
      userOf: (i: number) => Session["user"];
    };
    const cohortId = population.cohortId;
    const scenarios: Record<string, Scenario> = {
      "dashboard.today": { run: (i) => callerFor(i).dashboard.today(), userOf: user },
      "journal.list": { run: (i) => callerFor(i).journal.list({}), userOf: user },
      "player.step": {
        run: (i) => callerFor(i).player.step({ stepId: firstStep.id }),
        userOf: user,
      },
      // The cohort space (5,000 posts) read by its members, and the coach's roster of 500.
      "cohorts.feed": {
        run: (i) => callerAs(cohortUser(i)).cohorts.feed({ cohortId }),
        userOf: cohortUser,
      },
      "cohorts.roster": {
        run: () => callerAs(coach).cohorts.roster({ cohortId }),
        userOf: () => coach,
      },
    };

    const loadBefore = loadAverage();
    const rows = [];
    for (const [name, { run, userOf }] of Object.entries(scenarios)) {
      process.stdout.write(`${name.padEnd(18)} `);
      await drive(pool, run); // warm-up: JIT, Prisma's query cache, the pool's connections
      const procedure = await drive(pool, run);
      // What one call (member 1) sends, with timings, captured alone five times; replayed for
      // member i by swapping the id.
      const captures = [];
      for (let k = 0; k < CAPTURES; k++) captures.push(await pool.record(() => run(0)));
      const plan = planReplay(captures);
      const own = userOf(0).id;
      const floor = await drive(pool, (i) =>
        replay(pool, plan, (values) => values?.map((v) => (v === own ? userOf(i).id : v))),
      );
      rows.push({
        scenario: name,
        procedure,
        floor,
        statements: plan.statements.length,
        waves: plan.waves,
        ratio: floor.rps / procedure.rps,
      });
      console.log(
        `${int(procedure.rps)} req/s (floor ${int(floor.rps)}), ${plan.statements.length} statements in ${plan.waves} wave(s)`,
      );
    }
    const loadAfter = loadAverage();

    const markdown = markdownTable(rows, [
      { title: "procedure", value: (r) => `\`${r.scenario}\`` },
      { title: "req/s", value: (r) => int(r.procedure.rps), right: true },
      { title: "p50", value: (r) => ms(r.procedure.p50), right: true },
      { title: "p95", value: (r) => ms(r.procedure.p95), right: true },
      { title: "p99", value: (r) => ms(r.procedure.p99), right: true },
      { title: "stmts/call", value: (r) => r.procedure.statementsPerCall.toFixed(1), right: true },
      { title: "floor req/s", value: (r) => int(r.floor.rps), right: true },
      { title: "floor p50", value: (r) => ms(r.floor.p50), right: true },
      {
        title: "floor stmts/call",
        value: (r) => r.floor.statementsPerCall.toFixed(1),
        right: true,
      },
      { title: "waves", value: (r) => String(r.waves), right: true },
      { title: "floor ÷ procedure", value: (r) => `${r.ratio.toFixed(2)}×`, right: true },
    ]);
    console.log(`\n${markdown}\n`);
    const c = population.counts;
    const summary = [
      `# bench (in-process) ${date.toISOString()}`,
      "",
      `Machine: ${machineLine(machine)}.`,
      `${loadNote(loadAtStart, machine.cores)} Around the measured part: ${loadBefore.join(" / ")} before, ${loadAfter.join(" / ")} after.`,
      `${settings.requests} calls per procedure after as many to warm up, ${settings.concurrency} in flight, ` +
        `one pg pool of ${settings.pool} connections shared by the procedure and its floor; members cycle ` +
        `through the ${settings.members} generated ones. Population: ${c.users} users, ${c.passes} answers, ` +
        `${c.people} people, ${c.reachOuts} reach-outs, ${c.commitments} commitments, ${c.practiceTicks} practice ticks.`,
      "Floor: the statements one call sent, replayed through raw pg with the same parallelism " +
        '("waves" = statements that had to wait for earlier answers, in turn).',
      "",
      markdown,
    ].join("\n");
    const files = await writeResults(
      "inprocess",
      date,
      {
        date: date.toISOString(),
        machine,
        loadAverage: { atStart: loadAtStart, before: loadBefore, after: loadAfter },
        settings: { ...settings, database: DATABASE },
        population: c,
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
