import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { sessionCookieName } from "@/server/auth/tokens";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../chromium";
import { loadDotEnv } from "../load-env";
import { describeMachine, loadAverage, loadNote, machineLine, treeCpuSeconds } from "./machine";
import { insertSession, prepareBenchDatabase } from "./prepare";
import { markdownTable, signed, writeResults } from "./report";
import { POPULATION_OPTIONS, populationSize, positive, shareMasterKey, Teardown } from "./run";
import { ensureBuild, type RunningServer, startServer } from "./server";
import { benchRoutes } from "./targets";

/**
 * `npm run bench:views`: what a page view in a browser costs the server. `bench:http` asks for a
 * page's document; a browser then also asks for what the page leads it to (Next's prefetches of
 * links in view, the service worker, the manifest), and those requests cost the server too. Here
 * each view is a fresh Chromium context (no cache, as a first visit) that loads the page, waits
 * for the network to settle, scrolls to the end and waits again; the server's CPU time (every
 * process the launcher started: its web processes; the worker is off) is read from /proc before
 * and after the views, with nothing else asking it for anything.
 *
 * With --base DIR, the same views on a baseline checkout's server, in alternating rounds (each
 * side first in every other round), so the machine's drift falls on both.
 *
 * Flags: --base DIR, --label TEXT, --views N (10 per route, side and round), --rounds N (2),
 * --only ID[,ID] (pages of bench:http's list: today, journal, search, step, …), --members N
 * (2000), --answers N (50), --keep-db, --database NAME (kindred_bench_views).
 */
const { values: args } = parseArgs({
  options: {
    ...POPULATION_OPTIONS,
    base: { type: "string" },
    label: { type: "string" },
    views: { type: "string", default: "10" },
    rounds: { type: "string", default: "2" },
    only: { type: "string", multiple: true },
    "keep-db": { type: "boolean", default: false },
    database: { type: "string", default: "kindred_bench_views" },
  },
});
const settings = {
  views: positive("views", args.views),
  rounds: positive("rounds", args.rounds),
  ...populationSize(args),
};
const DEFAULT_PAGES = ["today", "journal", "search", "step", "coach-cohort"];
type Side = { name: string; server: RunningServer; cookies: Record<string, string> };
type Tally = { cpu: number; requests: number; prefetches: number; views: number };

const teardown = new Teardown();

async function main() {
  loadDotEnv();
  shareMasterKey();
  const base = args.base ? path.resolve(args.base) : null;
  if (base && !existsSync(path.join(base, ".next", "BUILD_ID")))
    throw new Error(`--base ${base} has no production build: run \`npx next build\` there first`);
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  const date = new Date();
  const loadAtStart = loadAverage();
  await ensureBuild();
  const database = await prepareBenchDatabase(args.database, settings);
  if (!args["keep-db"]) teardown.add(`dropping ${args.database}`, database.drop);
  const machine = await describeMachine(database.url);
  const only = args.only?.length ? args.only : DEFAULT_PAGES;
  const pages = (await benchRoutes(database.url, database.population, only)).filter(
    (r) => !r.path.startsWith("/api/") && r.id !== "floor",
  );

  const sides: Side[] = [];
  for (const [name, dir] of base
    ? ([
        ["baseline", base],
        ["this", process.cwd()],
      ] as const)
    : ([["this", process.cwd()]] as const)) {
    const server = await startServer(database.url, { KINDRED_WORKER: "off" }, dir);
    teardown.add(`stopping the ${name} server`, () => server.stop(Boolean(process.exitCode)));
    sides.push({
      name,
      server,
      cookies: {
        member: await insertSession(database.url, database.population.memberId),
        coach: await insertSession(database.url, database.population.coachId),
      },
    });
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
  teardown.add("closing Chromium", () => browser.close());

  async function view(side: Side, route: (typeof pages)[number], tally?: Tally) {
    const origin = side.server.appUrl;
    const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
    try {
      if (route.as !== "anonymous")
        await context.addCookies([
          {
            name: sessionCookieName(origin),
            value: side.cookies[route.as]!,
            url: origin,
          },
        ]);
      const page = await context.newPage();
      page.on("request", (request) => {
        const url = request.url();
        if (!tally || !url.startsWith(origin) || url.includes("/_next/static/")) return;
        tally.requests++;
        if (request.headers()["next-router-prefetch"]) tally.prefetches++;
      });
      const response = await page.goto(origin + route.path, { waitUntil: "networkidle" });
      if (response?.status() !== 200 || new URL(page.url()).pathname !== route.path.split("?")[0])
        throw new Error(
          `${side.name}: ${route.label} answered ${response?.status()} at ${page.url()}`,
        );
      await page.mouse.wheel(0, 20_000);
      await page.waitForTimeout(300);
      await page.waitForLoadState("networkidle");
    } finally {
      await context.close();
    }
  }

  // Every page once on each side before measuring (Next compiles a route's code on first use).
  for (const side of sides) for (const route of pages) await view(side, route);

  const loadBefore = loadAverage();
  const tallies = new Map<string, Tally>();
  for (let round = 0; round < settings.rounds; round++) {
    for (const route of pages) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) {
        const key = `${route.id}:${side.name}`;
        const tally = tallies.get(key) ?? { cpu: 0, requests: 0, prefetches: 0, views: 0 };
        tallies.set(key, tally);
        const before = treeCpuSeconds(side.server.pid);
        for (let i = 0; i < settings.views; i++) await view(side, route, tally);
        tally.cpu += treeCpuSeconds(side.server.pid) - before;
        tally.views += settings.views;
      }
    }
  }
  const loadAfter = loadAverage();

  const per = (t: Tally) => ({
    cpuMsPerView: (t.cpu * 1000) / t.views,
    requestsPerView: t.requests / t.views,
    prefetchesPerView: t.prefetches / t.views,
  });
  const rows = pages.map((route) => {
    const row: Record<string, unknown> & { label: string } = { id: route.id, label: route.label };
    for (const side of sides) row[side.name] = per(tallies.get(`${route.id}:${side.name}`)!);
    return row;
  });
  type Per = ReturnType<typeof per>;
  const columns = sides.flatMap((side) => [
    {
      title: `${side.name}: server CPU per view`,
      value: (r: (typeof rows)[number]) => `${(r[side.name] as Per).cpuMsPerView.toFixed(1)} ms`,
      right: true,
    },
    {
      title: `${side.name}: requests (prefetches) per view`,
      value: (r: (typeof rows)[number]) =>
        `${(r[side.name] as Per).requestsPerView.toFixed(1)} (${(r[side.name] as Per).prefetchesPerView.toFixed(1)})`,
      right: true,
    },
  ]);
  const markdown = markdownTable(rows, [
    { title: "page", value: (r) => r.label },
    ...columns,
    ...(base
      ? [
          {
            title: "CPU change",
            value: (r: (typeof rows)[number]) =>
              signed((r.this as Per).cpuMsPerView / (r.baseline as Per).cpuMsPerView - 1),
            right: true,
          },
        ]
      : []),
  ]);
  console.log(`\n${markdown}\n`);
  const c = database.population.counts;
  const summary = [
    `# bench:views ${date.toISOString()}${args.label ? `: ${args.label}` : ""}`,
    "",
    `Machine: ${machineLine(machine)}.`,
    `${loadNote(loadAtStart, machine.cores)} Around the measured part: ${loadBefore.join(" / ")} before, ${loadAfter.join(" / ")} after.`,
    `${base ? `Baseline: ${base}. ` : ""}This: ${process.cwd()}. Production builds through the launcher (worker off) on one database (${args.database}). ` +
      `Per page and side: ${settings.rounds} round(s) of ${settings.views} views, each a fresh Chromium context at 412×823 ` +
      "(load, network idle, scroll to the end, network idle); server CPU is user + system time of the launcher's process tree from /proc; " +
      "requests count the server's own addresses except /_next/static/ files.",
    `Population: ${c.users} users, ${c.passes} answers; signed in as the demo member or the demo coach.`,
    "",
    markdown,
  ].join("\n");
  const files = await writeResults(
    "views",
    date,
    {
      date: date.toISOString(),
      label: args.label ?? null,
      machine,
      settings: { ...settings, database: args.database },
      baseline: base,
      this: process.cwd(),
      loadAverage: { atStart: loadAtStart, before: loadBefore, after: loadAfter },
      pages: rows,
    },
    summary,
  );
  console.log(`written: ${files.join(", ")}`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => teardown.run());
