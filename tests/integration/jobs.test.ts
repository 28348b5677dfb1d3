import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createDb, type Db } from "@/server/db";
import { prismaOutboxStore } from "@/server/email/outbox";
import { queueEmail } from "@/server/email/service";
import { createResendEmulator } from "@/server/emulators/resend";
import { type Env, emulatorApiKey, parseEnv } from "@/server/env";
import { defineJob } from "@/server/jobs/define";
import { JOBS } from "@/server/jobs/registry";
import { startWorker, type Worker } from "@/server/jobs/worker";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { serveFetch, type TestServer } from "../helpers/http-server";

// The mailer and the emulator share the key derived from it, as in a demo deployment.
const SECRET = "email-tests-secret-email-tests-secret-1234";

/** The real pg-boss worker on a real database: jobs run, retry, and email goes out once. */
let database: TestDatabase;
let db: Db;
let env: Env;
let emulator: TestServer;
let worker: Worker;

const seen: { id: string; attempt: number }[] = [];
const flaky = new Map<string, number>();

const recordJob = defineJob({
  name: "test.record",
  payload: z.object({ id: z.string() }),
  retry: { limit: 3, delaySeconds: 1, backoff: false },
  async handler({ id }) {
    const attempt = (flaky.get(id) ?? 0) + 1;
    flaky.set(id, attempt);
    if (id.startsWith("fail-once") && attempt === 1) throw new Error("transient failure");
    seen.push({ id, attempt });
  },
});

/** The same, fetched 10 at a time and run 3 at once. */
const batchedJob = defineJob({
  ...recordJob,
  name: "test.batched",
  batch: { size: 10, concurrency: 3 },
});

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("condition not met in time");
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { max: 4 });
  emulator = await serveFetch(
    createResendEmulator({
      store: prismaOutboxStore(db),
      apiKey: emulatorApiKey(SECRET),
      basePath: "/api/emulators/resend",
    }),
  );
  env = parseEnv({
    NODE_ENV: "test",
    KINDRED_DEMO: "1",
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: SECRET,
    RESEND_BASE_URL: `${emulator.url}/api/emulators/resend`,
  });
  worker = await startWorker({
    db,
    env,
    jobs: [...JOBS, recordJob, batchedJob],
    log: () => {},
    pollingIntervalSeconds: 0.5,
  });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await emulator?.close();
  await db?.$disconnect();
  await database?.drop();
});

describe("worker", () => {
  it("runs a sent job with its validated payload", async () => {
    const { queueFrom } = await import("@/server/jobs/queue");
    await queueFrom(worker.boss).send(recordJob, { id: "plain" });
    await until(() => seen.some((s) => s.id === "plain"));
    expect(seen.filter((s) => s.id === "plain")).toEqual([{ id: "plain", attempt: 1 }]);
  });

  it("refuses a payload that does not match the job's schema before it is queued", async () => {
    const { queueFrom } = await import("@/server/jobs/queue");
    await expect(
      queueFrom(worker.boss).send(recordJob, { id: 42 } as unknown as { id: string }),
    ).rejects.toThrow(/expected string/i);
  });

  it("retries a failed job", async () => {
    const { queueFrom } = await import("@/server/jobs/queue");
    await queueFrom(worker.boss).send(recordJob, { id: "fail-once-1" });
    await until(() => seen.some((s) => s.id === "fail-once-1"));
    expect(seen.filter((s) => s.id === "fail-once-1")).toEqual([{ id: "fail-once-1", attempt: 2 }]);
  });

  it("drains a batched queue in one poll, failing and retrying only the job that failed", async () => {
    const { queueFrom } = await import("@/server/jobs/queue");
    const ids = Array.from({ length: 8 }, (_, i) => (i === 3 ? "fail-once-batch" : `batch-${i}`));
    for (const id of ids) await queueFrom(worker.boss).send(batchedJob, { id });
    await until(() => ids.every((id) => seen.some((s) => s.id === id)));
    for (const id of ids) {
      expect(seen.filter((s) => s.id === id)).toEqual([
        { id, attempt: id === "fail-once-batch" ? 2 : 1 },
      ]);
    }
  });

  it("registers the cron schedules of the registry", async () => {
    const schedules = await worker.boss.getSchedules();
    expect(schedules.map((s) => s.name).sort()).toEqual(
      expect.arrayContaining(["email.sweep", "maintenance.prune-rate-limits"]),
    );
  });

  it("delivers a queued email through the Resend SDK exactly once, even if queued twice", async () => {
    const { queueFrom } = await import("@/server/jobs/queue");
    const queue = queueFrom(worker.boss);
    const input = {
      dedupeKey: "test:welcome:once",
      category: "welcome",
      to: "once@example.org",
      template: { kind: "welcome" as const, name: "Once", appUrl: "http://localhost" },
    };
    const first = await queueEmail(db, queue, input);
    const second = await queueEmail(db, queue, input);
    expect(second.emailId).toBe(first.emailId);
    await until(
      async () =>
        (await db.email.findUniqueOrThrow({ where: { id: first.emailId } })).status === "SENT",
    );
    // Give a duplicate job every chance to run before counting.
    await new Promise((r) => setTimeout(r, 1500));
    const outbox = await db.outboxMessage.findMany({
      where: { toAddresses: { has: "once@example.org" } },
    });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.subject).toBe("Welcome to Kindred");
    expect(outbox[0]!.text).toContain("Once");
  });
});
