import PgBoss from "pg-boss";
import type { z } from "zod";
import type { JobDefinition } from "./define";

export const BOSS_SCHEMA = "pgboss";

export type SendOptions = { singletonKey?: string; startAfter?: Date | number };

/** The narrow face of pg-boss the rest of the code uses: send a typed job. */
export type Queue = {
  send<S extends z.ZodType>(
    job: JobDefinition<S>,
    payload: z.infer<S>,
    options?: SendOptions,
  ): Promise<string | null>;
};

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

export async function ensureQueues(boss: PgBoss, jobs: readonly JobDefinition[]): Promise<void> {
  for (const job of jobs) {
    await boss.createQueue(job.name, {
      name: job.name,
      policy: job.policy ?? "standard",
      retryLimit: job.retry?.limit ?? 5,
      retryDelay: job.retry?.delaySeconds ?? 10,
      retryBackoff: job.retry?.backoff ?? true,
      expireInSeconds: job.expireInSeconds ?? 300,
    });
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
  };
}
