import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { signatureHeader } from "@/server/emulators/stripe";
import { stripeEmulatorKeys } from "@/server/env";
import { loadDotEnv } from "../load-env";
import { benchServerUrl, dropBenchDatabase, recreateBenchDatabase } from "./database";
import { describeMachine, loadAverage, loadNote, machineLine } from "./machine";
import { int, markdownTable, ms, percentile, writeResults } from "./report";
import { positive, shareMasterKey } from "./run";
import { ensureBuild, startServer } from "./server";

/**
 * `npm run bench:webhooks`: Stripe webhooks as Stripe sends them, over HTTP to the production
 * server (launcher, demo deployment, built-in emulator). The demo seed's billing history gives
 * real events (checkouts, subscriptions, invoices, charges); each delivery is one of them under
 * a fresh event id, signed with the deployment's secret. The request verifies, stores once and
 * queues: what Stripe waits for (events per second and latency). A worker then acts on each,
 * re-reading the objects from Stripe (here the emulator, served by the same web server on the
 * same two cores): how long until all are processed. Every event must end PROCESSED.
 *
 * The same rounds twice, like with like: first with no worker on this machine (the launcher
 * with KINDRED_WORKER=off, as a web machine whose workers run elsewhere), then with a worker
 * process (`scripts/worker.ts`) beside it, which first drains what the first rounds left and
 * then processes the second as they arrive, its Stripe reads answered by the emulator inside
 * the same web server. Each pair is one closed-loop round (as fast as N senders go) and one
 * open-loop round (a steady rate whatever the answers; latency from each planned instant).
 *
 * Flags: --events N (2000 per round), --concurrency N (16), --rate N (200 events/s for the
 * steady rounds), --keep-db, --build.
 */
const DATABASE = "kindred_bench_webhooks";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    rate: { type: "string", default: "200" },
    "keep-db": { type: "boolean", default: false },
    build: { type: "boolean", default: false },
  },
});
const settings = {
  events: positive("events", args.events),
  concurrency: positive("concurrency", args.concurrency),
  rate: positive("rate", args.rate),
};
/** Deliveries of the warm-up burst, at full concurrency. */
const WARM_BURST = 400;

const HANDLED = new Set([
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
  "charge.refunded",
]);

async function main() {
  loadDotEnv();
  shareMasterKey();
  await ensureBuild(args.build);
  const server = benchServerUrl();
  const url = await recreateBenchDatabase(server, DATABASE);
  const machine = await describeMachine(url);
  const app = await startServer(url, { KINDRED_WORKER: "off" });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let worker: ChildProcess | undefined;
  const workerLog = `${app.logFile}.worker`;
  try {
    const { rows } = await client.query<{ data: { type: string } & Record<string, unknown> }>(
      `SELECT data FROM "StripeEmuObject" WHERE type = 'event' ORDER BY seq`,
    );
    const templates = rows.map((r) => r.data).filter((e) => HANDLED.has(e.type));
    if (templates.length < 5) throw new Error(`only ${templates.length} demo events to replay`);
    console.log(
      `${templates.length} demo events of ${new Set(templates.map((t) => t.type)).size} types to replay`,
    );
    const { webhookSecret } = stripeEmulatorKeys(app.authSecret);
    /** Seconds from now until `count` events matching `pattern` are processed (or ignored). */
    const drained = async (pattern: string, count: number) => {
      const from = performance.now();
      for (;;) {
        const { rows: done } = await client.query<{ n: string }>(
          `SELECT count(*) AS n FROM "StripeEvent" WHERE id LIKE $1 AND status IN ('PROCESSED', 'IGNORED')`,
          [pattern],
        );
        if (Number(done[0]?.n) >= count) return (performance.now() - from) / 1000;
        if (performance.now() - from > 600_000)
          throw new Error("events not processed within 10 min");
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const endpoint = `${app.url}/api/stripe/webhook`;
    const run = `${Date.now().toString(36)}`;
    const send = async (i: number, phase: string) => {
      const event = { ...templates[i % templates.length]!, id: `evt_bench_${run}_${phase}_${i}` };
      const payload = JSON.stringify(event);
      const started = performance.now();
      const response = await fetch(endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "stripe-signature": signatureHeader(
            payload,
            webhookSecret,
            Math.floor(Date.now() / 1000),
          ),
        },
        body: payload,
      });
      await response.arrayBuffer();
      return { ms: performance.now() - started, status: response.status };
    };
    type Round = Awaited<ReturnType<typeof closedLoop>>;
    const summary = (latencies: number[], statuses: Record<string, number>, seconds: number) => {
      latencies.sort((x, y) => x - y);
      return {
        seconds,
        eventsPerSecond: latencies.length / seconds,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        statuses,
      };
    };
    /** As fast as it goes: `settings.events` deliveries, `settings.concurrency` in flight. */
    const closedLoop = async (phase: string) => {
      const latencies: number[] = [];
      const statuses: Record<string, number> = {};
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: settings.concurrency }, async () => {
          while (next < settings.events) {
            const r = await send(next++, phase);
            statuses[r.status] = (statuses[r.status] ?? 0) + 1;
            if (r.status === 200) latencies.push(r.ms);
          }
        }),
      );
      return summary(latencies, statuses, (performance.now() - started) / 1000);
    };
    /**
     * At a steady rate, as Stripe sends a burst: delivery i leaves at start + i / rate whether or
     * not earlier ones have been answered, and its latency counts from that planned instant (a
     * slow server cannot hide its queue by slowing the sender down).
     */
    const openLoop = async (phase: string) => {
      const latencies: number[] = [];
      const statuses: Record<string, number> = {};
      const count = settings.events;
      const started = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const planned = started + (i * 1000) / settings.rate;
        const wait = planned - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        inFlight.push(
          send(i, phase).then((r) => {
            statuses[r.status] = (statuses[r.status] ?? 0) + 1;
            if (r.status === 200) latencies.push(performance.now() - planned);
          }),
        );
      }
      await Promise.all(inFlight);
      return summary(latencies, statuses, (performance.now() - started) / 1000);
    };
    const outcome = async (phase: string) => {
      const { rows: byStatus } = await client.query<{ status: string; n: string }>(
        `SELECT status, count(*) AS n FROM "StripeEvent" WHERE id LIKE $1 GROUP BY status`,
        [`evt_bench_${run}_${phase}_%`],
      );
      return Object.fromEntries(byStatus.map((o) => [o.status, Number(o.n)]));
    };

    // Warm-up (a fresh server's first requests are slow, its code not yet optimised): the
    // templates one at a time, then a burst at full concurrency. No worker yet: they wait.
    const loadBefore = loadAverage();
    const warmups = templates.length * 2 + WARM_BURST;
    for (let i = 0; i < templates.length * 2; i++) await send(i, "w");
    await Promise.all(
      Array.from({ length: settings.concurrency }, async (_, lane) => {
        for (let i = lane; i < WARM_BURST; i += settings.concurrency)
          await send(templates.length * 2 + i, "w");
      }),
    );

    // No worker on this machine (a web machine whose workers run elsewhere).
    const aloneMax = await closedLoop("a");
    const aloneRate = await openLoop("b");
    const spawned = performance.now();
    const logStream = createWriteStream(workerLog);
    worker = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      env: app.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout?.pipe(logStream);
    worker.stderr?.pipe(logStream);
    const backlog = warmups + 2 * settings.events;
    await drained(`evt_bench_${run}_w_%`, warmups);
    await drained(`evt_bench_${run}_a_%`, settings.events);
    await drained(`evt_bench_${run}_b_%`, settings.events);
    const backlogSeconds = (performance.now() - spawned) / 1000;

    // The worker processing on the same cores as deliveries arrive.
    const sharedMax = await closedLoop("c");
    const sharedRate = await openLoop("d");
    const sharedStarted = performance.now();
    await drained(`evt_bench_${run}_c_%`, settings.events);
    await drained(`evt_bench_${run}_d_%`, settings.events);
    const sharedDrain = (performance.now() - sharedStarted) / 1000;
    const loadAfter = loadAverage();

    const row = (round: string, r: Round, stored: Record<string, number>) => ({
      round,
      ...r,
      stored,
    });
    const rowsOut = [
      row(`no worker here, ${settings.concurrency} in flight`, aloneMax, await outcome("a")),
      row(`no worker here, ${settings.rate} events/s`, aloneRate, await outcome("b")),
      row(
        `worker on the same cores, ${settings.concurrency} in flight`,
        sharedMax,
        await outcome("c"),
      ),
      row(`worker on the same cores, ${settings.rate} events/s`, sharedRate, await outcome("d")),
    ];
    const processing = {
      backlog,
      backlogSeconds,
      backlogPerSecond: backlog / backlogSeconds,
      sharedDrainSeconds: sharedDrain,
    };
    const result = {
      events: settings.events,
      concurrency: settings.concurrency,
      rate: settings.rate,
      templates: templates.length,
      warmups,
      rounds: rowsOut,
      processing,
    };
    const date = new Date();
    const markdown = [
      `# bench:webhooks ${date.toISOString()}`,
      "",
      `Machine: ${machineLine(machine)}.`,
      loadNote(loadBefore, machine.cores),
      `Load average after: ${loadAfter.join(" / ")}.`,
      "",
      `Production build through the launcher (demo deployment, built-in Stripe emulator served by the same web server), PostgreSQL database ${DATABASE}. Every delivery is one of the demo seed's ${templates.length} billing events under a fresh id, signed with the deployment's secret; ${warmups} warm-up deliveries came first. A request verifies the signature, stores the event once and queues it: what Stripe waits for, and what events/s and latency are of. Each round is ${settings.events} deliveries, either as fast as ${settings.concurrency} senders go (closed loop) or at a steady ${settings.rate} events/s whatever the answers (open loop, latency counted from each delivery's planned instant).`,
      "",
      `"No worker here": the launcher runs with KINDRED_WORKER=off, as a web machine whose workers run elsewhere, or while a burst outpaces them. Then a worker process (scripts/worker.ts) starts beside it and drains that backlog, re-reading every object from Stripe, writing it and reading again: ${int(backlog)} events in ${backlogSeconds.toFixed(1)} s (${int(processing.backlogPerSecond)}/s, its start included). "Worker on the same cores": the same rounds while that worker processes them, its Stripe reads answered by the emulator inside the web server (with real Stripe they cost this machine only the wait); the last of them was processed ${sharedDrain.toFixed(1)} s after the last response.`,
      "",
      markdownTable(rowsOut, [
        { title: "round", value: (r) => r.round },
        { title: "events/s", value: (r) => int(r.eventsPerSecond), right: true },
        { title: "p50", value: (r) => ms(r.p50), right: true },
        { title: "p95", value: (r) => ms(r.p95), right: true },
        { title: "p99", value: (r) => ms(r.p99), right: true },
        { title: "statuses", value: (r) => JSON.stringify(r.statuses) },
        { title: "stored as", value: (r) => JSON.stringify(r.stored) },
      ]),
    ].join("\n");
    console.log(markdown);
    const files = await writeResults("webhooks", date, { machine, settings, result }, markdown);
    console.log(`written: ${files.join(", ")}`);
    const failed = rowsOut.some(
      (r) =>
        Object.keys(r.statuses).some((status) => status !== "200") ||
        (r.stored.PROCESSED ?? 0) + (r.stored.IGNORED ?? 0) !== settings.events,
    );
    if (failed) {
      process.exitCode = 1;
      console.error("some deliveries failed or were not processed");
    }
  } finally {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker?.once("exit", resolve));
      worker.kill("SIGTERM");
      await exited;
    }
    await client.end();
    await app.stop(process.exitCode === 1);
    if (!args["keep-db"]) await dropBenchDatabase(server, DATABASE);
  }
}

await main();
