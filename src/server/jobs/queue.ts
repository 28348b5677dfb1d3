import PgBoss from "pg-boss";
import type { z } from "zod";
import type { JobDefinition } from "./define";

export const BOSS_SCHEMA = "pgboss";

export type SendOptions = { singletonKey?: string; startAfter?: Date | number };

export type QueuedJob<S extends z.ZodType> = { payload: z.infer<S>; options?: SendOptions };

/** The narrow face of pg-boss the rest of the code uses: send a typed job. */
export type Queue = {
  send<S extends z.ZodType>(
    job: JobDefinition<S>,
    payload: z.infer<S>,
    options?: SendOptions,
  ): Promise<string | null>;
  /** Many jobs of one kind in one statement (a singleton key already queued is skipped). */
  sendMany?<S extends z.ZodType>(job: JobDefinition<S>, jobs: QueuedJob<S>[]): Promise<void>;
};

/** Sends many jobs, in one statement where the queue can, else one by one side by side. */
export async function sendAll<S extends z.ZodType>(
  queue: Queue,
  job: JobDefinition<S>,
  jobs: QueuedJob<S>[],
): Promise<void> {
  if (!jobs.length) return;
  if (queue.sendMany) return queue.sendMany(job, jobs);
  await Promise.all(jobs.map((item) => queue.send(job, item.payload, item.options)));
}

export function createBoss(connectionString: string, options: { worker: boolean }): PgBoss {
  return new PgBoss({
    connectionString,
    schema: BOSS_SCHEMA,
    // Producers (the web process) only enqueue: no maintenance, no cron, no schema changes.
    supervise: options.worker,
    schedule: options.worker,
    migrate: options.worker,
    max: options.worker ? 4 : 2,
  });
}

const DEADLOCK = "40P01";
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the queues that do not exist yet. Every worker calls this at start, so several may
 * run it at the same moment on a fresh database, and pg-boss 10's create_queue deadlocks when
 * two connections create queues at once (each holds a row lock on the queue table that the
 * other's partition attach waits for); PostgreSQL then aborts one of them. create_queue is
 * idempotent (ON CONFLICT DO NOTHING, in one statement), so the aborted call is simply retried
 * after a short random pause. An advisory lock would avoid the deadlock instead, but held in a
 * transaction it would stall the embedded database (one open transaction at a time) and held
 * on a session it would leak behind PgBouncer in transaction mode.
 */
export async function ensureQueues(boss: PgBoss, jobs: readonly JobDefinition[]): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
  for (const job of jobs) {
    if (existing.has(job.name)) continue;
    for (let attempt = 1; ; attempt++) {
      try {
        await boss.createQueue(job.name, {
          name: job.name,
          policy: job.policy ?? "standard",
          retryLimit: job.retry?.limit ?? 5,
          retryDelay: job.retry?.delaySeconds ?? 10,
          retryBackoff: job.retry?.backoff ?? true,
          expireInSeconds: job.expireInSeconds ?? 300,
        });
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== DEADLOCK || attempt >= 5) throw error;
        await pause(50 + Math.random() * 200 * attempt);
      }
    }
  }
}

export function queueFrom(boss: PgBoss): Queue {
  return {
    async send(job, payload, options = {}) {
      const data = job.payload.parse(payload) as object;
      return boss.send(job.name, data, {
        singletonKey: options.singletonKey,
        startAfter: options.startAfter,
      });
    },
    async sendMany(job, jobs) {
      // pg-boss's insert is one INSERT … ON CONFLICT DO NOTHING over the whole list, so the
      // singleton keys hold as with send.
      await boss.insert(
        jobs.map(({ payload, options = {} }) => ({
          name: job.name,
          data: job.payload.parse(payload) as object,
          singletonKey: options.singletonKey,
          startAfter:
            typeof options.startAfter === "number"
              ? String(options.startAfter)
              : options.startAfter,
        })),
      );
    },
  };
}
