import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { sessionCookieName } from "@/server/auth/tokens";
import { migrate } from "@/server/db/migrate";
import { groupAlive } from "../../tests/instances/processes";
import { describeMachine, loadAverage, machineLine } from "../bench/machine";
import { seedPopulation } from "../bench/population";
import { markdownTable, stamp, writeResults } from "../bench/report";
import { ensureBuild } from "../bench/server";
import { type Cluster, createCluster } from "../fault/cluster";
import { SoakClient } from "./client";
import { restoreDrill } from "./drill";
import { FAULTS, runFaults, schedule } from "./faults";
import { Load } from "./load";
import { type Stack, startStack } from "./stack";
import { totals, verify, waitForDrain } from "./verify";
import { readWorld } from "./world";

/**
 * `npm run soak`: the production build on a PostgreSQL cluster of the soak's own (so it can be
 * stopped), two web processes behind a balancer and two workers, a mixed load of members,
 * a coach and sign-ins over HTTP, and faults on a printed schedule; then every acknowledged
 * write is looked for in the database, every sign-in email counted in the outbox, every
 * process checked gone, and (unless --no-drill) a backup restored and served.
 * Exit code 1 when anything acknowledged is missing, any request was answered 500, any email
 * was lost or sent twice, any process outlived the run, or the drill failed.
 *
 * Flags: --minutes N (10), --members N (200), --answers N (20), --users N (12), --seed N (1),
 * --max-requests N (default 60 per second of the run), --outage S (20), --out PATH (the
 * results' base name; default bench-results/soak-<date>), --no-drill, --build.
 */
const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    members: { type: "string", default: "200" },
    answers: { type: "string", default: "20" },
    users: { type: "string", default: "12" },
    seed: { type: "string", default: "1" },
    "max-requests": { type: "string" },
    outage: { type: "string", default: "20" },
    workers: { type: "string", default: "2" },
    out: { type: "string" },
    "no-drill": { type: "boolean", default: false },
    build: { type: "boolean", default: false },
  },
});

function number(name: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) {
    console.error(`--${name} must be a number of at least ${min} (got "${value}")`);
    process.exit(2);
  }
  return n;
}

const settings = {
  minutes: number("minutes", args.minutes, 1),
  members: Math.round(number("members", args.members, 10)),
  answers: Math.round(number("answers", args.answers, 1)),
  users: Math.round(number("users", args.users, 3)),
  seed: Math.round(number("seed", args.seed, 0)),
  outageSeconds: number("outage", args.outage, 1),
  workers: Math.round(number("workers", args.workers, 1)),
  drill: !args["no-drill"],
};
const runMs = settings.minutes * 60_000;
const maxRequests = args["max-requests"]
  ? Math.round(number("max-requests", args["max-requests"], 100))
  : Math.round((runMs / 1000) * 60);
const DATABASE = "kindred_soak";

const log = (line: string) => console.log(line);
const s = (ms: number) => (ms / 1000).toFixed(1);

// ─── cleanup, always ───────────────────────────────────────────────────────────────────
let cluster: Cluster | undefined;
let stack: Stack | undefined;
let dataRoot: string | undefined;
let cleaning: Promise<void> | undefined;
function cleanup() {
  cleaning ??= (async () => {
    stack?.killAll();
    await stack?.proxy.close().catch(() => {});
    await cluster?.destroy().catch((error: Error) => console.error(`cluster: ${error.message}`));
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true }).catch(() => {});
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the soak, cleaning up…`);
    void cleanup().then(() => process.exit(130));
  });
}

async function main() {
  const date = new Date();
  const loadAtStart = loadAverage();
  await ensureBuild(args.build, log);

  log("starting a PostgreSQL cluster of the soak's own…");
  cluster = await createCluster({ label: "soak" });
  dataRoot = await mkdtemp(path.join(tmpdir(), "kindred-soak-"));
  const admin = new pg.Client({ connectionString: cluster.url("postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const url = cluster.url(DATABASE);
  await migrate({ connectionString: url });
  let started = performance.now();
  const population = await seedPopulation(url, {
    members: settings.members,
    answers: settings.answers,
    peoplePerMember: 6,
    ticksPerMember: 20,
  });
  const c = population.counts;
  log(
    `seeded in ${s(performance.now() - started)} s (the bench population, smaller): ${c.users} users, ` +
      `${c.passes} answers, ${c.commitments} commitments, ${c.checkIns} check-ins, ${c.practiceTicks} ticks`,
  );
  const machine = await describeMachine(url);

  log("starting 2 web processes, the balancer and the workers…");
  started = performance.now();
  stack = await startStack({
    databaseUrl: url,
    dataRoot,
    workers: settings.workers,
    log,
    env: {
      // Emails go out at a pace that keeps a send job active most of the time, and a killed
      // worker's emails are taken over soon after (the sweep runs each minute).
      EMAIL_RATE_PER_SECOND: "0.2",
      EMAIL_SEND_LOCK_SECONDS: "15",
    },
  });
  log(`  ready in ${s(performance.now() - started)} s; balancer at ${stack.proxy.url}`);

  const world = await readWorld(url, settings.members);
  const client = new SoakClient(
    stack.proxy.url,
    sessionCookieName(stack.proxy.url),
    // A write gives up after this long without an answer: longer than any planned outage.
    Math.max(90_000, settings.outageSeconds * 1000 * 4),
    maxRequests,
  );
  const load = new Load(client, world, {
    users: settings.users,
    seed: settings.seed,
    thinkMs: [150, 700],
    signInEverySeconds: 3.5,
  });

  const times = schedule(runMs);
  log(
    `\nload: ${settings.users} virtual users (${settings.users - 2} members, 1 coach, 1 sign-in) for ` +
      `${settings.minutes} min, at most ${maxRequests} requests; fault schedule (s after the load starts):`,
  );
  for (const [i, fault] of FAULTS.entries()) log(`  ${s(times[i]!).padStart(6)}  ${fault.title}`);
  log("");

  load.start();
  const clock = () => Date.now() - client.started;
  const faults = await runFaults(
    {
      cluster,
      stack,
      client,
      load,
      world,
      databaseUrl: url,
      outageMs: settings.outageSeconds * 1000,
      clock,
      log,
    },
    times,
  );
  const remaining = runMs - clock();
  if (remaining > 0) {
    log(`faults done; load goes on for ${s(remaining)} s`);
    await new Promise((resolve) => setTimeout(resolve, remaining));
  }
  log("stopping the load (each user finishes what it is doing)…");
  await load.stop();
  const loadSeconds = clock() / 1000;

  log("waiting for the email queue to drain…");
  const drain = await waitForDrain(url, load.ledger, 240_000);
  log(`  ${drain.drained ? "drained" : `NOT drained: ${drain.left} email(s) still queued`}`);

  log("stopping every process (SIGTERM)…");
  const exitCodes = await stack.stopAll();
  const children = stack.all();
  const orphans = children.filter((child) => groupAlive(child.pid)).map((child) => child.name);

  log("verifying against the database…");
  const verdict = await verify(url, load.ledger);

  let drill: Awaited<ReturnType<typeof restoreDrill>> | null = null;
  if (settings.drill) {
    log("restore drill…");
    drill = await restoreDrill({ cluster, database: DATABASE, dataRoot, log }).catch((error) => {
      log(`  FAILED: ${(error as Error).message}`);
      return null;
    });
  }

  // ─── the report ──────────────────────────────────────────────────────────────────────
  const events = client.events;
  const perFault = faults.map((fault, i) => {
    const from = client.started + fault.injectedAt;
    // Until 10 s after recovery (a client waits 5 s before it retries), never into the next fault.
    const next = faults[i + 1]?.injectedAt ?? Number.POSITIVE_INFINITY;
    const to = client.started + Math.min((fault.recoveredAt ?? fault.endedAt) + 10_000, next);
    const inWindow = events.filter((e) => e.t >= from && e.t <= to);
    const count = (o: string) => inWindow.filter((e) => e.outcome === o).length;
    return {
      ...fault,
      recoverySeconds:
        fault.recoveredAt === null ? null : (fault.recoveredAt - fault.endedAt) / 1000,
      answered503: count("503"),
      droppedRetried: count("conn"),
      answered500: count("500"),
      otherErrors: count("5xx"),
    };
  });
  const all500 = events.filter((e) => e.outcome === "500").length;
  const other5xx = events.filter((e) => e.outcome === "5xx").length;
  const t = totals(verdict);
  const ledger = load.ledger;
  const failures: string[] = [];
  if (t.missing) failures.push(`${t.missing} acknowledged write(s) missing`);
  if (all500) failures.push(`${all500} answer(s) 500`);
  if (other5xx) failures.push(`${other5xx} other 5xx answer(s) (not 503)`);
  if (ledger.unexpected.length) failures.push(`${ledger.unexpected.length} unexpected answer(s)`);
  if (ledger.gaveUp.length) failures.push(`${ledger.gaveUp.length} write(s) given up on`);
  if (verdict.emails.lost) failures.push(`${verdict.emails.lost} sign-in email(s) lost`);
  if (verdict.emails.duplicated || verdict.emails.duplicateMessages)
    failures.push("sign-in email(s) sent twice");
  if (orphans.length) failures.push(`orphan process group(s): ${orphans.join(", ")}`);
  if (!drain.drained) failures.push("the email queue did not drain");
  for (const f of perFault) {
    if (f.recoveredAt === null) failures.push(`${f.id}: no recovery`);
    if (f.notes.some((n) => n.startsWith("FAILED")))
      failures.push(`${f.id}: ${f.notes.join("; ")}`);
  }
  if (stack.unexpectedExits.length)
    failures.push(
      `process(es) exited by themselves: ${stack.unexpectedExits.map((e) => `${e.name} (${e.signal ?? e.code})`).join(", ")}`,
    );
  if (settings.drill && !drill?.ok) failures.push("the restore drill failed");

  const faultTable = markdownTable(perFault, [
    { title: "fault", value: (f) => f.id },
    { title: "injected at", value: (f) => `${s(f.injectedAt)} s`, right: true },
    { title: "lasted", value: (f) => `${s(f.endedAt - f.injectedAt)} s`, right: true },
    {
      title: "recovery",
      value: (f) => (f.recoverySeconds === null ? "NONE" : `${f.recoverySeconds.toFixed(1)} s`),
      right: true,
    },
    { title: "503 retried", value: (f) => String(f.answered503), right: true },
    { title: "dropped, retried", value: (f) => String(f.droppedRetried), right: true },
    { title: "500", value: (f) => String(f.answered500), right: true },
  ]);
  const writeTable = markdownTable(Object.entries(verdict.writes), [
    { title: "acknowledged write", value: ([k]) => k },
    { title: "acked", value: ([, w]) => String(w.acked), right: true },
    { title: "found", value: ([, w]) => String(w.found), right: true },
    { title: "superseded", value: ([, w]) => String(w.superseded), right: true },
    { title: "missing", value: ([, w]) => String(w.missing), right: true },
  ]);
  const e = verdict.emails;
  const lines = [
    `# soak ${date.toISOString()}`,
    "",
    `Machine: ${machineLine(machine)}. Load average at start: ${loadAtStart.join(" / ")}.`,
    `Run: ${settings.minutes} min of load (${loadSeconds.toFixed(0)} s with the stop), ${settings.users} virtual users, ` +
      `${client.requests} requests (cap ${maxRequests}), seed ${settings.seed}; population ${c.users} users, ${c.passes} answers ` +
      `(bench population with --members ${settings.members} --answers ${settings.answers}); ` +
      `2 web processes, ${settings.workers} workers, PostgreSQL outages of ${settings.outageSeconds} s.`,
    "",
    "## Faults",
    "",
    faultTable,
    "",
    ...perFault.map((f) => `- **${f.id}** (${f.title}): ${f.notes.join("; ")}`),
    "",
    "Recovery: from the end of the fault (database started, process restarted, store writable) until " +
      "every web process answers /api/health 200 and a write is acknowledged again; for the worker kill, " +
      "until every email in its hands is sent; for process faults, until the new process is healthy. " +
      "503s, dropped connections and 500s are counted from injection until 10 s after recovery (or the next fault).",
    "",
    "## What the server acknowledged, found in the database at the end",
    "",
    writeTable,
    "",
    `Total: ${t.acked} acknowledged writes, ${t.found} found (incl. superseded), **${t.missing} missing**. ` +
      `HTTP 500: **${all500}**; other 5xx: ${other5xx}; 503 answers retried: ${ledger.counts.retried503}; ` +
      `dropped connections retried: ${ledger.counts.retriedConn}; requests the balancer re-routed: ${stack.proxy.rerouted()}.`,
    `Refusals by the app's rules (expected): ${JSON.stringify(ledger.refused)}.`,
    `Unexpected answers: ${ledger.unexpected.length ? JSON.stringify(ledger.unexpected.slice(0, 10)) : "none"}; ` +
      `writes given up on: ${ledger.gaveUp.length}.`,
    ...(verdict.missingExamples.length
      ? ["", "Missing:", ...verdict.missingExamples.map((m) => `- ${m}`)]
      : []),
    "",
    "## Jobs and emails",
    "",
    `Sign-in emails requested and acknowledged: ${e.requested}; sent exactly once: ${e.sentOnce}; ` +
      `lost: **${e.lost}**; sent twice: **${e.duplicated}** (duplicate outbox messages overall: ${e.duplicateMessages}). ` +
      `email.send jobs: ${verdict.jobs.failed} failed, ${verdict.jobs.retried} retried, ${verdict.jobs.stillActive} still active. ` +
      `Queue drained: ${drain.drained}.`,
    "",
    "## Processes",
    "",
    `${children.length} processes started over the run; exit codes at the end: ${JSON.stringify(exitCodes)}; ` +
      `orphans: ${orphans.length ? orphans.join(", ") : "none"}; exits nobody asked for: ${
        stack.unexpectedExits.length ? JSON.stringify(stack.unexpectedExits) : "none"
      }.`,
    "",
    "## Restore drill",
    "",
    drill
      ? `pg_dump -Fc ${(drill.dumpBytes / 1024 / 1024).toFixed(1)} MB in ${drill.dumpSeconds.toFixed(1)} s; ` +
        `pg_restore into a new database in ${drill.restoreSeconds.toFixed(1)} s; a web process on it: /api/health ` +
        `${drill.health ?? "no answer"}, exit ${drill.webExit}; ${drill.tables.length} tables compared, ` +
        `${drill.mismatched.length ? `MISMATCHED: ${drill.mismatched.join(", ")}` : "all row counts equal"} ` +
        `(${drill.tables
          .filter((t) =>
            [
              'public."AnswerPass"',
              'public."AnswerDraft"',
              'public."CommitmentCheckIn"',
              'public."PracticeTick"',
              'public."Email"',
              'public."Upload"',
            ].includes(t.table),
          )
          .map((t) => `${t.table.replace("public.", "").replace(/"/g, "")} ${t.original}`)
          .join(", ")}).`
      : settings.drill
        ? "FAILED (see the log)."
        : "not run (--no-drill).",
    "",
    `## Verdict: ${failures.length ? `FAILED — ${failures.join("; ")}` : "PASSED"}`,
  ];
  const markdown = lines.join("\n");
  console.log(`\n${markdown}\n`);

  const json = {
    date: date.toISOString(),
    machine,
    loadAverage: { atStart: loadAtStart, atEnd: loadAverage() },
    settings: { ...settings, maxRequests, database: DATABASE },
    population: c,
    requests: client.requests,
    faults: perFault,
    verdict,
    totals: { ...t, http500: all500, other5xx, ...ledger.counts },
    refused: ledger.refused,
    unexpected: ledger.unexpected,
    gaveUp: ledger.gaveUp,
    drain,
    exitCodes,
    orphans,
    unexpectedExits: stack.unexpectedExits,
    drill: drill && { ...drill },
    acknowledged: {
      passes: ledger.passes,
      checkIns: ledger.checkIns,
      ticks: ledger.ticks,
      uploads: ledger.uploads,
      signIns: ledger.signIns,
      drafts: [...ledger.drafts.values()].filter((d) => d.acked),
      steps: Object.fromEntries([...ledger.steps].filter(([, v]) => v.acked !== undefined)),
    },
    failures,
  };
  if (args.out) {
    await writeFile(`${args.out}.json`, `${JSON.stringify(json, null, 2)}\n`);
    await writeFile(`${args.out}.md`, `${markdown}\n`);
    log(`written: ${args.out}.json, ${args.out}.md`);
  } else {
    const files = await writeResults("soak", date, json, markdown);
    log(`written: ${files.join(", ")} (soak-${stamp(date)})`);
  }
  if (failures.length) process.exitCode = 1;
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
