import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served on a loopback port through the Postgres
 * wire protocol, so the app, pg-boss and the tests reach it exactly as they reach a real server.
 * PGlite runs one transaction at a time; other connections wait their turn.
 */
export type EmbeddedPostgres = { url: string; port: number; stop: () => Promise<void> };

export async function startEmbeddedPostgres(options: {
  dataDir?: string; // undefined: in memory
  port?: number; // 0 or undefined: a free port
  maxConnections?: number;
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
  keepExtendedQueriesTogether(server);
  await server.start();
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
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
};

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
 */
function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let sequenceOwner: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const sticky = sequenceOwner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = sticky === null ? 0 : this.queue.findIndex((q) => q.handlerId === sticky);
        if (index === -1) break; // wait for that connection's next message
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
