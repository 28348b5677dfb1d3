import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { sessionCookieName } from "@/server/auth/tokens";
import { loadDotEnv } from "../load-env";
import { alone, alternatingTurns, drive, type TurnsResult, timed } from "./load";
import { describeMachine, loadAverage, loadNote, machineLine } from "./machine";
import { insertSession, prepareBenchDatabase } from "./prepare";
import { int, markdownTable, ms, percentile, signed, writeResults } from "./report";
import { POPULATION_OPTIONS, populationSize, positive, shareMasterKey, Teardown } from "./run";
import { ensureBuild, type RunningServer, startServer } from "./server";
import { type BenchRoute, benchRoutes, type Persona } from "./targets";

/**
 * `npm run bench:ab`: is a change faster? `bench:http` measures routes one after another, and
 * on a shared 2-core machine two of its runs an hour apart differ by 10–15 % with nothing
 * changed, which hides the effect of most single changes. Here two production servers run at
 * once on one seeded database, the baseline and this checkout, and each route is driven in
 * short turns alternating between them (same connections, same duration, same paths, each side
 * first in every other turn), so whatever else the machine does falls on both alike.
 *
 * The two sides differ by a checkout, by environment variables, or both:
 *
 *   git worktree add ../kindred-base HEAD~1 && (cd ../kindred-base && npm ci && npx next build)
 *   npm run bench:ab -- --base ../kindred-base --only journal,search
 *   npm run bench:ab -- --env NODE_OPTIONS=--max-semi-space-size=64 --only journal
 *
 * The baseline checkout must share this one's database schema (both start on the same
 * database). Flags: --base DIR (default: this checkout), --base-env K=V and --env K=V
 * (repeatable), --label TEXT (what the two sides are, for the results), --turns N (6), --turn
 * S (5), --connections N (16), --only ID[,ID] (the floor always runs), --members N (2000),
 * --answers N (50), --keep-db, --database NAME (kindred_bench_ab).
 *
 * --idle S measures what a member of a quiet community waits instead of throughput: per route and
 * side, --turns times, the server is left alone for S seconds, then asked for the route four times
 * in a row (one request at a time: two for each web process, which the kernel hands requests to
 * in turn); the first two are the "after a pause" time, the last two the warm one.
 */
const { values: args } = parseArgs({
  options: {
    ...POPULATION_OPTIONS,
    base: { type: "string" },
    "base-env": { type: "string", multiple: true },
    env: { type: "string", multiple: true },
    label: { type: "string" },
    turns: { type: "string", default: "6" },
    turn: { type: "string", default: "5" },
    connections: { type: "string", default: "16" },
    only: { type: "string", multiple: true },
    idle: { type: "string" },
    "keep-db": { type: "boolean", default: false },
    database: { type: "string", default: "kindred_bench_ab" },
  },
});
const settings = {
  turns: positive("turns", args.turns),
  turn: positive("turn", args.turn),
  connections: positive("connections", args.connections),
  ...populationSize(args),
  /** Seconds of quiet before each timed request (`--idle`); null: the load turns. */
  idle: args.idle === undefined ? null : positive("idle", args.idle),
};
const WARMUP_SECONDS = 10;
const ALONE_REQUESTS = 20;

/** `K=V` pairs into an environment; a bad pair is a usage error, not a silent no-op. */
function parseEnvPairs(pairs: string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at < 1) throw new Error(`expected KEY=VALUE, got "${pair}"`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

type Side = {
  name: string;
  server: RunningServer;
  headers: Record<Persona, Record<string, string>>;
};

const teardown = new Teardown();

async function main() {
  loadDotEnv();
  shareMasterKey();
  const base = args.base ? path.resolve(args.base) : process.cwd();
  if (!existsSync(path.join(base, ".next", "BUILD_ID"))) {
    throw new Error(`--base ${base} has no production build: run \`npx next build\` there first`);
  }
  const baseEnv = parseEnvPairs(args["base-env"]);
  const ourEnv = parseEnvPairs(args.env);
  if (base === process.cwd() && JSON.stringify(baseEnv) === JSON.stringify(ourEnv)) {
    throw new Error("the two sides are the same: give --base, --base-env or --env");
  }
  const date = new Date();
  const loadAtStart = loadAverage();
  await ensureBuild();
  const database = await prepareBenchDatabase(args.database, settings);
  if (!args["keep-db"]) teardown.add(`dropping ${args.database}`, database.drop);
  const machine = await describeMachine(database.url);
  const list = await benchRoutes(database.url, database.population, args.only);

  console.log("starting both servers…");
  const sides: Side[] = [];
  for (const [name, dir, env] of [
    ["baseline", base, baseEnv],
    ["this", process.cwd(), ourEnv],
  ] as const) {
    const server = await startServer(database.url, env, dir);
    teardown.add(`stopping the ${name} server`, () => server.stop(Boolean(process.exitCode)));
    const cookie = sessionCookieName(server.appUrl);
    const as = async (id: string) => ({
      cookie: `${cookie}=${await insertSession(database.url, id)}`,
    });
    sides.push({
      name,
      server,
      headers: {
        anonymous: {},
        member: await as(database.population.memberId),
        coach: await as(database.population.coachId),
      },
    });
  }

  for (const route of list) {
    for (const side of sides) {
      const r = await fetch(side.server.url + route.path, {
        headers: side.headers[route.as],
        redirect: "manual",
      });
      const body = await r.text();
      if (r.status !== 200 || (route.path.startsWith("/api/trpc") && body.includes('"error"'))) {
        throw new Error(`${side.name}: ${route.label} answered ${r.status}: ${body.slice(0, 200)}`);
      }
    }
  }
  console.log(`warming both up: ${WARMUP_SECONDS} s per route each…`);
  for (const route of list) {
    for (const side of sides) {
      await drive(side.server.url + route.path, side.headers[route.as], {
        connections: settings.connections,
        duration: WARMUP_SECONDS,
      });
    }
  }

  if (settings.idle !== null) {
    return afterIdle(list, sides, settings.idle, {
      date,
      machine,
      loadAtStart,
      setup:
        `Baseline: ${sideName(base, baseEnv)}. This: ${sideName(process.cwd(), ourEnv)}. ` +
        `Both production builds through the launcher at once, on one database (${args.database}); per route and side, ` +
        `${settings.turns} times: ${settings.idle} s with no request to that server, then four sequential requests; ` +
        `"after a pause" is the mean of the first two (each web process's first), "warm" of the last two; medians over the turns.`,
    });
  }

  const loadBefore = loadAverage();
  const rows = [];
  for (const route of list) {
    const [a, b] = (await alternatingTurns(
      sides.map((side) => ({ url: side.server.url + route.path, headers: side.headers[route.as] })),
      settings,
    )) as [TurnsResult, TurnsResult];
    const alones = [];
    for (const side of sides) {
      alones.push(
        (await alone(side.server.url + route.path, side.headers[route.as], ALONE_REQUESTS)).median,
      );
    }
    const row = {
      id: route.id,
      label: route.label,
      baseline: { ...a, alone: alones[0] ?? 0 },
      this: { ...b, alone: alones[1] ?? 0 },
      change: b.rps / a.rps - 1,
    };
    rows.push(row);
    console.log(
      `${route.label.padEnd(34)} baseline ${int(a.rps).padStart(5)} req/s, this ${int(b.rps).padStart(5)} req/s: ${signed(row.change)}`,
    );
  }
  const loadAfter = loadAverage();

  const markdown = markdownTable(rows, [
    { title: "route", value: (r) => r.label },
    { title: "baseline req/s", value: (r) => int(r.baseline.rps), right: true },
    { title: "this req/s", value: (r) => int(r.this.rps), right: true },
    { title: "change", value: (r) => signed(r.change), right: true },
    {
      title: "p50 base / this",
      value: (r) => `${ms(r.baseline.p50)} / ${ms(r.this.p50)}`,
      right: true,
    },
    {
      title: "p99 base / this",
      value: (r) => `${ms(r.baseline.p99)} / ${ms(r.this.p99)}`,
      right: true,
    },
    {
      title: "alone base / this",
      value: (r) => `${ms(r.baseline.alone)} / ${ms(r.this.alone)}`,
      right: true,
    },
    { title: "errors", value: (r) => int(r.baseline.errors + r.this.errors), right: true },
  ]);
  console.log(`\n${markdown}\n`);
  const c = database.population.counts;
  const summary = [
    `# bench:ab ${date.toISOString()}${args.label ? `: ${args.label}` : ""}`,
    "",
    `Machine: ${machineLine(machine)}.`,
    `${loadNote(loadAtStart, machine.cores)} Around the measured part: ${loadBefore.join(" / ")} before, ${loadAfter.join(" / ")} after.`,
    `Baseline: ${sideName(base, baseEnv)}. This: ${sideName(process.cwd(), ourEnv)}. ` +
      `Both production builds through the launcher at once, on one database (${args.database}); per route, ` +
      `${settings.turns} alternating turns of ${settings.turn} s each at ${settings.connections} connections ` +
      `after ${WARMUP_SECONDS} s of warm-up each; "alone" is the median of ${ALONE_REQUESTS} sequential requests.`,
    `Population: ${c.users} users, ${c.passes} answers; signed in as the demo member (three years of history) or the demo coach.`,
    "",
    markdown,
  ].join("\n");
  const files = await writeResults(
    "ab",
    date,
    {
      date: date.toISOString(),
      label: args.label ?? null,
      machine,
      settings: { ...settings, database: args.database, aloneRequests: ALONE_REQUESTS },
      baseline: sideName(base, baseEnv),
      this: sideName(process.cwd(), ourEnv),
      loadAverage: { atStart: loadAtStart, before: loadBefore, after: loadAfter },
      routes: rows,
    },
    summary,
  );
  console.log(`written: ${files.join(", ")}`);
  if (rows.some((r) => r.baseline.errors + r.this.errors > 0)) process.exitCode = 1;
}

function sideName(dir: string, env: Record<string, string>) {
  const pairs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return `${dir === process.cwd() ? "this checkout" : path.basename(dir)}${pairs.length ? ` with ${pairs.join(" ")}` : ""}`;
}

/** What a request costs after the server sat idle: see `--idle` in the header. */
async function afterIdle(
  list: BenchRoute[],
  sides: Side[],
  idleSeconds: number,
  run: {
    date: Date;
    machine: Awaited<ReturnType<typeof describeMachine>>;
    loadAtStart: number[];
    /** What the two sides are and how they were measured, for the results. */
    setup: string;
  },
) {
  const loadBefore = loadAverage();
  const rows = [];
  let errors = 0;
  for (const route of list) {
    const paused = sides.map(() => [] as number[]);
    const warm = sides.map(() => [] as number[]);
    for (let turn = 0; turn < settings.turns; turn++) {
      for (const i of turn % 2 === 0 ? [0, 1] : [1, 0]) {
        const side = sides[i] as Side;
        await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
        const times: number[] = [];
        for (let k = 0; k < 4; k++) {
          const ms = await timed(side.server.url + route.path, side.headers[route.as]);
          if (ms === null) errors += 1;
          times.push(ms ?? 0);
        }
        paused[i]?.push(((times[0] ?? 0) + (times[1] ?? 0)) / 2);
        warm[i]?.push(((times[2] ?? 0) + (times[3] ?? 0)) / 2);
      }
    }
    const median = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    const row = {
      id: route.id,
      label: route.label,
      baseline: { paused: median(paused[0] ?? []), warm: median(warm[0] ?? []) },
      this: { paused: median(paused[1] ?? []), warm: median(warm[1] ?? []) },
    };
    rows.push(row);
    console.log(
      `${route.label.padEnd(34)} after a pause: baseline ${ms(row.baseline.paused)}, this ${ms(row.this.paused)}; warm: ${ms(row.baseline.warm)}, ${ms(row.this.warm)}`,
    );
  }
  const loadAfter = loadAverage();
  const markdown = markdownTable(rows, [
    { title: "route", value: (r) => r.label },
    { title: "after a pause: base", value: (r) => ms(r.baseline.paused), right: true },
    { title: "after a pause: this", value: (r) => ms(r.this.paused), right: true },
    { title: "warm: base", value: (r) => ms(r.baseline.warm), right: true },
    { title: "warm: this", value: (r) => ms(r.this.warm), right: true },
  ]);
  console.log(`\n${markdown}\n`);
  const summary = [
    `# bench:ab --idle ${idleSeconds} ${run.date.toISOString()}${args.label ? `: ${args.label}` : ""}`,
    "",
    `Machine: ${machineLine(run.machine)}.`,
    `${loadNote(run.loadAtStart, run.machine.cores)} Around the measured part: ${loadBefore.join(" / ")} before, ${loadAfter.join(" / ")} after.`,
    run.setup,
    "",
    markdown,
  ].join("\n");
  const files = await writeResults(
    "ab",
    run.date,
    {
      date: run.date.toISOString(),
      mode: "idle",
      idleSeconds,
      label: args.label ?? null,
      machine: run.machine,
      settings: { ...settings, database: args.database },
      loadAverage: { atStart: run.loadAtStart, before: loadBefore, after: loadAfter },
      routes: rows,
      errors,
    },
    summary,
  );
  console.log(`written: ${files.join(", ")}`);
  if (errors > 0) process.exitCode = 1;
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => teardown.run());
