import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { EMBEDDED_APPLICATION_NAME } from "./statement-names";

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port through the Postgres
 * wire protocol, so the app, pg-boss and the tests reach it exactly as they reach a real server.
 * PGlite runs one transaction at a time; other connections wait their turn.
 */
export type EmbeddedPostgres = { url: string; port: number; stop: () => Promise<void> };

export type StallLimits = {
  /** A connection that stops between Parse and Sync holds every other one; end it after this. */
  sequenceMs: number;
  /** A connection idle inside an open transaction holds every other one; end it after this. */
  transactionMs: number;
};

// Prisma's interactive transactions may run up to 15 s (TRANSACTION_OPTIONS in ../db.ts); a
// protocol sequence is sent in one write by every driver, so seconds are already generous.
export const DEFAULT_STALL_LIMITS: StallLimits = { sequenceMs: 10_000, transactionMs: 30_000 };

export async function startEmbeddedPostgres(options: {
  dataDir?: string; // undefined: in memory
  port?: number; // 0 or undefined: a free port
  maxConnections?: number;
  stallLimits?: StallLimits;
}): Promise<EmbeddedPostgres> {
  if (options.dataDir)
    await mkdir(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  const pglite = await PGlite.create(options.dataDir ? path.resolve(options.dataDir) : undefined);
  const port = options.port || (await freePort());
  const server = new PGLiteSocketServer({
    db: pglite,
    host: "127.0.0.1",
    port,
    maxConnections: options.maxConnections ?? 12,
  });
  keepExtendedQueriesTogether(server, options.stallLimits ?? DEFAULT_STALL_LIMITS);
  await server.start();
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable&application_name=${EMBEDDED_APPLICATION_NAME}`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      // close() checkpoints and flushes the data folder; skipping it is what damages data.
      await pglite.close();
    },
  };
}

type QueuedMessage = {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
};
type QueryQueue = {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue: () => Promise<void>;
  clearQueueForHandler: (handlerId: number) => void;
  clearTransactionIfNeeded: (handlerId: number) => Promise<void>;
};
type Handler = { handlerId: number; detach: (close?: boolean) => Promise<unknown> };
type ServerInternals = { queryQueue: QueryQueue; handlers: Set<Handler> };

/** The pglite-socket release whose private queue this file patches (see below). */
export const PATCHED_SOCKET_VERSION = "0.2.17";

function installedSocketVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve("@electric-sql/pglite-socket"));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      if (pkg.name === "@electric-sql/pglite-socket") return String(pkg.version);
    } catch {}
    dir = path.dirname(dir);
  }
  return "unknown";
}

/**
 * Refuses to patch anything but the release the patch was written against, with the private
 * members it relies on: a silent mismatch would bring back "portal does not exist" under load,
 * or worse. Upgrading pglite-socket means re-reading its queue and this file.
 */
export function checkPatchable(version: string, server: unknown): ServerInternals {
  const internals = server as Partial<ServerInternals> | null;
  const queue = internals?.queryQueue;
  const shapeOk =
    !!queue &&
    Array.isArray(queue.queue) &&
    typeof queue.processQueue === "function" &&
    typeof queue.clearQueueForHandler === "function" &&
    typeof queue.clearTransactionIfNeeded === "function" &&
    internals?.handlers instanceof Set;
  if (version !== PATCHED_SOCKET_VERSION || !shapeOk) {
    throw new Error(
      `@electric-sql/pglite-socket ${version} is installed, but src/server/db/embedded.ts patches ` +
        `the private query queue of ${PATCHED_SOCKET_VERSION}${shapeOk ? "" : " (its internals differ)"}. ` +
        `Pin ${PATCHED_SOCKET_VERSION} in package.json, or review the patch against the new release.`,
    );
  }
  return internals as ServerInternals;
}

// Extended-query protocol messages: Parse, Bind, Describe, Execute, Close, Flush. A sequence of
// them ends with Sync; a simple Query or Terminate stands alone.
const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);
const SEQUENCE_END = new Set([0x53, 0x51, 0x58]);

/**
 * pglite-socket 0.2.17 queues each protocol message on its own and keeps a connection's
 * messages together only inside an explicit transaction. PGlite has a single session, so two
 * connections' Parse/Bind/Execute sequences could interleave and clobber each other's unnamed
 * statement and portal ("portal \"\" does not exist") under concurrent requests. This keeps a
 * connection's extended-query sequence together until its Sync, and otherwise behaves as the
 * library does (transactions stay with their connection).
 *
 * Waiting for one connection must not last for ever: a client that stops between Parse and
 * Sync, or sits idle inside a transaction, would block every other connection. After the
 * limits above, that connection is closed (its transaction rolled back) and the others go on.
 */
function keepExtendedQueriesTogether(server: PGLiteSocketServer, limits: StallLimits): void {
  const { queryQueue: queue, handlers } = checkPatchable(installedSocketVersion(), server);
  let sequenceOwner: number | null = null;
  let stallTimer: NodeJS.Timeout | undefined;
  let watched: number | null = null;

  const endStalled = (handlerId: number, why: string) => {
    const handler = [...handlers].find((h) => h.handlerId === handlerId);
    console.error(`[embedded-db] closing connection #${handlerId}: ${why}`);
    if (sequenceOwner === handlerId) sequenceOwner = null;
    if (handler) void handler.detach(true).finally(() => void queue.processQueue());
    else {
      void queue.clearTransactionIfNeeded(handlerId).finally(() => void queue.processQueue());
    }
  };

  /**
   * Called when the queue waits for `owner`'s next message, and with null whenever a message is
   * processed. Waiting for the same owner again (other connections keep enqueueing) keeps the
   * clock running rather than restarting it.
   */
  const watch = (owner: number | null) => {
    if (owner !== null && owner === watched && stallTimer) return;
    clearTimeout(stallTimer);
    stallTimer = undefined;
    watched = owner;
    if (owner === null) return;
    const inSequence = sequenceOwner === owner;
    const ms = inSequence ? limits.sequenceMs : limits.transactionMs;
    stallTimer = setTimeout(() => {
      stallTimer = undefined;
      watched = null;
      const stillWaiting =
        (sequenceOwner ?? (queue.db.isInTransaction() ? queue.lastHandlerId : null)) === owner &&
        !queue.queue.some((q) => q.handlerId === owner) &&
        queue.queue.length > 0;
      if (stillWaiting) {
        endStalled(
          owner,
          inSequence
            ? `it stopped between Parse and Sync for ${ms} ms while others waited`
            : `it sat idle in a transaction for ${ms} ms while others waited`,
        );
      }
    }, ms);
    stallTimer.unref();
  };

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const sticky = sequenceOwner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = sticky === null ? 0 : this.queue.findIndex((q) => q.handlerId === sticky);
        if (index === -1) {
          watch(sticky); // wait for that connection's next message, but not for ever
          break;
        }
        watch(null);
        const [item] = this.queue.splice(index, 1);
        if (!item) break;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          sequenceOwner = null;
          item.reject(error);
          continue;
        }
        const type = item.message[0] ?? 0;
        if (SEQUENCE_END.has(type)) sequenceOwner = null;
        else if (EXTENDED.has(type)) sequenceOwner = item.handlerId;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }.bind(queue);

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    if (sequenceOwner === handlerId) sequenceOwner = null;
    clear(handlerId);
    void queue.processQueue();
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
