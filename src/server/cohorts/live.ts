import { EventEmitter } from "node:events";
import pg from "pg";
import type { Prisma } from "@/generated/prisma/client";
import { canPrepare } from "../db/statement-names";

/**
 * Live feed events across web instances: a write calls `announce` inside its transaction
 * (`pg_notify` is delivered at commit, and never for a rolled-back write); every web process
 * LISTENs on one channel with one dedicated connection and hands each event to the open feed
 * subscriptions of that cohort in this process. An event says only what changed and where, never
 * content: the page reads what the reader may see through the usual procedures.
 *
 * The embedded database (PGlite) shares one session between its connections, where LISTEN
 * cannot tell them apart; there a process polls instead (see `feedEvents`).
 */
export const FEED_CHANNEL = "kindred_cohort_feed";

export type FeedEvent = {
  cohortId: string;
  what: "post" | "comment" | "reaction" | "moderation" | "removed";
  postId: string | null;
};

type Tx = Prisma.TransactionClient;

export async function announce(tx: Tx, event: FeedEvent): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${FEED_CHANNEL}, ${JSON.stringify(event)})`;
}

const bus = new EventEmitter();
bus.setMaxListeners(0);
/** One LISTEN connection per database this process serves (one in production). */
const listeners = new Map<string, Promise<void>>();

function parse(payload: string | undefined): FeedEvent | null {
  try {
    const value = JSON.parse(payload ?? "") as FeedEvent;
    return typeof value?.cohortId === "string" ? value : null;
  } catch {
    return null;
  }
}

/** Starts (once) the LISTEN connection, reconnected after a drop (e.g. a database restart). */
function listen(connectionString: string): Promise<void> {
  const existing = listeners.get(connectionString);
  if (existing) return existing;
  const listening = (async () => {
    const client = new pg.Client({ connectionString });
    client.on("notification", (message) => {
      const event = parse(message.payload);
      if (event) bus.emit(event.cohortId, event);
    });
    client.on("error", () => {
      listeners.delete(connectionString);
      client.end().catch(() => {});
      // Reconnect while anyone here is subscribed. Events written during the gap are not
      // replayed: the page shows them on its next refresh.
      setTimeout(() => {
        if (bus.eventNames().length) void listen(connectionString).catch(() => {});
      }, 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${FEED_CHANNEL}`);
    } catch (error) {
      listeners.delete(connectionString);
      await client.end().catch(() => {});
      throw error;
    }
  })();
  listeners.set(connectionString, listening);
  return listening;
}

/**
 * The events of one cohort's feed until `signal` aborts or the consumer returns (closing the
 * stream). `poll` is the fallback where LISTEN does not work (the embedded database): it returns
 * the newest change time, and an event is made when it moves. A plain iterator rather than an
 * async generator, so that `return()` ends it even while it waits for the next event.
 */
export async function feedEvents(options: {
  connectionString: string;
  cohortId: string;
  signal: AbortSignal | undefined;
  poll: () => Promise<number>;
  pollMs?: number;
}): Promise<AsyncIterable<FeedEvent>> {
  const { cohortId, signal } = options;
  // The embedded database's URL says so (application_name); there LISTEN cannot work.
  const polling = !canPrepare(options.connectionString);
  const queue: FeedEvent[] = [];
  let waiting: ((result: IteratorResult<FeedEvent>) => void) | null = null;
  let closed = false;
  let timer: ReturnType<typeof setInterval> | null = null;

  const push = (event: FeedEvent) => {
    if (waiting) {
      const resolve = waiting;
      waiting = null;
      resolve({ value: event, done: false });
    } else queue.push(event);
  };
  const close = () => {
    if (closed) return;
    closed = true;
    bus.off(cohortId, push);
    if (timer) clearInterval(timer);
    signal?.removeEventListener("abort", close);
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };

  if (polling) {
    let last = await options.poll();
    timer = setInterval(() => {
      options
        .poll()
        .then((at) => {
          if (at > last) {
            last = at;
            push({ cohortId, what: "post", postId: null });
          }
        })
        .catch(() => {});
    }, options.pollMs ?? 3000);
    timer.unref?.();
  } else {
    bus.on(cohortId, push);
    await listen(options.connectionString);
  }
  signal?.addEventListener("abort", close);
  if (signal?.aborted) close();

  const iterator: AsyncIterator<FeedEvent> = {
    next: () => {
      const event = queue.shift();
      if (event) return Promise.resolve({ value: event, done: false });
      if (closed) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    return: () => {
      close();
      return Promise.resolve({ value: undefined, done: true });
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}
