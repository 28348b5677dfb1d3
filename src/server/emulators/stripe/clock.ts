import { type EmuConfig, type EmuContext, realNow } from "./context";
import { processSubscription } from "./engine";
import { invalidRequest } from "./errors";
import type { EventRequest } from "./objects";
import type { StripeEmulatorStore, StripeEmuReader } from "./store";

/**
 * The emulator's clock: real time plus an offset kept in the database, so every process agrees
 * on "now". Moving it forward runs what fell due in between (trial ends, renewals, retries,
 * cancellations at period end), each at the moment it was due.
 */

const NO_REQUEST: EventRequest = { id: null, idempotency_key: null };
/** One move of the clock is at most five years (the offset is an INTEGER of seconds). */
export const MAX_ADVANCE_SECONDS = 5 * 365 * 86_400;

export async function emulatorNow(reader: StripeEmuReader): Promise<number> {
  return realNow() + (await reader.clockOffset());
}

export function newContext(
  config: EmuConfig,
  now: number,
  request: EventRequest = NO_REQUEST,
): EmuContext {
  return {
    publicBaseUrl: config.publicBaseUrl,
    basePath: config.basePath,
    now,
    request,
    emitted: 0,
  };
}

export type ProcessReport = { now: number; processed: string[]; emitted: number };

/** Runs every piece of subscription work due by the emulator's current time. */
export async function processDueSubscriptions(
  store: StripeEmulatorStore,
  config: EmuConfig,
): Promise<ProcessReport> {
  const now = await emulatorNow(store);
  const processed = new Set<string>();
  let emitted = 0;
  // Each step is its own transaction; the loop ends when a round finds nothing left to do.
  for (let round = 0; round < 100; round++) {
    const ids = await store.dueSubscriptions(now, 100);
    let progress = false;
    for (const id of ids) {
      for (let step = 0; step < 1_000; step++) {
        const ctx = newContext(config, now);
        const did = await store.transaction((tx) => processSubscription(tx, ctx, id, now));
        emitted += ctx.emitted;
        if (!did) break;
        progress = true;
        processed.add(id);
      }
    }
    if (!progress) break;
  }
  return { now, processed: [...processed], emitted };
}

export type AdvanceInput =
  | { seconds: number }
  | { to: "next" }
  | { to: "subscription"; subscription: string };

export type AdvanceReport = ProcessReport & { offsetSeconds: number; advancedSeconds: number };

/** Moves the clock forward (never back) and runs what fell due. */
export async function advanceClock(
  store: StripeEmulatorStore,
  config: EmuConfig,
  input: AdvanceInput,
): Promise<AdvanceReport> {
  const current = await emulatorNow(store);
  let seconds: number;
  if ("seconds" in input) {
    seconds = input.seconds;
  } else if (input.to === "next") {
    const next = (await store.upcoming(1_000)).find((r) => r.dueAt > current)?.dueAt ?? null;
    seconds = next === null ? 0 : next - current;
  } else {
    const row = (await store.upcoming(1_000)).find((r) => r.subscription.id === input.subscription);
    if (!row) throw invalidRequest(`Subscription ${input.subscription} has nothing due.`);
    seconds = Math.max(0, row.dueAt - current);
  }
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
    throw invalidRequest(
      `The clock moves forward by 0 to ${MAX_ADVANCE_SECONDS} whole seconds at a time.`,
      "seconds",
    );
  }
  const offsetSeconds = await store.transaction((tx) => tx.advanceClock(seconds));
  const report = await processDueSubscriptions(store, config);
  return { ...report, offsetSeconds, advancedSeconds: seconds };
}
