import { processDueSubscriptions } from "./clock";
import type { EmuConfig } from "./context";
import type { StripeEmulatorStore } from "./store";
import { deliverDueWebhooks } from "./webhooks";

/**
 * The worker's part: every couple of seconds, run subscription work that fell due in real time
 * (renewals happen without anyone moving the clock) and deliver due webhooks, with retries.
 */
export type StripeEmulatorDelivery = { runOnce: () => Promise<void>; stop: () => Promise<void> };

export function startStripeEmulatorDelivery(options: {
  store: StripeEmulatorStore;
  /** The webhook signing secret (whsec_…). */
  secret: string;
  url: string;
  /** Where hosted pages live, for invoices that renewals create. Without it, no renewals run. */
  config?: EmuConfig;
  intervalMs?: number;
  log?: (line: string) => void;
}): StripeEmulatorDelivery {
  const log = options.log ?? ((line: string) => console.error(line));
  const interval = options.intervalMs ?? 2_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let passes = 0;

  async function runOnce(): Promise<void> {
    try {
      if (options.config) await processDueSubscriptions(options.store, options.config);
      await deliverDueWebhooks({ store: options.store, secret: options.secret, url: options.url });
      // Stripe forgets idempotency keys after 24 hours; so does the emulator (now and then).
      if (++passes % 500 === 1) await options.store.pruneIdempotency(24 * 3600);
    } catch (error) {
      log(`[stripe-emulator] background pass failed: ${(error as Error).message}`);
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      current = runOnce().finally(schedule);
    }, interval);
    timer.unref?.();
  }
  schedule();

  return {
    runOnce: () => runOnce(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
