import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { createMailer, type Mailer } from "@/server/email/mailer";
import { prismaOutboxStore } from "@/server/email/outbox";
import { sendQueuedBatch, takeRateSlot } from "@/server/email/send-batch";
import { queueEmail } from "@/server/email/service";
import { createResendEmulator } from "@/server/emulators/resend";
import { type Env, emulatorApiKey, parseEnv } from "@/server/env";
import type { Queue } from "@/server/jobs/queue";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { serveFetch, type TestServer } from "../helpers/http-server";

/**
 * Batched delivery through the real Resend SDK and the emulator: several workers racing over the
 * same emails send each exactly once; a batch cut off after Resend took it is sent again whole
 * under its key and answered from the first attempt; a 429 storm is waited out without loss; a
 * batch Resend refuses falls back to one by one; all workers keep one shared pace.
 */
const SECRET = "email-batch-tests-secret-email-batch-1234";
const FROM = "Kindred <hello@kindred.local>";
const BASE_PATH = "/api/emulators/resend";

let database: TestDatabase;
let workers: Db[];
let db: Db;
let emulator: TestServer;
let env: Env;
let mailer: Mailer;
/** Seconds of `retry-after` to answer the next sending requests with (a 429 storm). */
let storm: number[] = [];
let requests = 0;
let counter = 0;

const noQueue: Queue = { send: async () => null };
const noSleep = async () => {};

async function queued(n: number, label: string, to = (i: number) => `m${i}@example.org`) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { emailId } = await queueEmail(db, noQueue, {
      dedupeKey: `batch-test:${label}:${++counter}`,
      category: "sign-in",
      to: to(i),
      template: { kind: "welcome", name: `Member ${i}`, appUrl: "http://kindred.test" },
    });
    ids.push(emailId);
  }
  return ids;
}

const statuses = async (ids: string[]) =>
  (await db.email.findMany({ where: { id: { in: ids } }, select: { status: true } })).map(
    (r) => r.status,
  );

/** How many stored messages each email's provider id points at, and how many exist for them. */
async function outboxCount(ids: string[]) {
  const rows = await db.email.findMany({ where: { id: { in: ids } }, select: { toAddress: true } });
  return db.outboxMessage.count({
    where: { toAddresses: { hasSome: rows.map((r) => r.toAddress) } },
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  workers = [
    createDb(database.url, { max: 3 }),
    createDb(database.url, { max: 3 }),
    createDb(database.url, { max: 3 }),
  ];
  db = workers[0]!;
  emulator = await serveFetch(async (request) => {
    if (new URL(request.url).pathname.includes("/emails")) requests++;
    return createResendEmulator({
      store: prismaOutboxStore(db),
      apiKey: emulatorApiKey(SECRET),
      basePath: BASE_PATH,
      throttle: () => storm.shift() ?? null,
    })(request);
  });
  env = parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: SECRET,
    KINDRED_DEMO: "1",
    RESEND_BASE_URL: `${emulator.url}${BASE_PATH}`,
    EMAIL_FROM: FROM,
  });
  mailer = createMailer(env);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  for (const w of workers ?? []) await w.$disconnect();
  await database?.drop();
});

describe("batched delivery", () => {
  it("three workers racing over 250 emails send each exactly once, 100 a request", async () => {
    // Distinct addresses per test: each email's copy in the outbox is found by its address.
    const ids = await queued(250, "race", (i) => `race${i}@example.org`);
    const before = requests;
    const shuffled = (seed: number) =>
      [...ids].sort((a, b) => ((a + seed).localeCompare(b + seed) > 0 ? 1 : -1));
    await Promise.all(
      workers.map((w, i) =>
        sendQueuedBatch(w, mailer, shuffled(i), FROM, { ratePerSecond: 100, sleep: noSleep }),
      ),
    );
    expect(new Set(await statuses(ids))).toEqual(new Set(["SENT"]));
    expect(await outboxCount(ids)).toBe(250);
    // 250 emails in batches of at most 100: at least 3 requests, far fewer than 250.
    expect(requests - before).toBeGreaterThanOrEqual(3);
    expect(requests - before).toBeLessThanOrEqual(12);
    const providerIds = await db.email.findMany({
      where: { id: { in: ids } },
      select: { providerId: true },
    });
    expect(new Set(providerIds.map((p) => p.providerId)).size).toBe(250);
  });

  it("a batch cut off after Resend took it is sent again whole, under its key, and not twice", async () => {
    const ids = await queued(30, "cut", (i) => `cut${i}@example.org`);
    // The worker dies (here: throws) after Resend accepted the request, before writing SENT.
    const dying: Mailer = {
      ...mailer,
      async deliverBatch(emails, key) {
        await mailer.deliverBatch(emails, key);
        throw new Error("worker killed after the request");
      },
    };
    await expect(
      sendQueuedBatch(db, dying, ids, FROM, { ratePerSecond: 100, sleep: noSleep }),
    ).rejects.toThrow("worker killed");
    expect(new Set(await statuses(ids))).toEqual(new Set(["SENDING"]));
    expect(await outboxCount(ids)).toBe(30);
    // Its hold lapses; another worker is asked for only some of its emails: it takes the batch whole.
    await db.$executeRaw`UPDATE "Email" SET "lockedUntil" = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE id = ANY(${ids}::text[])`;
    await sendQueuedBatch(workers[1]!, mailer, ids.slice(0, 5), FROM, {
      ratePerSecond: 100,
      sleep: noSleep,
    });
    expect(new Set(await statuses(ids))).toEqual(new Set(["SENT"]));
    expect(await outboxCount(ids)).toBe(30);
  });

  it("waits out a 429 storm as retry-after says, and loses nothing", async () => {
    const ids = await queued(40, "storm", (i) => `storm${i}@example.org`);
    storm = [2, 2, 1, 3, 1];
    const slept: number[] = [];
    await sendQueuedBatch(db, mailer, ids, FROM, {
      ratePerSecond: 100,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    expect(storm).toEqual([]);
    expect(slept.filter((ms) => ms >= 1000)).toEqual([2000, 2000, 1000, 3000, 1000]);
    expect(new Set(await statuses(ids))).toEqual(new Set(["SENT"]));
    expect(await outboxCount(ids)).toBe(40);
  });

  it("a batch Resend refuses (one bad address) goes one by one: only the bad one fails", async () => {
    const ids = await queued(3, "bad", (i) => (i === 1 ? "not-an-address" : `bad${i}@example.org`));
    await sendQueuedBatch(db, mailer, ids, FROM, { ratePerSecond: 100, sleep: noSleep });
    const rows = await db.email.findMany({
      where: { id: { in: ids } },
      select: { toAddress: true, status: true },
      orderBy: { toAddress: "asc" },
    });
    expect(rows).toEqual([
      { toAddress: "bad0@example.org", status: "SENT" },
      { toAddress: "bad2@example.org", status: "SENT" },
      { toAddress: "not-an-address", status: "FAILED" },
    ]);
  });

  it("keeps one pace across workers: each request takes the next free slot", async () => {
    await db.$executeRaw`DELETE FROM "EmailRate"`;
    const waits: number[] = [];
    const started = Date.now();
    await Promise.all(
      workers.flatMap((w) =>
        [0, 1].map(() =>
          takeRateSlot(w, 2, async (ms) => {
            waits.push(ms);
          }),
        ),
      ),
    );
    // Six requests at 2 a second: the first goes at once, the others wait 0.5 s more each.
    expect(waits.length).toBe(5);
    const sorted = waits.sort((a, b) => a - b);
    sorted.forEach((ms, i) => {
      expect(ms).toBeGreaterThan((i + 1) * 500 - 150 - (Date.now() - started));
      expect(ms).toBeLessThanOrEqual((i + 1) * 500 + 50);
    });
  });
});
