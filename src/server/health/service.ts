import type { Db } from "../db";
import type { Env } from "../env";
import { BOSS_SCHEMA } from "../jobs/queue";

export type Health = {
  status: "ok" | "degraded";
  database: { ok: boolean; latencyMs: number | null; error?: string };
  queue: {
    ok: boolean;
    queued: number | null;
    active: number | null;
    oldestQueuedSeconds: number | null;
  };
  mode: { demo: boolean; email: "resend" | "outbox"; billing: "stripe" | "emulator" };
};

export async function checkHealth(db: Db, env: Env): Promise<Health> {
  const mode = { demo: env.demo, email: env.email.mode, billing: env.billing.mode };
  const started = performance.now();
  try {
    await db.$queryRaw`SELECT 1`;
  } catch (error) {
    // The driver's message can name hosts and users; it goes to the log, not to the public.
    console.error("[health] database check failed:", (error as Error).message);
    return {
      status: "degraded",
      database: { ok: false, latencyMs: null, error: "The database did not answer." },
      queue: { ok: false, queued: null, active: null, oldestQueuedSeconds: null },
      mode,
    };
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  try {
    const rows = await db.$queryRawUnsafe<
      { queued: bigint; active: bigint; oldest: number | null }[]
    >(
      `SELECT count(*) FILTER (WHERE state IN ('created','retry') AND start_after <= now()) AS queued,
              count(*) FILTER (WHERE state = 'active') AS active,
              EXTRACT(EPOCH FROM now() - min(created_on) FILTER (WHERE state IN ('created','retry') AND start_after <= now()))::float8 AS oldest
         FROM ${BOSS_SCHEMA}.job`,
    );
    const row = rows[0];
    return {
      status: "ok",
      database: { ok: true, latencyMs },
      queue: {
        ok: true,
        queued: Number(row?.queued ?? 0),
        active: Number(row?.active ?? 0),
        oldestQueuedSeconds: row?.oldest == null ? null : Math.round(row.oldest),
      },
      mode,
    };
  } catch {
    return {
      status: "degraded",
      database: { ok: true, latencyMs },
      queue: { ok: false, queued: null, active: null, oldestQueuedSeconds: null },
      mode,
    };
  }
}
