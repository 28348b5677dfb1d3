import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxyControl, startTcpProxy, type TcpProxy } from "../../scripts/fault/tcp-proxy";
import { createTestDatabase, type TestDatabase } from "../helpers/database";

/**
 * The e2e suite's database switch (e2e/server.ts, e2e/faults.spec.ts): transparent until cut,
 * then every connection dropped and new ones refused, then back on the same port.
 */
let database: TestDatabase;
let proxy: TcpProxy;
let proxiedUrl: string;

beforeAll(async () => {
  database = await createTestDatabase({ migrated: false });
  const target = new URL(database.url);
  proxy = await startTcpProxy({
    target: { host: target.hostname, port: Number(target.port || 5432) },
  });
  const url = new URL(database.url);
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  proxiedUrl = url.toString();
});
afterAll(async () => {
  await proxy?.close();
  await database?.drop();
});

async function connect() {
  const client = new pg.Client({ connectionString: proxiedUrl, connectionTimeoutMillis: 5000 });
  client.on("error", () => {}); // a cut connection reports here too; the test reads the query
  await client.connect();
  return client;
}

async function failure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  }
  return "none";
}

describe("the loopback database proxy", () => {
  it("passes queries through, drops them when cut, refuses new ones, and lets them through again", async () => {
    const client = await connect();
    expect((await client.query("SELECT 1 + 1 AS two")).rows).toEqual([{ two: 2 }]);
    expect(proxy.open).toBe(2); // the client's side and the database's side

    await proxy.cut();
    expect(proxy.isCut).toBe(true);
    expect(await failure(() => client.query("SELECT 1"))).not.toBe("none");
    expect(await failure(connect)).toBe("ECONNREFUSED");
    await client.end().catch(() => {});

    await proxy.restore();
    const again = await connect();
    expect((await again.query("SELECT current_database() AS name")).rows[0]?.name).toBe(
      new URL(database.url).pathname.slice(1),
    );
    await again.end();
  });

  it("is driven over loopback HTTP", async () => {
    const control = await startProxyControl(proxy, 0);
    const port = (control.address() as { port: number }).port;
    const call = async (method: string, path: string) =>
      (await fetch(`http://127.0.0.1:${port}${path}`, { method })).json();
    expect(await call("POST", "/cut")).toMatchObject({ cut: true });
    expect(await failure(connect)).toBe("ECONNREFUSED");
    expect(await call("POST", "/restore")).toMatchObject({ cut: false });
    expect(await call("GET", "/")).toMatchObject({ cut: false, port: proxy.port });
    const client = await connect();
    await client.end();
    await new Promise((resolve) => control.close(resolve));
  });
});
