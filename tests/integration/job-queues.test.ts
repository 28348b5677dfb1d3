import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, type JobDefinition } from "@/server/jobs/define";
import { createBoss, ensureQueues } from "@/server/jobs/queue";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

/**
 * Several workers starting at once on a database without queues, as a scaled-out deployment
 * does after a fresh install: each creates every queue. pg-boss 10's create_queue deadlocks
 * when two connections create queues at the same moment (each holds the queue table's row lock
 * the other's partition attach waits for), which stopped a worker at start; found by the
 * several-instances test (tests/instances).
 */
let database: TestDatabase;
const bosses: PgBoss[] = [];

const jobs = Array.from({ length: 6 }, (_, i) =>
  defineJob({ name: `test.concurrent-${i}`, payload: z.object({}), async handler() {} }),
) as unknown as JobDefinition[];

beforeAll(async () => {
  database = await createTestDatabase();
  for (let i = 0; i < 4; i++) {
    const boss = createBoss(database.url, { worker: true });
    await boss.start();
    bosses.push(boss);
  }
});
afterAll(async () => {
  for (const boss of bosses) await boss.stop({ graceful: false, wait: true });
  await database?.drop();
});

describe("job queues", () => {
  it("are created once when several workers start at the same moment", async () => {
    const results = await Promise.allSettled(bosses.map((boss) => ensureQueues(boss, jobs)));
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const names = (await bosses[0]!.getQueues())
      .map((q) => q.name)
      .filter((name) => name.startsWith("test."))
      .sort();
    expect(names).toEqual(jobs.map((j) => j.name).sort());
  });
});
