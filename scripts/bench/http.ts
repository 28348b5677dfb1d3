import { parseArgs } from "node:util";
import { sessionCookieName } from "@/server/auth/tokens";
import { loadDotEnv } from "../load-env";
import { alone, drive, type LoadResult } from "./load";
import { describeMachine, loadAverage, loadNote, machineLine } from "./machine";
import { insertSession, prepareBenchDatabase } from "./prepare";
import { int, markdownTable, ms, writeResults } from "./report";
import { POPULATION_OPTIONS, populationSize, positive, shareMasterKey, Teardown } from "./run";
import { ensureBuild, startServer } from "./server";
import { type BenchRoute, benchRoutes, type Persona } from "./targets";

/**
 * `npm run bench:http`: the production server on its own seeded database, driven over real HTTP
 * by autocannon, route after route. Every route's throughput is also given as a fraction of the
 * floor's, measured in the same run: the floor (`me.get`, one primary-key read) pays for what
 * every signed-in request pays (HTTP, Next's routing, the session lookup, tRPC, Prisma, one SQL
 * round trip) and for nothing else, so the ratio says what the route's own work costs.
 *
 * Before anything is measured, every route is driven in turn for --server-warmup seconds: a fresh
 * Node process runs Next's code unoptimised for its first tens of seconds (on the 2-core machine
 * the floor went 235 -> 385 -> 549 req/s over its first three 8 s runs), while a server in
 * production has been up for hours. Then each route gets its own --warmup, and its measured run.
 *
 * Flags: --duration S (15), --connections N (16), --warmup S (3), --server-warmup S (10),
 * --only ID[,ID] (repeatable; the floor always runs), --members N (2000), --answers N (50),
 * --build (rebuild), --keep-db, --database NAME (kindred_bench_http; a name of its own lets two
 * worktrees on one machine bench at the same time).
 */
const ALONE_REQUESTS = 20;

const { values: args } = parseArgs({
  options: {
    ...POPULATION_OPTIONS,
    duration: { type: "string", default: "15" },
    connections: { type: "string", default: "16" },
    warmup: { type: "string", default: "3" },
    "server-warmup": { type: "string", default: "10" },
    only: { type: "string", multiple: true },
    build: { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
    database: { type: "string", default: "kindred_bench_http" },
  },
});
const DATABASE = args.database;

const settings = {
  duration: positive("duration", args.duration),
  connections: positive("connections", args.connections),
  warmup: positive("warmup", args.warmup),
  serverWarmup: positive("server-warmup", args["server-warmup"]),
  ...populationSize(args),
};

type Row = BenchRoute & LoadResult & { ofFloor: number };

const teardown = new Teardown();

async function main() {
  loadDotEnv();
  shareMasterKey();
  const date = new Date();
  const loadAtStart = loadAverage();
  await ensureBuild(args.build);
  const database = await prepareBenchDatabase(DATABASE, {
    members: settings.members,
    answers: settings.answers,
  });
  if (!args["keep-db"]) teardown.add(`dropping ${DATABASE}`, database.drop);
  const machine = await describeMachine(database.url);
  const list = await benchRoutes(database.url, database.population, args.only);

  console.log("starting the production server…");
  const server = await startServer(database.url);
  teardown.add("stopping the server", async () => {
    const failed = Boolean(process.exitCode);
    await server.stop(failed);
    if (failed) console.error(`server log: ${server.logFile}`);
  });
  const cookie = sessionCookieName(server.appUrl);
  const headers: Record<Persona, Record<string, string>> = {
    anonymous: {},
    member: {
      cookie: `${cookie}=${await insertSession(database.url, database.population.memberId)}`,
    },
    coach: {
      cookie: `${cookie}=${await insertSession(database.url, database.population.coachId)}`,
    },
  };

  // Every route must answer 2xx, as the signed-in persona, before any load: a benchmark of
  // redirects or error pages measures nothing.
  for (const route of list) {
    const response = await fetch(server.url + route.path, {
      headers: headers[route.as],
      redirect: "manual",
    });
    const body = await response.text();
    if (response.status !== 200 || (route.path.startsWith("/api/trpc") && body.includes('"error"')))
      throw new Error(
        `${route.label} answered ${response.status} before the run: ${body.slice(0, 300)}`,
      );
  }

  console.log(`warming the server up: every route for ${settings.serverWarmup} s…`);
  for (const route of list) {
    await drive(server.url + route.path, headers[route.as], {
      connections: settings.connections,
      duration: settings.serverWarmup,
    });
  }

  const loadBefore = loadAverage();
  const rows: (BenchRoute & LoadResult)[] = [];
  for (const route of list) {
    const url = server.url + route.path;
    process.stdout.write(`${route.label.padEnd(34)} `);
    await drive(url, headers[route.as], {
      connections: settings.connections,
      duration: settings.warmup,
    });
    const single = await alone(url, headers[route.as], ALONE_REQUESTS);
    const result = await drive(url, headers[route.as], settings);
    rows.push({ ...route, ...result, alone: single.median, errors: result.errors + single.errors });
    console.log(
      `${int(result.rps).padStart(6)} req/s  p50 ${ms(result.p50)}  p99 ${ms(result.p99)}` +
        (result.errors ? `  ${result.errors} ERRORS ${JSON.stringify(result.statuses)}` : ""),
    );
  }
  const loadAfter = loadAverage();

  const floor = rows.find((r) => r.floor)!;
  const table: Row[] = rows.map((r) => ({ ...r, ofFloor: r.rps / floor.rps }));
  const markdown = markdownTable(table, [
    { title: "route", value: (r) => r.label },
    { title: "req/s", value: (r) => int(r.rps), right: true },
    { title: "p50", value: (r) => ms(r.p50), right: true },
    { title: "p95", value: (r) => ms(r.p95), right: true },
    { title: "p99", value: (r) => ms(r.p99), right: true },
    { title: "alone (p50)", value: (r) => ms(r.alone), right: true },
    { title: "errors", value: (r) => int(r.errors), right: true },
    { title: "× floor", value: (r) => r.ofFloor.toFixed(2), right: true },
  ]);
  console.log(`\n${markdown}\n`);

  const c = database.population.counts;
  const summary = [
    `# bench:http ${date.toISOString()}`,
    "",
    `Machine: ${machineLine(machine)}.`,
    `${loadNote(loadAtStart, machine.cores)} Around the measured part: ${loadBefore.join(" / ")} before, ${loadAfter.join(" / ")} after.`,
    `Production build through the launcher, PostgreSQL database ${DATABASE}; autocannon, ` +
      `${settings.connections} connections, ${settings.duration} s per route after a ${settings.warmup} s warm-up ` +
      `(and a server warm-up of ${settings.serverWarmup} s per route before the first); ` +
      `"alone" is the median of ${ALONE_REQUESTS} sequential requests.`,
    `Population: ${c.users} users, ${c.passes} answers, ${c.people} people, ${c.reachOuts} reach-outs, ` +
      `${c.commitments} commitments, ${c.checkIns} check-ins, ${c.practiceTicks} practice ticks, ${c.shares} shares. ` +
      "Signed in as the demo member (three years of history) or the demo coach.",
    `Floor: \`me.get\` over tRPC (session lookup + one primary-key read). Paths: ${list.map((r) => `${r.id} \`${r.path.split("?")[0]}\``).join(", ")}.`,
    "",
    markdown,
  ].join("\n");
  const files = await writeResults(
    "http",
    date,
    {
      date: date.toISOString(),
      machine,
      loadAverage: { atStart: loadAtStart, before: loadBefore, after: loadAfter },
      settings: { ...settings, database: DATABASE, aloneRequests: ALONE_REQUESTS },
      population: c,
      routes: table.map(({ as, floor: _f, ...r }) => ({ ...r, persona: as })),
    },
    summary,
  );
  console.log(`written: ${files.join(", ")}`);

  const failed = table.filter((r) => r.errors > 0);
  if (failed.length) {
    console.error(`non-2xx responses or errors on: ${failed.map((r) => r.label).join(", ")}`);
    process.exitCode = 1;
  }
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => teardown.run());
