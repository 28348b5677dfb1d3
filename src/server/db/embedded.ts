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
