import { TRPCClientError } from "@trpc/client";

/**
 * Whether a failed call is worth sending again unchanged, and when. A refusal the member can act
 * on (invalid input, a conflict, no access) is not; these are:
 * - SERVICE_UNAVAILABLE: the server could not reach its database (or its storage is full) and
 *   says so with `data.retryAfter` (seconds); nothing was saved.
 * - INTERNAL_SERVER_ERROR: an unexpected failure, often the same outage seen from an older server.
 * - no answer at all: the request never reached Kindred, or its answer never came back
 *   (TRPCClientError without `data`, or the fetch's own TypeError).
 */
export type Transient = { kind: "unavailable" | "unreachable"; waitMs: number | null };

/** The server's hint is honoured, within reason: a misconfigured header must not stall a form. */
export const MIN_WAIT_MS = 1_000;
export const MAX_WAIT_MS = 30_000;
/** Used when the server gave no hint; doubled per attempt up to MAX_WAIT_MS. */
export const RETRY_WAIT_MS_FIRST = 2_000;

const RETRIED_CODES = new Set(["SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR", "TIMEOUT"]);

export function transientFailure(error: unknown): Transient | null {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; retryAfter?: unknown } | null | undefined;
    if (!data?.code) return { kind: "unreachable", waitMs: null };
    if (!RETRIED_CODES.has(data.code)) return null;
    const seconds = typeof data.retryAfter === "number" ? data.retryAfter : Number.NaN;
    return {
      kind: data.code === "SERVICE_UNAVAILABLE" ? "unavailable" : "unreachable",
      waitMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null,
    };
  }
  // fetch() rejects with a TypeError when the network fails; anything else is a bug to surface.
  if (error instanceof TypeError) return { kind: "unreachable", waitMs: null };
  return null;
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1): never sooner than the
 * server asked, backing off from RETRY_WAIT_MS_FIRST, always between MIN_WAIT_MS and MAX_WAIT_MS.
 */
export function retryDelay(attempt: number, hintMs: number | null): number {
  const backoff = RETRY_WAIT_MS_FIRST * 2 ** Math.max(0, Math.min(attempt - 1, 10));
  const wait = hintMs === null ? backoff : Math.max(hintMs, Math.min(backoff, hintMs * 2));
  return Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, wait));
}

/** What a form says while a save waits for Kindred to come back (calm: nothing is lost). */
export const PAUSED_TEXT =
  "Saving paused — your text is kept on this device and will be saved when we're back.";
/** What a form says while it sends a recorded press again by itself. */
export const PAUSED_RESENDING =
  "Saving paused — Kindred can't reach its database for a moment. What you entered is kept and will be saved by itself when we're back.";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends `send` until it is answered: while a failure is transient it says so (`onPaused`),
 * waits (`retryDelay`) and sends again; any other failure is thrown. Only for writes that are
 * safe to send twice, i.e. that carry a request id the server recognises (a tick, a check-in).
 */
export async function sendUntilAnswered<T>(
  send: () => Promise<T>,
  onPaused: (failure: Transient) => void,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const failure = transientFailure(error);
      if (!failure) throw error;
      onPaused(failure);
      await wait(retryDelay(attempt, failure.waitMs));
    }
  }
}
