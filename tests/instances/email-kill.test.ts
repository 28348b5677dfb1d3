import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { prismaOutboxStore } from "@/server/email/outbox";
import { createResendEmulator } from "@/server/emulators/resend";
import { emulatorApiKey } from "@/server/env";
import { createBoss } from "@/server/jobs/queue";
import { JOBS } from "@/server/jobs/registry";
import { installQueues } from "@/server/jobs/worker";
import type { TestDatabase } from "../helpers/database";
import { serveFetch, type TestServer } from "../helpers/http-server";
import { type Child, killGroup, productionEnv, startChild, stopChild, waitFor } from "./processes";
import { sharedDatabase } from "./shared-database";

/**
 * Exactly once under fire: 10,000 queued emails, four worker processes (scripts/worker.ts)
 * sending them in batches to the Resend emulator over HTTP, and two of the workers killed with
 * SIGKILL while batches are in flight, then started again. Every email must end SENT, and the
 * emulator must hold exactly one message per email: none lost, none twice.
 */
const EMAILS = 10_000;

let database: TestDatabase;
let db: Db;
let emulator: TestServer;
let dataRoot: string;
let requests = 0;
/** Requests whose idempotency key was seen before: a batch sent again after a kill. */
let replays = 0;
const keys = new Set<string>();
const workers: Child[] = [];

beforeAll(async () => {
  database = await sharedDatabase();
  db = createDb(database.url, { max: 4 });
  dataRoot = await mkdtemp(path.join(tmpdir(), "kindred-email-kill-"));
}, 120_000);

afterAll(async () => {
  for (const w of workers) killGroup(w);
  await emulator?.close();
  await db?.$disconnect();
  await database?.drop();
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
});

describe("four workers, two killed mid-batch", () => {
  it("send 10,000 emails exactly once", async () => {
    const base = productionEnv(database.url, {
      // A pace that keeps the run long enough for kills to land mid-batch.
      EMAIL_RATE_PER_SECOND: "6",
      // A killed worker's batches are taken over after 10 s (the sweep runs each minute).
      EMAIL_SEND_LOCK_SECONDS: "10",
    });
    const handle = createResendEmulator({
      store: prismaOutboxStore(db),
      apiKey: emulatorApiKey(base.NEXTAUTH_SECRET as string),
      basePath: "/resend",
    });
    emulator = await serveFetch(async (request) => {
      requests++;
      const key = request.headers.get("idempotency-key");
      if (key && keys.has(key)) replays++;
      if (key) keys.add(key);
      // A second in flight per request: most of the time each worker has a batch on the wire,
      // so the kills land mid-request (Resend took it, the worker never heard back).
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return handle(request);
    });
    const env = { ...base, RESEND_BASE_URL: `${emulator.url}/resend` };

    await installQueues(database.url, JOBS);
    await db.$executeRawUnsafe(`
      INSERT INTO "Email" (id, "dedupeKey", category, "toAddress", subject, html, text, "updatedAt")
      SELECT 'kill-' || g, 'kill:' || g, 'reflection', 'kill' || g || '@example.org',
             'A few quiet minutes', '<p>Hello</p>', 'Hello', now() AT TIME ZONE 'UTC'
        FROM generate_series(1, ${EMAILS}) AS g`);
    const boss = createBoss(database.url, { worker: false });
    await boss.start();
    for (let start = 1; start <= EMAILS; start += 1000) {
      const jobs = Array.from({ length: Math.min(1000, EMAILS - start + 1) }, (_, i) => ({
        name: "email.send",
        data: { emailId: `kill-${start + i}` },
        singletonKey: `kill-${start + i}`,
      }));
      await boss.insert(jobs);
    }
    await boss.stop({ graceful: false, wait: true });

    const start = (i: number, round: number) =>
      startChild(`worker ${i}.${round}`, ["--import", "tsx", "scripts/worker.ts"], {
        ...env,
        KINDRED_DATA_DIR: path.join(dataRoot, `worker-${i}-${round}`),
      });
    for (const i of [0, 1, 2, 3]) workers.push(start(i, 0));
    const sent = async () =>
      Number(
        (
          await db.$queryRaw<{ n: bigint }[]>`
            SELECT count(*) AS n FROM "Email" WHERE id LIKE 'kill-%' AND status = 'SENT'`
        )[0]?.n,
      );
    // Once some are out, kill two workers hard while they hold batches, and start them again.
    await waitFor(
      "the first emails to go",
      async () => ((await sent()) >= 1500 ? true : undefined),
      {
        timeoutMs: 120_000,
      },
    );
    for (const victim of [workers[0], workers[1]] as Child[]) {
      process.kill(-victim.pid, "SIGKILL");
      await victim.exited;
    }
    const beforeRestart = await sent();
    expect(beforeRestart).toBeLessThan(EMAILS);
    workers.push(start(0, 1), start(1, 1));
    const alive = () => workers.filter((w) => w.process.exitCode === null && !w.process.signalCode);

    await waitFor(
      "every email to be sent",
      async () => ((await sent()) === EMAILS ? true : undefined),
      { timeoutMs: 240_000, children: alive() },
    );

    // Exactly one stored message per email: none lost, none twice.
    const [counts] = await db.$queryRaw<{ messages: bigint; addresses: bigint }[]>`
      SELECT count(*) AS messages, count(DISTINCT "toAddresses"[1]) AS addresses
        FROM "OutboxMessage" WHERE "toAddresses"[1] LIKE 'kill%@example.org'`;
    expect(Number(counts?.messages)).toBe(EMAILS);
    expect(Number(counts?.addresses)).toBe(EMAILS);
    const failed = await db.email.count({
      where: { id: { startsWith: "kill-" }, status: "FAILED" },
    });
    expect(failed).toBe(0);
    // The kills did cut batches off: their emails were claimed again (after the lock lapsed).
    const reclaimed = await db.email.count({
      where: { id: { startsWith: "kill-" }, attempts: { gt: 1 } },
    });
    console.log(`[email-kill] ${requests} requests, ${replays} replayed, ${reclaimed} reclaimed`);
    expect(reclaimed).toBeGreaterThan(0);
    // Batches, not one request per email.
    expect(requests).toBeLessThan(EMAILS / 20);
    for (const w of alive()) await stopChild(w);
  }, 400_000);
});
