import pg from "pg";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob, type JobDefinition } from "@/server/jobs/define";
import { createBoss, ensureQueues, queueFrom, sendAll } from "@/server/jobs/queue";
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

  it("take many jobs in one statement, validated, and skip a singleton key still queued", async () => {
    const job = defineJob({
      name: "test.many",
      payload: z.object({ n: z.number().int() }),
      // As the planner's jobs: one queued job per singleton key.
      policy: "short",
      async handler() {},
    });
    const boss = bosses[0]!;
    await ensureQueues(boss, [job as unknown as JobDefinition]);
    const queue = queueFrom(boss);
    const batch = Array.from({ length: 50 }, (_, n) => ({
      payload: { n },
      options: { singletonKey: `many-${n}` },
    }));
    await sendAll(queue, job, batch);
    // The same keys again, plus one new: only the new one is added.
    await sendAll(queue, job, [
      ...batch,
      { payload: { n: 50 }, options: { singletonKey: "many-50" } },
    ]);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client
      .query<{ n: number; singleton_key: string }>(
        `SELECT (data->>'n')::int AS n, singleton_key FROM pgboss.job WHERE name = 'test.many' ORDER BY 1`,
      )
      .finally(() => client.end());
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 51 }, (_, n) => n));
    expect(rows.every((r) => r.singleton_key === `many-${r.n}`)).toBe(true);
    // A payload its schema refuses is not queued at all.
    await expect(
      sendAll(queue, job, [{ payload: { n: 1.5 } as unknown as { n: number } }]),
    ).rejects.toThrow();
  });
});
