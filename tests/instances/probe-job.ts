import { z } from "zod";
import { defineJob } from "@/server/jobs/define";

/** The table the probe job writes one row into per run (created by the test, not a migration). */
export const PROBE_TABLE_SQL = `CREATE TABLE instances_probe (
  key text NOT NULL,
  worker integer NOT NULL,
  ran_at timestamptz NOT NULL DEFAULT now()
)`;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A job whose every run leaves a row (no unique key, so a second run of one job would show as a
 * second row) naming the worker process that ran it. Until two workers have each run one, a run
 * waits (at most a minute): a worker runs one probe at a time, so the other worker must take the
 * next job, and the test can show that both workers share the queue rather than one taking all.
 */
export const probeJob = defineJob({
  name: "test.instances-probe",
  payload: z.object({ key: z.string().max(100) }),
  retry: { limit: 0, delaySeconds: 1, backoff: false },
  async handler({ key }, { db }) {
    await db.$executeRaw`INSERT INTO instances_probe (key, worker) VALUES (${key}, ${process.pid})`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [row] = await db.$queryRaw<{ workers: number }[]>`
        SELECT count(DISTINCT worker)::int AS workers FROM instances_probe`;
      if ((row?.workers ?? 0) >= 2) return;
      await pause(100);
    }
  },
});
