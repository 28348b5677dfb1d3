import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { computeMedianRun } from "lighthouse/core/lib/median-run.js";
import { sessionCookieName } from "@/server/auth/tokens";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../chromium";
import { loadDotEnv } from "../load-env";
import { describeMachine, loadAverage, loadNote, machineLine } from "./machine";
import { insertSession, prepareBenchDatabase } from "./prepare";
import { int, markdownTable, ms, writeResults } from "./report";
import { positive, shareMasterKey, Teardown } from "./run";
import { ensureBuild, startServer } from "./server";
import { pageTargets } from "./targets";

/**
 * `npm run bench:web`: Lighthouse (mobile, simulated throttling: Lighthouse's default) in
 * Debian's Chromium against the production server on the bench population, for the pages a
 * first visit and a member's day touch. Signed-in pages get the member's session cookie through
 * Lighthouse's extraHeaders. Each page is measured --runs times (default 3) and the median run
 * (Lighthouse's own choice: closest to the median FCP and TTI) is reported.
 *
 * Flags: --runs N (3), --only ID[,ID] (home, signin, today, journal, step, catalog, program,
 * search, settings), --members N (2000),
 * --build (rebuild), --keep-db. CHROMIUM_PATH overrides /usr/bin/chromium.
 */
const DATABASE = "kindred_bench_web";
const PAGES = [
  "home",
  "signin",
  "today",
  "journal",
  "step",
  "catalog",
  "program",
  "search",
  "settings",
];
const CHROME_FLAGS = ["--headless", ...CHROMIUM_FLAGS];

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    only: { type: "string", multiple: true },
    members: { type: "string", default: "2000" },
    build: { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
  },
});
const runs = positive("runs", args.runs);
const members = positive("members", args.members);
const only = (args.only ?? []).flatMap((o) => o.split(",")).map((o) => o.trim());
const unknown = only.filter((o) => !PAGES.includes(o));
if (unknown.length) {
  console.error(`unknown page(s) ${unknown.join(", ")}; choose from ${PAGES.join(", ")}`);
  process.exit(2);
}

type Lhr = Parameters<typeof computeMedianRun>[0][number];

/**
 * A headless Chromium sometimes withholds the page's first frames for a whole second or two
 * (viz throttles BeginFrames to a client it deems unresponsive: GoogleChrome/lighthouse#17148).
 * The page has loaded and the main thread is idle, yet the first paint is observed 1 or 2 s
 * later, and simulated throttling then counts every request and task before that late paint into
 * FCP and LCP. Such a run is marked, not dropped: its first paint came more than this long after
 * the load event.
 */
const WITHHELD_AFTER_LOAD_MS = 500;

function metrics(lhr: Lhr) {
  const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const observed = (lhr.audits.metrics?.details as { items?: Record<string, number>[] } | undefined)
    ?.items?.[0];
  const observedFcp = observed?.observedFirstContentfulPaint ?? Number.NaN;
  const observedLoad = observed?.observedLoad ?? Number.NaN;
  const summary = lhr.audits["resource-summary"]?.details as
    | { items?: { resourceType: string; transferSize: number }[] }
    | undefined;
  return {
    performance: Math.round((lhr.categories.performance?.score ?? Number.NaN) * 100),
    accessibility: Math.round((lhr.categories.accessibility?.score ?? Number.NaN) * 100),
    tbt: audit("total-blocking-time"),
    lcp: audit("largest-contentful-paint"),
    fcp: audit("first-contentful-paint"),
    cls: audit("cumulative-layout-shift"),
    scriptBytes: summary?.items?.find((i) => i.resourceType === "script")?.transferSize ?? 0,
    observedFcp,
    observedLoad,
    withheld: observedFcp - observedLoad > WITHHELD_AFTER_LOAD_MS,
    finalUrl: lhr.finalDisplayedUrl,
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

const teardown = new Teardown();

async function main() {
  loadDotEnv();
  shareMasterKey();
  const date = new Date();
  const loadAtStart = loadAverage();
  const chromePath = CHROMIUM_PATH;
  if (!existsSync(chromePath))
    throw new Error(
      `Chromium is missing at ${chromePath}: install it with 'apt-get install -y chromium' or set CHROMIUM_PATH`,
    );
  const chromium = execFileSync(chromePath, ["--version"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
  await ensureBuild(args.build);
  const database = await prepareBenchDatabase(DATABASE, { members });
  if (!args["keep-db"]) teardown.add(`dropping ${DATABASE}`, database.drop);
  const machine = await describeMachine(database.url);
  const targets = (await pageTargets(database.url, database.population)).filter(
    (t) => PAGES.includes(t.id) && (only.length === 0 || only.includes(t.id)),
  );

  console.log("starting the production server…");
  const server = await startServer(database.url);
  teardown.add("stopping the server", async () => {
    const failed = Boolean(process.exitCode);
    await server.stop(failed);
    if (failed) console.error(`server log: ${server.logFile}`);
  });
  const cookie = `${sessionCookieName(server.appUrl)}=${await insertSession(
    database.url,
    database.population.memberId,
  )}`;
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROME_FLAGS });
  teardown.add("stopping Chromium", () => chrome.kill());

  const loadBefore = loadAverage();
  let lighthouseVersion = "";
  const rows = [];
  for (const target of targets) {
    const url = server.url + target.path;
    // One unmeasured load first, so no run pays for the server's first render of the route; it
    // must be the page itself, not a redirect or an error page.
    const first = await fetch(url, {
      headers: target.as === "member" ? { cookie } : {},
      redirect: "manual",
    });
    await first.arrayBuffer();
    if (first.status !== 200) throw new Error(`${target.label} answered ${first.status}`);
    const lhrs: Lhr[] = [];
    for (let run = 1; run <= runs; run++) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility"],
        formFactor: "mobile",
        throttlingMethod: "simulate",
        extraHeaders: target.as === "member" ? { Cookie: cookie } : undefined,
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
      const lhr = result.lhr as Lhr;
      if (lhr.runtimeError) throw new Error(`${target.label}: ${lhr.runtimeError.message}`);
      const finalPath = new URL(lhr.finalDisplayedUrl).pathname;
      // Compare paths only: Lighthouse reports the query string as it was sent.
      if (finalPath !== new URL(target.path, url).pathname)
        throw new Error(`${target.label} ended on ${finalPath}: the session was not accepted`);
      lighthouseVersion = lhr.lighthouseVersion;
      lhrs.push(lhr);
    }
    const median = metrics(computeMedianRun(lhrs));
    rows.push({
      id: target.id,
      label: target.label,
      path: target.path,
      ...median,
      runs: lhrs.map(metrics),
    });
    console.log(
      `${target.label.padEnd(24)} performance ${median.performance}, TBT ${ms(median.tbt)}, ` +
        `LCP ${ms(median.lcp)}, CLS ${median.cls.toFixed(3)}, script ${int(median.scriptBytes / 1000)} kB, ` +
        `accessibility ${median.accessibility}`,
    );
  }
  const loadAfter = loadAverage();

  const markdown = markdownTable(rows, [
    { title: "page", value: (r) => r.label },
    { title: "performance", value: (r) => String(r.performance), right: true },
    { title: "TBT", value: (r) => ms(r.tbt), right: true },
    { title: "LCP", value: (r) => ms(r.lcp), right: true },
    { title: "CLS", value: (r) => r.cls.toFixed(3), right: true },
    {
      title: "script transferred",
      value: (r) => `${(r.scriptBytes / 1000).toFixed(1)} kB`,
      right: true,
    },
    { title: "accessibility", value: (r) => String(r.accessibility), right: true },
    {
      title: "performance per run",
      value: (r) => r.runs.map((x) => `${x.performance}${x.withheld ? "*" : ""}`).join(", "),
    },
    {
      title: "observed first paint per run",
      value: (r) => r.runs.map((x) => int(x.observedFcp)).join(", "),
    },
  ]);
  console.log(`\n${markdown}\n`);
  const summary = [
    `# bench:web ${date.toISOString()}`,
    "",
    `Machine: ${machineLine(machine)}; ${chromium}.`,
    `${loadNote(loadAtStart, machine.cores)} Around the measured part: ${loadBefore.join(" / ")} before, ${loadAfter.join(" / ")} after. ` +
      `Lighthouse's own CPU benchmark index (median run): ${rows.map((r) => int(r.benchmarkIndex)).join(", ")}; ` +
      "simulated throttling scales by it, so a busy machine scores lower.",
    `A run marked * had its first frame withheld by the headless compositor: first paint more than ${WITHHELD_AFTER_LOAD_MS} ms after the load event (GoogleChrome/lighthouse#17148), which inflates its simulated FCP and LCP; such runs are kept in the median. ` +
      `${rows.reduce((n, r) => n + r.runs.filter((x) => x.withheld).length, 0)} of ${rows.length * runs} runs were marked.`,
    `Lighthouse ${lighthouseVersion} mobile, simulated throttling, ${runs} run(s) per page, median run reported; ` +
      "signed-in pages as the demo member (session cookie via extraHeaders). Chromium flags: " +
      `\`${CHROME_FLAGS.join(" ")}\`.`,
    "",
    markdown,
  ].join("\n");
  const files = await writeResults(
    "web",
    date,
    {
      date: date.toISOString(),
      machine,
      chromium,
      lighthouse: lighthouseVersion,
      loadAverage: { atStart: loadAtStart, before: loadBefore, after: loadAfter },
      settings: { runs, members, database: DATABASE, chromeFlags: CHROME_FLAGS },
      pages: rows,
    },
    summary,
  );
  console.log(`written: ${files.join(", ")}`);
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => teardown.run());
