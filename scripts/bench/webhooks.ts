import { parseArgs } from "node:util";
import pg from "pg";
import { signatureHeader } from "@/server/emulators/stripe";
import { stripeEmulatorKeys } from "@/server/env";
import { loadDotEnv } from "../load-env";
import { benchServerUrl, dropBenchDatabase, recreateBenchDatabase } from "./database";
import { describeMachine, loadAverage, loadNote, machineLine } from "./machine";
import { int, markdownTable, ms, percentile, writeResults } from "./report";
import { positive } from "./run";
import { ensureBuild, startServer } from "./server";

/**
 * `npm run bench:webhooks`: Stripe webhooks as Stripe sends them, over HTTP to the production
 * server (launcher, demo deployment, built-in emulator). The demo seed's billing history gives
 * real events (checkouts, subscriptions, invoices, charges); each delivery is one of them under
 * a fresh event id, signed with the deployment's secret. The request verifies, stores once and
 * queues (what Stripe waits for: events per second and latency); the launcher's worker then acts
 * on each, re-reading the objects from Stripe (here the emulator, on the same server and cores):
 * how long until all are processed. Every event must end PROCESSED.
 *
 * Flags: --events N (2000), --concurrency N (16), --keep-db, --build.
 */
const DATABASE = "kindred_bench_webhooks";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    "keep-db": { type: "boolean", default: false },
    build: { type: "boolean", default: false },
  },
});
const settings = {
  events: positive("events", args.events),
  concurrency: positive("concurrency", args.concurrency),
};

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
  await ensureBuild(args.build);
  const server = benchServerUrl();
  const url = await recreateBenchDatabase(server, DATABASE);
  const machine = await describeMachine(url);
  const app = await startServer(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
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
    const send = async (i: number, phase: "w" | "m" = "m") => {
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
    // Warm-up: one pass over the templates (the first requests of a fresh server are slow).
    for (let i = 0; i < templates.length * 2; i++) await send(i, "w");
    await drained(`evt_bench_${run}_w_%`, templates.length * 2);
    const loadBefore = loadAverage();
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: settings.concurrency }, async () => {
        while (next < settings.events) {
          const r = await send(next++);
          statuses[r.status] = (statuses[r.status] ?? 0) + 1;
          if (r.status === 200) latencies.push(r.ms);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // The worker acts on what was received: how long until every event is processed.
    const processedAfter = await drained(`evt_bench_${run}_m_%`, settings.events);
    const loadAfter = loadAverage();
    latencies.sort((a, b) => a - b);
    const { rows: outcome } = await client.query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM "StripeEvent" WHERE id LIKE $1 GROUP BY status`,
      [`evt_bench_${run}_m_%`],
    );
    const result = {
      events: settings.events,
      concurrency: settings.concurrency,
      seconds,
      eventsPerSecond: latencies.length / seconds,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
      statuses,
      processedAfterSeconds: processedAfter,
      processedPerSecond: settings.events / processedAfter,
      stored: Object.fromEntries(outcome.map((o) => [o.status, Number(o.n)])),
      templates: templates.length,
    };
    const date = new Date();
    const markdown = [
      `# bench:webhooks ${date.toISOString()}`,
      "",
      `Machine: ${machineLine(machine)}.`,
      loadNote(loadBefore, machine.cores),
      `Load average after: ${loadAfter.join(" / ")}.`,
      "",
      `Production build through the launcher (demo deployment, built-in Stripe emulator on the same server), PostgreSQL database ${DATABASE}. ${settings.events} signed deliveries of the demo seed's ${templates.length} billing events under fresh ids, ${settings.concurrency} in flight, after a warm-up of ${templates.length * 2} sequential ones. The request verifies the signature, stores the event once and queues it (what Stripe waits for); the worker then re-reads the objects from Stripe, writes them and reads again. "All processed after" is counted from the last response.`,
      "",
      markdownTable(
        [result],
        [
          { title: "events", value: (r) => int(r.events), right: true },
          { title: "events/s", value: (r) => int(r.eventsPerSecond), right: true },
          { title: "p50", value: (r) => ms(r.p50), right: true },
          { title: "p95", value: (r) => ms(r.p95), right: true },
          { title: "p99", value: (r) => ms(r.p99), right: true },
          { title: "statuses", value: (r) => JSON.stringify(r.statuses) },
          {
            title: "all processed after",
            value: (r) => `${r.processedAfterSeconds.toFixed(1)} s`,
            right: true,
          },
          { title: "processed/s", value: (r) => int(r.processedPerSecond), right: true },
          { title: "stored as", value: (r) => JSON.stringify(r.stored) },
        ],
      ),
    ].join("\n");
    console.log(markdown);
    const files = await writeResults("webhooks", date, { machine, settings, result }, markdown);
    console.log(`written: ${files.join(", ")}`);
    const failed = Object.entries(statuses).filter(([s]) => s !== "200");
    if (
      failed.length ||
      (result.stored.PROCESSED ?? 0) + (result.stored.IGNORED ?? 0) !== settings.events
    ) {
      process.exitCode = 1;
      console.error("some deliveries failed or were not processed");
    }
  } finally {
    await client.end();
    await app.stop(process.exitCode === 1);
    if (!args["keep-db"]) await dropBenchDatabase(server, DATABASE);
  }
}

await main();
