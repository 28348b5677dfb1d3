import type PgBoss from "pg-boss";
import { env } from "../env";
import { createBoss, type Queue, queueFrom } from "./queue";

// The web process only sends jobs; one pg-boss producer per process, started on first use.
const globalForBoss = globalThis as unknown as { kindredBoss?: Promise<PgBoss> };

export function producerBoss(): Promise<PgBoss> {
  globalForBoss.kindredBoss ??= (async () => {
    const boss = createBoss(env().databaseUrl, { worker: false });
    boss.on("error", (error) => console.error("[queue]", error.message));
    await boss.start();
    return boss;
  })().catch((error) => {
    globalForBoss.kindredBoss = undefined;
    throw error;
  });
  return globalForBoss.kindredBoss;
}

export async function producerQueue(): Promise<Queue> {
  return queueFrom(await producerBoss());
}
