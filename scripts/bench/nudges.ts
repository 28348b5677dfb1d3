import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { createDb } from "@/server/db";
import { migrate } from "@/server/db/migrate";
import { createMailer } from "@/server/email/mailer";
import { prismaOutboxStore } from "@/server/email/outbox";
import { sendQueuedBatch } from "@/server/email/send-batch";
import { createResendEmulator } from "@/server/emulators/resend";
import { emulatorApiKey, parseEnv } from "@/server/env";
import { createBoss, queueFrom } from "@/server/jobs/queue";
import { JOBS } from "@/server/jobs/registry";
import { installQueues } from "@/server/jobs/worker";
import { dailyNudgeJob, planReminders } from "@/server/nudges/reminders";
import { nodeListener } from "../../tests/helpers/http-server";
import { loadDotEnv } from "../load-env";
import { benchServerUrl, dropBenchDatabase, recreateBenchDatabase } from "./database";
import { describeMachine, loadAverage, loadNote, machineLine } from "./machine";
import { int, markdownTable, ms, percentile, writeResults } from "./report";
import { positive, shareMasterKey } from "./run";

/**
 * `npm run bench:nudges`: email nudges at scale, on PostgreSQL.
 *
 * 1. **Planning**: `--members` (100,000) members whose reflection reminder is due, in six zones
 *    at different local times; the planner (`planReminders`, what the `nudges.plan` cron runs)
 *    reads them through the index on `nextReminderAt`, queues their reminders as pg-boss jobs
 *    and moves every `nextReminderAt` on. Reported: the wall time, and the due query's plan.
 * 2. **Sending**: `--emails` (3,000) queued emails sent through the real Resend SDK to the
 *    emulator (on this machine, over HTTP) by two workers at `--rate` requests per second (2, the
 *    default): requests per second achieved as a fraction of the rate, and each email's time
 *    from queued to sent (p50 / p95).
 */
const DATABASE = "kindred_bench_nudges";
/** Members the warm-up pass plans before the measured one. */
const WARM_UP = 20000;
const SECRET = "bench-nudges-secret-bench-nudges-secret-1";

const { values: args } = parseArgs({
  options: {
    members: { type: "string", default: "100000" },
    emails: { type: "string", default: "3000" },
    rate: { type: "string", default: "2" },
    "keep-db": { type: "boolean", default: false },
  },
});
const settings = {
  members: positive("members", args.members),
  emails: positive("emails", args.emails),
  rate: positive("rate", args.rate),
};

async function main() {
  loadDotEnv();
  shareMasterKey();
  const server = benchServerUrl();
  const url = await recreateBenchDatabase(server, DATABASE);
  const machine = await describeMachine(url);
  await migrate({ connectionString: url });
  await installQueues(url, JOBS);
  const db = createDb(url, { max: 4 });
  const boss = createBoss(url, { worker: false });
  await boss.start();
  const http = createServer(
    nodeListener(
      createResendEmulator({
        store: prismaOutboxStore(db),
        apiKey: emulatorApiKey(SECRET),
        basePath: "/resend",
      }),
    ),
  );
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const port = (http.address() as { port: number }).port;
  try {
    // ─── 1. Planning ──────────────────────────────────────────────────────────────────────
    const now = new Date();
    console.log(`seeding ${int(settings.members)} members with a due reminder…`);
    await db.$executeRawUnsafe(`
      INSERT INTO "User" (id, email, name, "timeZone", "updatedAt")
      SELECT 'bench-' || g, 'member' || g || '@bench.example', 'Member ' || g,
             (ARRAY['Europe/London','Europe/Berlin','America/New_York','Asia/Kolkata','Australia/Sydney','UTC'])[1 + g % 6],
             now()
        FROM generate_series(1, ${settings.members}) AS g`);
    await db.$executeRawUnsafe(`
      INSERT INTO "NudgeSettings" ("userId", "reminderMinute", "nextReminderAt", "updatedAt")
      SELECT 'bench-' || g, (g % 96) * 15,
             (now() AT TIME ZONE 'UTC') - make_interval(secs => 1 + g % 3600), now()
        FROM generate_series(1, ${settings.members}) AS g`);
    // A warm-up pass plans these first, as a worker's planner has run the minute before: code
    // compiled, statements prepared, connections open. Their reminders fell due two hours ago,
    // before every measured one.
    await db.$executeRawUnsafe(`
      INSERT INTO "User" (id, email, "updatedAt")
      SELECT 'warm-' || g, 'warm' || g || '@bench.example', now() FROM generate_series(1, ${WARM_UP}) AS g`);
    await db.$executeRawUnsafe(`
      INSERT INTO "NudgeSettings" ("userId", "nextReminderAt", "updatedAt")
      SELECT 'warm-' || g, (now() AT TIME ZONE 'UTC') - interval '2 hours', now()
        FROM generate_series(1, ${WARM_UP}) AS g`);
    // Members whose reminder is not due yet: the index must skip them.
    await db.$executeRawUnsafe(`
      INSERT INTO "User" (id, email, "updatedAt")
      SELECT 'later-' || g, 'later' || g || '@bench.example', now() FROM generate_series(1, ${settings.members}) AS g`);
    await db.$executeRawUnsafe(`
      INSERT INTO "NudgeSettings" ("userId", "nextReminderAt", "updatedAt")
      SELECT 'later-' || g, (now() AT TIME ZONE 'UTC') + make_interval(hours => 1 + g % 20), now()
        FROM generate_series(1, ${settings.members}) AS g`);
    // As a live table is: every row rewritten once since it was made (the planner moves each
    // one on every day), then vacuumed and analysed as autovacuum would. Without this the
    // measured pass would be the first to rewrite freshly loaded, tightly packed pages and to set
    // the hint bits of 200,000 just-inserted rows: costs a table that is written every day does
    // not have.
    await db.$executeRawUnsafe(`UPDATE "NudgeSettings" SET "updatedAt" = now()`);
    await db.$executeRawUnsafe(`VACUUM ANALYZE "NudgeSettings"`);
    await db.$executeRawUnsafe(`VACUUM ANALYZE "User"`);
    // The seeding wrote 400,000 rows: flush them now rather than in the middle of the planning.
    await db.$executeRawUnsafe(`CHECKPOINT`).catch(() => {
      console.log("(CHECKPOINT needs a superuser or pg_checkpoint; skipped)");
    });
    const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
      // A later round's read: after the previous round's last row, in index order.
      `EXPLAIN SELECT n."userId", n."nextReminderAt" FROM "NudgeSettings" n JOIN "User" u ON u.id = n."userId"
        WHERE n."nextReminderAt" <= $1 AND (n."nextReminderAt", n."userId") > ($2, $3)
        ORDER BY n."nextReminderAt", n."userId" LIMIT 5000`,
      now,
      new Date(now.getTime() - 1_800_000),
      "bench-5000",
    );
    const planText = plan.map((r) => r["QUERY PLAN"]).join("\n");
    const warmedUp = await planReminders(db, queueFrom(boss), new Date(now.getTime() - 5_400_000));
    if (warmedUp !== WARM_UP) throw new Error(`warm-up planned ${warmedUp} of ${WARM_UP}`);
    await db.$executeRaw`DELETE FROM pgboss.job WHERE name = ${dailyNudgeJob.name}`;
    const loadBefore = loadAverage();
    const planStarted = performance.now();
    const planned = await planReminders(db, queueFrom(boss), now);
    const planSeconds = (performance.now() - planStarted) / 1000;
    const [jobs] = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pgboss.job WHERE name = ${dailyNudgeJob.name}`;
    const [stillDue] = await db.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "NudgeSettings" WHERE "nextReminderAt" <= ${now}`;

    // ─── 2. Sending ───────────────────────────────────────────────────────────────────────
    const env = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: url,
      NEXTAUTH_SECRET: SECRET,
      KINDRED_DEMO: "1",
      RESEND_BASE_URL: `http://127.0.0.1:${port}/resend`,
    });
    const mailer = createMailer(env);
    await db.$executeRawUnsafe(`
      INSERT INTO "Email" (id, "dedupeKey", category, "toAddress", subject, html, text, "updatedAt", "createdAt")
      SELECT 'bench-email-' || g, 'bench:' || g, 'reflection', 'member' || g || '@bench.example',
             'A few quiet minutes', '<p>Hello</p>', 'Hello', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
        FROM generate_series(1, ${settings.emails}) AS g`);
    const ids = Array.from({ length: settings.emails }, (_, i) => `bench-email-${i + 1}`);
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += 100) chunks.push(ids.slice(i, i + 100));
    let requests = 0;
    const sendStarted = performance.now();
    // Two workers, each taking the next 100 as pg-boss would hand them out.
    await Promise.all(
      [0, 1].map(async () => {
        for (let chunk = chunks.shift(); chunk; chunk = chunks.shift()) {
          await sendQueuedBatch(db, mailer, chunk, env.email.from, {
            ratePerSecond: settings.rate,
          });
          requests++;
        }
      }),
    );
    const sendSeconds = (performance.now() - sendStarted) / 1000;
    const latencies = (
      await db.$queryRaw<{ ms: number }[]>`
        SELECT EXTRACT(EPOCH FROM ("sentAt" - "createdAt")) * 1000 AS ms FROM "Email"
         WHERE id LIKE 'bench-email-%' AND status = 'SENT'`
    )
      .map((r) => Number(r.ms))
      .sort((a, b) => a - b);
    // The first request goes at once; n requests at r a second need (n - 1) / r seconds.
    const achieved = (requests - 1) / sendSeconds;
    const loadAfter = loadAverage();

    const result = {
      members: settings.members,
      planned,
      planSeconds,
      membersPerSecond: planned / planSeconds,
      jobs: Number(jobs?.n),
      stillDue: Number(stillDue?.n),
      usesIndex: planText.includes("NudgeSettings_nextReminderAt_userId_idx"),
      plan: planText,
      emails: settings.emails,
      sent: latencies.length,
      requests,
      sendSeconds,
      rate: settings.rate,
      achievedRequestsPerSecond: achieved,
      fractionOfRate: achieved / settings.rate,
      emailsPerSecond: latencies.length / sendSeconds,
      latencyP50: percentile(latencies, 50),
      latencyP95: percentile(latencies, 95),
    };
    const date = new Date();
    const markdown = [
      `# bench:nudges ${date.toISOString()}`,
      "",
      `Machine: ${machineLine(machine)}.`,
      loadNote(loadBefore, machine.cores),
      `Load average after: ${loadAfter.join(" / ")}.`,
      "",
      `PostgreSQL database ${DATABASE}. **Planning**: ${int(settings.members)} members with a due reflection reminder (six zones, local times every 15 minutes) and as many not yet due, in a table made to look like a live one (every row rewritten once, vacuumed, analysed, checkpointed), after a warm-up pass over 20,000 other members (a worker's planner runs every minute, so it is warm); \`planReminders\` reads the due ones through the index, 5,000 a round, queues their reminders as pg-boss jobs of 200 (one INSERT a round) and moves every \`nextReminderAt\` on while the next round reads. **Sending**: ${int(settings.emails)} queued emails sent by two workers through the real Resend SDK to the emulator over HTTP on this machine, 100 a request, at ${settings.rate} requests per second shared through the \`EmailRate\` row.`,
      "",
      markdownTable(
        [result],
        [
          { title: "due members", value: (r) => int(r.members), right: true },
          { title: "planned in", value: (r) => `${r.planSeconds.toFixed(2)} s`, right: true },
          { title: "members/s", value: (r) => int(r.membersPerSecond), right: true },
          { title: "jobs", value: (r) => int(r.jobs), right: true },
          { title: "left due", value: (r) => int(r.stillDue), right: true },
          { title: "index used", value: (r) => (r.usesIndex ? "yes" : "NO") },
        ],
      ),
      "",
      markdownTable(
        [result],
        [
          { title: "emails sent", value: (r) => `${int(r.sent)} of ${int(r.emails)}`, right: true },
          { title: "requests", value: (r) => int(r.requests), right: true },
          { title: "in", value: (r) => `${r.sendSeconds.toFixed(1)} s`, right: true },
          {
            title: "requests/s",
            value: (r) => r.achievedRequestsPerSecond.toFixed(2),
            right: true,
          },
          {
            title: "of the rate",
            value: (r) => `${(r.fractionOfRate * 100).toFixed(1)} %`,
            right: true,
          },
          { title: "emails/s", value: (r) => int(r.emailsPerSecond), right: true },
          { title: "queued → sent p50", value: (r) => ms(r.latencyP50), right: true },
          { title: "p95", value: (r) => ms(r.latencyP95), right: true },
        ],
      ),
      "",
      "The due query's plan:",
      "",
      "```",
      planText,
      "```",
    ].join("\n");
    console.log(markdown);
    const files = await writeResults("nudges", date, { machine, settings, result }, markdown);
    console.log(`written: ${files.join(", ")}`);
    if (!result.usesIndex || result.stillDue > 0 || result.sent !== settings.emails) {
      process.exitCode = 1;
      console.error(
        "the planner missed members, or the index was not used, or emails were not sent",
      );
    }
  } finally {
    http.close();
    await boss.stop({ graceful: false, wait: true });
    await db.$disconnect();
    if (!args["keep-db"]) await dropBenchDatabase(server, DATABASE);
  }
}

await main();
