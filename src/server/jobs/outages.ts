import { databaseUnavailability } from "../db/availability";

/**
 * pg-boss 10 completes or fails a finished job without awaiting it (`this.complete(…)` and
 * `this.fail(…)` in its worker loop): when the database is away at that moment, the promise
 * rejects with no one listening, and Node ends the process. Nothing is lost by going on (the job
 * stays active until its expiry and is then retried; handlers are idempotent), so a worker
 * process logs such a rejection and carries on. Any other unhandled rejection still ends the
 * process, as Node's default does, so a bug is not hidden.
 */
export function surviveDatabaseOutages(log: (line: string) => void = console.error): void {
  process.on("unhandledRejection", (reason) => {
    if (databaseUnavailability(reason)) {
      const message = reason instanceof Error ? reason.message : String(reason);
      log(`[worker] the database is away (${message}); pg-boss retries the job after its expiry`);
      return;
    }
    console.error("Unhandled promise rejection:", reason);
    process.exit(1);
  });
}
