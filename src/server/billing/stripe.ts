import Stripe from "stripe";
import { env } from "../env";

/**
 * The one Stripe client of the process. With real keys it talks to Stripe; on a demo deployment
 * without keys the same SDK talks to the built-in emulator on this server (only the host
 * differs, so every code path is the one production runs).
 */
let cached: { key: string; client: Stripe } | undefined;

export function stripe(): Stripe {
  const billing = env().billing;
  if (cached?.key === billing.secretKey) return cached.client;
  const client = new Stripe(billing.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "Kindred" },
    ...(billing.api ?? {}),
  });
  cached = { key: billing.secretKey, client };
  return client;
}

/** Tests point the client at their own emulator; this forgets the cached one. */
export function resetStripeClient(): void {
  cached = undefined;
}

/**
 * Runs `work` with another client (the demo seed talks to the emulator in-process, before the
 * web server that normally serves it is up), then puts the usual one back.
 */
export async function withStripeClient<T>(client: Stripe, work: () => Promise<T>): Promise<T> {
  const previous = cached;
  cached = { key: env().billing.secretKey, client };
  try {
    return await work();
  } finally {
    cached = previous;
  }
}

export { Stripe };

/** An id from a field that may be an id or an expanded object. */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === "string" ? value : value.id;
}

/** Stripe's seconds since the epoch as a Date. */
export function fromUnix(seconds: number | null | undefined): Date | null {
  return seconds == null ? null : new Date(seconds * 1000);
}
