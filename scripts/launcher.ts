import "./node-env";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { sealPlainRows } from "@/server/crypto/backfill";
import { createDb } from "@/server/db";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "@/server/db/embedded";
import { migrate } from "@/server/db/migrate";
import { DEMO_ACCOUNTS } from "@/server/demo";
import { EnvError, parseEnv } from "@/server/env";
import { surviveDatabaseOutages } from "@/server/jobs/outages";
import { createBoss, queueFrom } from "@/server/jobs/queue";
import { JOBS } from "@/server/jobs/registry";
import { installQueues, startWorker, type Worker } from "@/server/jobs/worker";
import { importLegacyUploads } from "@/server/uploads/import-folder";
import { seedDemo } from "../prisma/seed";
import { seedBilling } from "../prisma/seed-billing";
import { listenLine, openDemoWarning } from "./banner";
import { loadDotEnv } from "./load-env";

/**
 * One command for a whole Kindred: database (embedded PGlite unless DATABASE_URL is set),
 * migrations, demo seed, background worker and the web server (Next.js behind scripts/web.ts).
 * Ctrl-C / SIGTERM stops all of it in order: web server first (its own process group; it
 * finishes requests in flight), then the worker, then the database.
 */
const mode = process.argv[2] === "dev" ? "dev" : "start";
const dataDir = path.resolve(process.env.KINDRED_DATA_DIR ?? ".data");
const nextBin = path.resolve("node_modules/next/dist/bin/next");
const webScript = path.resolve("scripts/web.ts");

let embedded: EmbeddedPostgres | undefined;
let worker: Worker | undefined;
let web: ChildProcess | undefined;
let stopping = false;

function say(line: string) {
  console.log(`[kindred] ${line}`);
}

function persistentSecret(): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(48).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nextBin, ...args], { env, stdio: "inherit" });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say("stopping…");
  if (web?.pid && web.exitCode === null) {
    const exited = new Promise((resolve) => web?.once("exit", resolve));
    try {
      process.kill(-web.pid, "SIGTERM");
    } catch {}
    const timer = setTimeout(() => {
      try {
        if (web?.pid) process.kill(-web.pid, "SIGKILL");
      } catch {}
    }, 10_000);
    await exited;
    clearTimeout(timer);
  }
  await worker?.stop().catch((e) => say(`worker stop: ${(e as Error).message}`));
  await embedded?.stop().catch((e) => say(`database stop: ${(e as Error).message}`));
  say("stopped");
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
// `npm start` runs us under `sh -c`; when npm is stopped, sh may die without passing the signal
// on. Being re-parented means whoever started us is gone: stop rather than linger as an orphan.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown(0);
}, 1000).unref();

async function main() {
  loadDotEnv();
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  process.env.PORT ??= "3000";
  await mkdir(dataDir, { recursive: true });

  if (!process.env.DATABASE_URL) {
    // No database configured: this is a first run or a demo. Demo mode turns on the Stripe
    // emulator and the mailbox; it is never switched on implicitly for a configured database.
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, "pg"),
      port: Number(process.env.KINDRED_DB_PORT) || undefined,
      maxConnections: 40,
    });
    process.env.DATABASE_URL = embedded.url;
    process.env.KINDRED_DEMO ??= "1";
  }
  if (process.env.KINDRED_DEMO === "1" || mode === "dev")
    process.env.NEXTAUTH_SECRET ??= persistentSecret();
  (process.env as Record<string, string>).NODE_ENV = mode === "dev" ? "development" : "production";

  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      await shutdown(1);
    }
    throw error;
  }
  process.env.APP_URL ??= env.appUrl;
  process.env.NEXTAUTH_URL ??= env.appUrl;

  const result = await migrate({ connectionString: env.databaseUrl });
  const db = createDb(env.databaseUrl, { max: 4, preparedStatements: env.preparedStatements });
  await importLegacyUploads(db, say);
  // Private text written before encryption at rest is sealed in the background; reads return a
  // plain value as it is meanwhile (crypto/backfill.ts).
  void sealPlainRows(db).then(
    (totals) => {
      const n = Object.values(totals).reduce((a, b) => a + b, 0);
      if (n > 0) say(`sealed ${n} row(s) of private text written before encryption at rest`);
    },
    (e) => say(`sealing earlier rows stopped: ${(e as Error).message} (npm run keys -- seal)`),
  );
  let seeded: string[] = [];
  if (env.demo) seeded = (await seedDemo(db)).created;
  // KINDRED_WORKER=off: this machine runs migrations and the web server only; workers run
  // elsewhere (`npm run worker`). The queues are still installed, so the web can send jobs.
  const ownWorker = process.env.KINDRED_WORKER !== "off";
  if (ownWorker) {
    surviveDatabaseOutages(say);
    worker = await startWorker({ db, env, jobs: JOBS, log: say });
  } else await installQueues(env.databaseUrl, JOBS);
  if (env.demo) {
    const boss = worker?.boss ?? createBoss(env.databaseUrl, { worker: false });
    if (!worker) await boss.start();
    try {
      if (await seedBilling(db, env, async () => queueFrom(boss))) seeded.push("demo billing");
    } finally {
      if (!worker) await boss.stop({ graceful: false, wait: true });
    }
  }

  if (mode === "start" && !existsSync(path.resolve(".next/BUILD_ID"))) {
    say("no production build yet: building (about a minute)…");
    const code = await run(["build"], process.env);
    if (code !== 0) {
      say("the build failed; see above");
      return shutdown(code);
    }
  }

  web = spawn(process.execPath, ["--import", "tsx", webScript, mode], {
    // The embedded database answers one query at a time: more web processes would only queue.
    env: embedded ? { ...process.env, WEB_CONCURRENCY: "1" } : process.env,
    stdio: "inherit",
    detached: true,
  });
  web.on("exit", (code) => {
    if (!stopping) {
      say(`web server exited (${code ?? "signal"})`);
      void shutdown(code ?? 1);
    }
  });

  const lines = [
    `Kindred (${mode === "dev" ? "development" : "production build"}) on ${env.appUrl}`,
    listenLine(env),
    `database: ${embedded ? `embedded PGlite in ${path.relative(process.cwd(), dataDir)}/pg` : "DATABASE_URL"} (${result.applied.length} new migration(s))${seeded.length ? `, demo data seeded` : ""}`,
    `email: ${env.email.mode === "resend" ? "Resend" : `demo outbox, read it at ${env.appUrl}/mailbox`}`,
    `billing: ${env.billing.mode === "stripe" ? "Stripe" : "simulated (built-in Stripe emulator)"}`,
    ownWorker
      ? `worker: in this process, ${JOBS.length} job types`
      : "worker: none here (KINDRED_WORKER=off); run `npm run worker` next to it",
  ];
  if (env.demo) {
    lines.push(`demo accounts (sign in at ${env.appUrl}/signin):`);
    for (const a of DEMO_ACCOUNTS) lines.push(`  ${a.role.toLowerCase().padEnd(6)} ${a.email}`);
  }
  lines.push("Ctrl-C stops everything.");
  for (const line of lines) say(line);
  const warning = openDemoWarning(env);
  if (warning) console.warn(warning);
}

main().catch((error) => {
  console.error(error);
  void shutdown(1);
});
