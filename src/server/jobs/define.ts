import type { z } from "zod";
import type { Db } from "../db";
import type { Env } from "../env";
import type { Queue } from "./queue";

export type JobContext = { db: Db; env: Env; queue: Queue; jobId: string; retryCount: number };

/**
 * A background job: a name, a zod schema for its payload (checked when sent and when run),
 * an idempotent handler, and optionally a cron schedule. Handlers must tolerate running twice:
 * pg-boss delivers at least once.
 */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  name: string;
  payload: S;
  handler: (payload: z.infer<S>, ctx: JobContext) => Promise<void>;
  cron?: { expression: string; payload: z.infer<S> };
  retry?: { limit: number; delaySeconds: number; backoff: boolean };
  expireInSeconds?: number;
  /**
   * Jobs fetched per poll (default 1) and how many of them run at once (default 1). pg-boss polls
   * again only after its interval, so a queue that must drain fast (webhook events) takes a
   * batch; each job of a batch succeeds or fails (and is retried) on its own.
   */
  batch?: { size: number; concurrency: number };
  /**
   * Handles a whole fetched batch at once instead of job by job (e.g. one provider request for
   * many emails). Returns the ids of the jobs that failed (each retried on its own), or throws to
   * fail them all.
   */
  handleBatch?: (
    items: { jobId: string; payload: z.infer<S> }[],
    ctx: Omit<JobContext, "jobId" | "retryCount">,
  ) => Promise<{ failed: string[] }>;
  /** pg-boss queue policy; "short" keeps at most one queued job per singletonKey. */
  policy?: "standard" | "short" | "singleton" | "stately";
};

export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}
