import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@/server/db";
import {
  checkPatchable,
  type EmbeddedPostgres,
  PATCHED_SOCKET_VERSION,
  startEmbeddedPostgres,
} from "@/server/db/embedded";
import { migrate } from "@/server/db/migrate";

/**
 * The embedded database always, whatever TEST_DATABASE_URL says: many connections sending
 * extended-protocol queries and transactions at once must not trip over PGlite's single session.
 */
let embedded: EmbeddedPostgres;
let db: Db;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({});
  await migrate({ connectionString: embedded.url });
  db = createDb(embedded.url, { max: 8 });
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await embedded?.stop();
});

describe("embedded PostgreSQL under concurrency", () => {
  it("answers 200 concurrent parameterised queries and transactions without errors", async () => {
    const work = Array.from({ length: 200 }, (_, i) =>
      i % 5 === 0
        ? db.$transaction(async (tx) => {
            await tx.user.create({ data: { email: `c${i}@embedded.test`, name: `C ${i}` } });
            return tx.user.count({ where: { email: { endsWith: "@embedded.test" } } });
          })
        : db.user.findMany({ where: { email: { contains: String(i) } }, take: 3 }),
    );
    const results = await Promise.allSettled(work);
    const failures = results.flatMap((r) =>
      r.status === "rejected" ? [String(r.reason).slice(0, 200)] : [],
    );
    expect(failures).toEqual([]);
    expect(await db.user.count()).toBe(40);
  });

  it("keeps a connection's statement and portal while others run transactions", async () => {
    const task = async (i: number) => {
      await db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`k${i % 3}`}))`;
        await tx.rateLimitHit.findMany({ where: { bucket: "b", key: `k${i % 3}` }, take: 5 });
        await tx.rateLimitHit.createMany({ data: [{ bucket: "b", key: `k${i % 3}` }] });
      });
      return db.user.findUnique({ where: { email: `c${i}@embedded.test` }, select: { id: true } });
    };
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => task(i)));
    const failures = results.flatMap((r) =>
      r.status === "rejected" ? [String(r.reason).slice(-200)] : [],
    );
    expect(failures).toEqual([]);
    expect(await db.rateLimitHit.count()).toBe(60);
  });
});

describe("embedded PostgreSQL with a stalled connection", () => {
  const LIMITS = { sequenceMs: 400, transactionMs: 600 };
  // One instance with short limits for both cases (starting PGlite is the slow part).
  let own: EmbeddedPostgres;
  beforeAll(async () => {
    own = await startEmbeddedPostgres({ stallLimits: LIMITS });
  }, 90_000);
  afterAll(() => own?.stop());

  /** A raw wire-protocol client: startup, then whatever messages the test sends. */
  async function rawConnection(port: number) {
    const socket = net.connect(port, "127.0.0.1");
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const params = Buffer.from("user\0postgres\0database\0postgres\0\0");
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196608, 4);
    socket.write(Buffer.concat([startup, params]));
    // Wait for ReadyForQuery ('Z').
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        if (chunk.includes(0x5a)) {
          socket.off("data", onData);
          resolve();
        }
      };
      socket.on("data", onData);
    });
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    return { socket, closed };
  }

  function parseMessage(sql: string): Buffer {
    const body = Buffer.concat([Buffer.from(`\0${sql}\0`), Buffer.from([0, 0])]);
    const header = Buffer.alloc(5);
    header.write("P", 0);
    header.writeInt32BE(4 + body.length, 1);
    return Buffer.concat([header, body]);
  }

  it("ends a connection that stops between Parse and Sync; the others go on", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const stalled = await rawConnection(own.port);
      stalled.socket.write(parseMessage("SELECT 1")); // no Bind/Execute/Sync ever follows
      const client = new pg.Client({ connectionString: own.url });
      await client.connect();
      const { rows } = await client.query<{ n: number }>("SELECT $1::int AS n", [7]);
      expect(rows).toEqual([{ n: 7 }]);
      await stalled.closed; // the stalled connection was closed, not left holding the queue
      expect(errors.mock.calls.flat().join(" ")).toMatch(/stopped between Parse and Sync/);
      await client.end();
    } finally {
      errors.mockRestore();
    }
  }, 60_000);

  it("ends a connection idle inside a transaction and rolls its work back", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const idle = new pg.Client({ connectionString: own.url });
      idle.on("error", () => {}); // it will be disconnected
      await idle.connect();
      await idle.query("CREATE TABLE t (v int)");
      await idle.query("BEGIN");
      await idle.query("INSERT INTO t VALUES (1)");
      // ... and then nothing: the client holds PGlite's one session.
      const other = new pg.Client({ connectionString: own.url });
      await other.connect();
      const { rows } = await other.query<{ n: string }>("SELECT count(*) AS n FROM t");
      expect(rows).toEqual([{ n: "0" }]);
      expect(errors.mock.calls.flat().join(" ")).toMatch(/idle in a transaction/);
      await other.end();
    } finally {
      errors.mockRestore();
    }
  }, 60_000);
});

describe("the pglite-socket patch", () => {
  it("refuses another pglite-socket release or different internals", () => {
    const shaped = {
      queryQueue: {
        queue: [],
        processQueue: () => {},
        clearQueueForHandler: () => {},
        clearTransactionIfNeeded: async () => {},
      },
      handlers: new Set(),
    };
    expect(() => checkPatchable(PATCHED_SOCKET_VERSION, shaped)).not.toThrow();
    expect(() => checkPatchable("0.3.0", shaped)).toThrow(/0\.3\.0 is installed.*patches/);
    expect(() => checkPatchable(PATCHED_SOCKET_VERSION, { queryQueue: {} })).toThrow(
      /internals differ/,
    );
  });
});
