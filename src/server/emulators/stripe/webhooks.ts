import { createHmac } from "node:crypto";
import type { EmuContext } from "./context";
import { type AnyObject, eventObject, previousAttributes } from "./objects";
import type { Stored, StripeEmulatorStore, StripeEmuTx } from "./store";

/**
 * Events and their webhook deliveries. An event is stored with the change that caused it (same
 * transaction) together with a delivery row; deliveries are sent later, signed as Stripe signs
 * them, and retried with backoff until the endpoint answers 2xx: at least once, possibly twice.
 */

/** Stores an event (a snapshot of `object`) and queues its delivery. */
export async function emitEvent(
  tx: StripeEmuTx,
  ctx: EmuContext,
  type: string,
  object: Stored,
  before?: Stored,
): Promise<void> {
  const previous = before
    ? previousAttributes(before as Record<string, unknown>, object as Record<string, unknown>)
    : null;
  const event = eventObject({
    created: ctx.now,
    type,
    object: structuredClone(object) as AnyObject,
    previous,
    request: ctx.request,
  });
  await tx.insert(event as unknown as AnyObject);
  await tx.enqueueDelivery(event.id);
  ctx.emitted++;
}

/** Stripe's signature header: `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`. */
export function signatureHeader(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`).digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

/** Seconds before attempt n+1 after n failed ones: 1, 2, 4, … capped at a minute. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(2 ** Math.max(0, attempts - 1), 60);
}

/** After this many attempts (about 15 minutes of retries) a delivery is given up. */
export const MAX_DELIVERY_ATTEMPTS = 20;
const LEASE_SECONDS = 30;
const TIMEOUT_MS = 10_000;

export type DeliveryOptions = {
  store: StripeEmulatorStore;
  /** The endpoint's signing secret (whsec_…). */
  secret: string;
  url: string;
  limit?: number;
  /** Tests: send the claimed events in random order. */
  shuffle?: boolean;
  /** Tests: the share (0..1) of deliveries sent twice. */
  duplicateRate?: number;
  fetch?: typeof fetch;
};

export type DeliveryReport = { attempted: number; delivered: number; failed: number };

async function post(
  send: typeof fetch,
  url: string,
  payload: string,
  secret: string,
): Promise<{ status: number | null; error: string | null }> {
  try {
    const response = await send(url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        "stripe-signature": signatureHeader(payload, secret, Math.floor(Date.now() / 1000)),
      },
      body: payload,
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: "manual",
    });
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status, error: null };
  } catch (error) {
    return { status: null, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Sends the deliveries that are due, one pass. Rows are claimed with FOR UPDATE SKIP LOCKED and
 * a lease, so two processes never send the same attempt at once; a process that dies mid-send
 * leaves the row to be retried when the lease ends.
 */
export async function deliverDueWebhooks(options: DeliveryOptions): Promise<DeliveryReport> {
  const send = options.fetch ?? fetch;
  const claimed = await options.store.claimDeliveries(options.limit ?? 50, LEASE_SECONDS);
  if (options.shuffle) {
    for (let i = claimed.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [claimed[i], claimed[j]] = [claimed[j]!, claimed[i]!];
    }
  }
  const report: DeliveryReport = { attempted: 0, delivered: 0, failed: 0 };
  for (const delivery of claimed) {
    const payload = JSON.stringify(delivery.event, null, 2);
    const times = options.duplicateRate && Math.random() < options.duplicateRate ? 2 : 1;
    let result = { status: null as number | null, error: null as string | null };
    for (let i = 0; i < times; i++) {
      result = await post(send, options.url, payload, options.secret);
    }
    report.attempted++;
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    if (ok) report.delivered++;
    else report.failed++;
    await options.store.finishDelivery(delivery.id, {
      ok,
      status: result.status,
      error: result.error ?? (ok ? null : `HTTP ${result.status}`),
      retryInSeconds:
        ok || delivery.attempt >= MAX_DELIVERY_ATTEMPTS
          ? null
          : retryDelaySeconds(delivery.attempt),
    });
  }
  return report;
}

// One pass at a time per store in this process; a request that arrives during a pass asks for
// another one after it, so nothing emitted waits for the next timer tick.
const passes = new WeakMap<StripeEmulatorStore, { running: boolean; again: boolean }>();

/** Starts a delivery pass in the background (not awaited); errors are logged, never thrown. */
export function triggerDelivery(options: DeliveryOptions & { log?: (line: string) => void }): void {
  const state = passes.get(options.store) ?? { running: false, again: false };
  passes.set(options.store, state);
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = true;
  const log = options.log ?? ((line: string) => console.error(line));
  void (async () => {
    try {
      do {
        state.again = false;
        await deliverDueWebhooks(options);
      } while (state.again);
    } catch (error) {
      log(`[stripe-emulator] webhook delivery failed: ${(error as Error).message}`);
    } finally {
      state.running = false;
    }
  })();
}
