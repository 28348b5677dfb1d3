import "./node-env";
import { db } from "@/server/db";
import { EnvError, env } from "@/server/env";
import { surviveDatabaseOutages } from "@/server/jobs/outages";
import { JOBS } from "@/server/jobs/registry";
import { startWorker } from "@/server/jobs/worker";
import { loadDotEnv } from "./load-env";

// Production worker: run one or more of these next to the web processes.
loadDotEnv();
try {
  env();
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
surviveDatabaseOutages();
const worker = await startWorker({ db: db(), env: env(), jobs: JOBS });
console.log(`[worker] running ${JOBS.length} job types`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[worker] ${signal}: finishing running jobs`);
  await worker.stop();
  await db().$disconnect();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
