import type { Db } from "../db";
import { noteDatabaseTrouble } from "../db/availability";
import type { Env } from "../env";
import { BOSS_SCHEMA } from "../jobs/queue";

/**
 * Two views of health. The public one (`GET /api/health`, for load balancers and uptime
 * checks) costs one `SELECT 1` and says only up or down. The admin one adds database latency,
 * the job queue and the deployment mode; its queue figures are bounded reads (a count stops at
 * QUEUE_COUNT_CAP), so a huge backlog cannot make the health check itself slow.
 */
export type PublicHealth = { status: "ok" | "down" };

export async function publicHealth(db: Db): Promise<PublicHealth> {
  try {
    await db.$queryRaw`SELECT 1`;
    return { status: "ok" };
  } catch (error) {
    // The driver's message can name hosts and users; it goes to the log, not to the public.
    console.error("[health] database check failed:", (error as Error).message);
    noteDatabaseTrouble();
    return { status: "down" };
  }
}

export const QUEUE_COUNT_CAP = 10_000;

export type Health = {
  status: "ok" | "degraded";
  database: { ok: boolean; latencyMs: number | null; error?: string };
  queue: {
    ok: boolean;
    /** Jobs waiting to run; `queuedCapped` when there are at least QUEUE_COUNT_CAP. */
    queued: number | null;
    queuedCapped: boolean;
    active: number | null;
    oldestQueuedSeconds: number | null;
  };
  mode: { demo: boolean; email: "resend" | "outbox"; billing: "stripe" | "emulator" };
};

const NO_QUEUE = {
  ok: false,
  queued: null,
  queuedCapped: false,
  active: null,
  oldestQueuedSeconds: null,
};

export async function checkHealth(db: Db, env: Env): Promise<Health> {
  const mode = { demo: env.demo, email: env.email.mode, billing: env.billing.mode };
  const started = performance.now();
  try {
    await db.$queryRaw`SELECT 1`;
  } catch (error) {
    console.error("[health] database check failed:", (error as Error).message);
    return {
      status: "degraded",
      database: { ok: false, latencyMs: null, error: "The database did not answer." },
      queue: NO_QUEUE,
      mode,
    };
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  try {
    const rows = await db.$queryRawUnsafe<
      { queued: bigint; active: bigint; oldest: number | null }[]
    >(
      `SELECT
         (SELECT count(*) FROM (SELECT 1 FROM ${BOSS_SCHEMA}.job
            WHERE state < 'active' AND start_after <= now() LIMIT ${QUEUE_COUNT_CAP}) q) AS queued,
         (SELECT count(*) FROM (SELECT 1 FROM ${BOSS_SCHEMA}.job
            WHERE state = 'active' LIMIT ${QUEUE_COUNT_CAP}) a) AS active,
         (SELECT EXTRACT(EPOCH FROM now() - min(created_on))::float8 FROM (SELECT created_on
            FROM ${BOSS_SCHEMA}.job WHERE state < 'active' AND start_after <= now()
            LIMIT ${QUEUE_COUNT_CAP}) o) AS oldest`,
    );
    const row = rows[0];
    const queued = Number(row?.queued ?? 0);
    return {
      status: "ok",
      database: { ok: true, latencyMs },
      queue: {
        ok: true,
        queued,
        queuedCapped: queued >= QUEUE_COUNT_CAP,
        active: Number(row?.active ?? 0),
        oldestQueuedSeconds: row?.oldest == null ? null : Math.round(row.oldest),
      },
      mode,
    };
  } catch {
    return { status: "degraded", database: { ok: true, latencyMs }, queue: NO_QUEUE, mode };
  }
}
