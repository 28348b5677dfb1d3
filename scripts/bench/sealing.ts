import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { sessionCookieName } from "@/server/auth/tokens";
import { migrate } from "@/server/db/migrate";
import { loadDotEnv } from "../load-env";
import { benchServerUrl, dropBenchDatabase, recreateBenchDatabase } from "./database";
import { alone, alternatingTurns, drive, type TurnsResult } from "./load";
import { describeMachine, loadAverage, loadNote, machineLine } from "./machine";
import { type Population, seedPopulation } from "./population";
import { insertSession, sealPopulation, settleBenchDatabase } from "./prepare";
import { int, markdownTable, ms, writeResults } from "./report";
import { POPULATION_OPTIONS, populationSize, positive, shareMasterKey, Teardown } from "./run";
import { ensureBuild, type RunningServer, startServer } from "./server";
import { pageTargets, type Target } from "./targets";
import { trpcQueryPath } from "./trpc-url";

/**
 * What encryption at rest costs over HTTP (issue 12: at most 15 % on the journal and player
 * routes). Two production servers run side by side on two copies of the same population: the
 * baseline, a checkout built at a commit before encryption, on rows in the clear; and this
 * checkout on the same rows sealed. Each route is driven in short turns alternating between the
 * two (same connections, same duration, same routes), so whatever else the machine does falls
 * on both alike.
 *
 *   git worktree add ../kindred-base <commit before encryption>
 *   (cd ../kindred-base && npm ci && npm run build)
 *   npm run bench:sealing -- --baseline ../kindred-base
 *
 * Flags: --baseline DIR (required), --turns N (4), --turn S (5), --connections N (16),
 * --members N (2000), --answers N (50), --only ID[,ID].
 */
const { values: args } = parseArgs({
  options: {
    ...POPULATION_OPTIONS,
    baseline: { type: "string" },
    turns: { type: "string", default: "4" },
    turn: { type: "string", default: "5" },
    connections: { type: "string", default: "16" },
    only: { type: "string", multiple: true },
  },
});
const settings = {
  turns: positive("turns", args.turns),
  turn: positive("turn", args.turn),
  connections: positive("connections", args.connections),
  ...populationSize(args),
};
const PLAIN = "kindred_bench_seal_plain";
const SEALED = "kindred_bench_seal_sealed";
const ROUTES = ["journal", "step", "timeline", "today", "journal.list", "search"];

const teardown = new Teardown();

async function population(name: string, seal: boolean) {
  const server = benchServerUrl();
  const url = await recreateBenchDatabase(server, name);
  teardown.add(`dropping ${name}`, () => dropBenchDatabase(server, name));
  await migrate({ connectionString: url });
  const seeded = await seedPopulation(url, settings);
  const sealed = seal ? await sealPopulation(url) : 0;
  // Both sides settled alike: otherwise the sealed one alone carries the dead rows of sealing.
  await settleBenchDatabase(url);
  console.log(`${name}: ${seeded.counts.passes} answers${seal ? `, ${sealed} rows sealed` : ""}`);
  return { url, population: seeded };
}

async function targets(url: string, p: Population): Promise<Target[]> {
  const pages = (await pageTargets(url, p)).filter((t) => ROUTES.includes(t.id));
  const trpc = async (id: string, input: unknown): Promise<Target> => ({
    id,
    label: `${id} (tRPC GET)`,
    path: await trpcQueryPath(id, input),
    as: "member",
  });
  const all = [...pages, await trpc("journal.list", {})];
  const only = (args.only ?? []).flatMap((o) => o.split(","));
  return only.length ? all.filter((t) => only.includes(t.id)) : all;
}

async function member(server: RunningServer, url: string, p: Population) {
  return { cookie: `${sessionCookieName(server.appUrl)}=${await insertSession(url, p.memberId)}` };
}

async function main() {
  loadDotEnv();
  shareMasterKey();
  const baseline = args.baseline ? path.resolve(args.baseline) : "";
  if (!baseline || !existsSync(path.join(baseline, ".next", "BUILD_ID"))) {
    throw new Error("--baseline must be a checkout built before encryption (see the header).");
  }
  const date = new Date();
  const loadAtStart = loadAverage();
  await ensureBuild();
  const plain = await population(PLAIN, false);
  const sealed = await population(SEALED, true);
  const machine = await describeMachine(sealed.url);
  // Each side's own paths (ids differ between two seeds of the same population), paired by route.
  const list = await targets(sealed.url, sealed.population);
  const theirs = new Map((await targets(plain.url, plain.population)).map((t) => [t.id, t]));
  if (list.some((t) => !theirs.has(t.id))) throw new Error("the two populations' routes differ");
  console.log("starting both servers…");
  const base = await startServer(plain.url, {}, baseline);
  teardown.add("stopping the baseline", () => base.stop());
  const ours = await startServer(sealed.url);
  teardown.add("stopping this checkout's server", () => ours.stop());
  const sides = [
    {
      name: "baseline",
      server: base,
      headers: await member(base, plain.url, plain.population),
      path: (t: Target) => (theirs.get(t.id) as Target).path,
    },
    {
      name: "sealed",
      server: ours,
      headers: await member(ours, sealed.url, sealed.population),
      path: (t: Target) => t.path,
    },
  ];
  for (const route of list) {
    for (const side of sides) {
      const r = await fetch(side.server.url + side.path(route), {
        headers: side.headers,
        redirect: "manual",
      });
      const body = await r.text();
      if (r.status !== 200 || body.includes('"error"')) {
        throw new Error(`${side.name} ${route.label} answered ${r.status}: ${body.slice(0, 200)}`);
      }
    }
  }
  console.log("warming both up: 10 s per route each…");
  for (const route of list) {
    for (const side of sides) {
      await drive(side.server.url + side.path(route), side.headers, {
        connections: settings.connections,
        duration: 10,
      });
    }
  }

  const loadBefore = loadAverage();
  const rows = [];
  for (const route of list) {
    const [b, s] = (await alternatingTurns(
      sides.map((side) => ({ url: side.server.url + side.path(route), headers: side.headers })),
      settings,
    )) as [TurnsResult, TurnsResult];
    const alones = [];
    for (const side of sides)
      alones.push((await alone(side.server.url + side.path(route), side.headers, 20)).median);
    const row = {
      id: route.id,
      label: route.label,
      baseline: { ...b, alone: alones[0] ?? 0 },
      sealed: { ...s, alone: alones[1] ?? 0 },
      cost: 1 - s.rps / b.rps,
    };
    rows.push(row);
    console.log(
      `${route.label.padEnd(28)} baseline ${int(b.rps).padStart(5)} req/s, sealed ${int(s.rps).padStart(5)} req/s: cost ${(row.cost * 100).toFixed(1)} %`,
    );
  }
  const loadAfter = loadAverage();
  const markdown = markdownTable(rows, [
    { title: "route", value: (r) => r.label },
    { title: "baseline req/s", value: (r) => int(r.baseline.rps), right: true },
    { title: "sealed req/s", value: (r) => int(r.sealed.rps), right: true },
    { title: "cost", value: (r) => `${(r.cost * 100).toFixed(1)} %`, right: true },
    {
      title: "p50 base / sealed",
      value: (r) => `${ms(r.baseline.p50)} / ${ms(r.sealed.p50)}`,
      right: true,
    },
    {
      title: "p99 base / sealed",
      value: (r) => `${ms(r.baseline.p99)} / ${ms(r.sealed.p99)}`,
      right: true,
    },
    {
      title: "alone base / sealed",
      value: (r) => `${ms(r.baseline.alone)} / ${ms(r.sealed.alone)}`,
      right: true,
    },
    { title: "errors", value: (r) => int(r.baseline.errors + r.sealed.errors), right: true },
  ]);
  console.log(`\n${markdown}\n`);
  const summary = [
    `# bench:sealing ${date.toISOString()}`,
    "",
    `Machine: ${machineLine(machine)}.`,
    `${loadNote(loadAtStart, machine.cores)} Around the measured part: ${loadBefore.join(" / ")} before, ${loadAfter.join(" / ")} after.`,
    `Baseline: ${path.basename(baseline)} (a checkout before encryption) on ${PLAIN}, rows in the clear; sealed: this checkout on ${SEALED}, the same population sealed. ` +
      `Both production builds through the launcher at once; per route, ${settings.turns} alternating turns of ${settings.turn} s each at ${settings.connections} connections after 10 s of warm-up each; "alone" is the median of 20 sequential requests. ` +
      `Population: ${sealed.population.counts.users} users, ${sealed.population.counts.passes} answers; signed in as the demo member (three years of history).`,
    "",
    markdown,
  ].join("\n");
  const files = await writeResults(
    "sealing",
    date,
    {
      date: date.toISOString(),
      machine,
      settings,
      baseline: path.basename(baseline),
      loadAverage: { atStart: loadAtStart, before: loadBefore, after: loadAfter },
      routes: rows,
    },
    summary,
  );
  console.log(`written: ${files.join(", ")}`);
  if (rows.some((r) => r.baseline.errors + r.sealed.errors > 0)) process.exitCode = 1;
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => teardown.run());
