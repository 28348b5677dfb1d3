import type PgBoss from "pg-boss";
import type { Db } from "../db";
import {
  prismaStripeEmulatorStore,
  startStripeEmulatorDelivery,
  stripeEmulatorSettings,
} from "../emulators/stripe";
import type { Env } from "../env";
import type { JobDefinition } from "./define";
import { createBoss, ensureQueues, queueFrom } from "./queue";

export type Worker = { boss: PgBoss; stop: () => Promise<void> };

/**
 * Starts pg-boss as a worker: installs or upgrades its schema, creates the queues, subscribes a
 * handler per job and registers cron schedules. Several workers may run at once; pg-boss hands
 * each job to one of them (SKIP LOCKED) and handlers are idempotent for the rare redelivery.
 */
export async function startWorker(options: {
  db: Db;
  env: Env;
  jobs: readonly JobDefinition[];
  log?: (line: string) => void;
  pollingIntervalSeconds?: number;
}): Promise<Worker> {
  const log = options.log ?? ((line) => console.log(line));
  const boss = createBoss(options.env.databaseUrl, { worker: true });
  boss.on("error", (error) => log(`[worker] pg-boss error: ${error.message}`));
  await boss.start();
  await ensureQueues(boss, options.jobs);
  const queue = queueFrom(boss);

  for (const job of options.jobs) {
    await boss.work(
      job.name,
      {
        pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
        batchSize: job.batch?.size ?? 1,
      },
      async (batch) => {
        if (job.handleBatch) {
          const items = batch.map((item) => ({
            jobId: item.id,
            payload: job.payload.parse(item.data),
          }));
          const { failed } = await job.handleBatch(items, {
            db: options.db,
            env: options.env,
            queue,
          });
          for (const id of failed) {
            await boss.fail(job.name, id, { message: "failed in its batch; retrying" });
          }
          return;
        }
        const run = async (item: (typeof batch)[number]) => {
          const payload = job.payload.parse(item.data);
          await job.handler(payload, {
            db: options.db,
            env: options.env,
            queue,
            jobId: item.id,
            retryCount: 0,
          });
        };
        if (batch.length === 1) return run(batch[0]!);
        // pg-boss completes or fails a batch as a whole: a job that fails is failed here on its
        // own (retried with its policy), and only the jobs still active are completed after.
        let next = 0;
        const lanes = Array.from(
          { length: Math.min(job.batch?.concurrency ?? 1, batch.length) },
          async () => {
            while (next < batch.length) {
              const item = batch[next++]!;
              try {
                await run(item);
              } catch (error) {
                const message = error instanceof Error ? error.message : String(error);
                await boss.fail(job.name, item.id, { message });
              }
            }
          },
        );
        await Promise.all(lanes);
      },
    );
    if (job.cron) {
      await boss.schedule(job.name, job.cron.expression, job.cron.payload as object, { tz: "UTC" });
    }
  }

  // A demo's Stripe emulator: renewals that fall due and webhook deliveries (with retries).
  const stripe = stripeEmulatorSettings(options.env);
  const stripeEmulator = stripe
    ? startStripeEmulatorDelivery({
        store: prismaStripeEmulatorStore(options.db),
        secret: stripe.webhookSecret,
        url: stripe.webhookUrl,
        config: { publicBaseUrl: stripe.publicBaseUrl, basePath: stripe.basePath },
        log,
      })
    : null;

  return {
    boss,
    async stop() {
      await stripeEmulator?.stop();
      // Graceful: running handlers finish (up to 20 s), unfinished jobs are retried later.
      await boss.stop({ graceful: true, timeout: 20_000, wait: true });
    },
  };
}

/** Installs pg-boss's schema and Kindred's queues without running any handler. */
export async function installQueues(databaseUrl: string, jobs: readonly JobDefinition[]) {
  const boss = createBoss(databaseUrl, { worker: true });
  await boss.start();
  try {
    await ensureQueues(boss, jobs);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
