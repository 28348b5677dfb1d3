import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres } from "@/server/db/embedded";
import { migrate } from "@/server/db/migrate";

/**
 * A fresh, migrated database for one test file.
 * With TEST_DATABASE_URL / DATABASE_URL (CI): a copy of a migrated template database on that
 * server. Without: an in-memory PGlite served on a loopback port.
 */
export type TestDatabase = { url: string; drop: () => Promise<void> };

// One template per test run (concurrent runs on one server must not share it).
export function templateName(): string {
  return process.env.KINDRED_TEST_TEMPLATE ?? "kindred_test_template";
}

export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Waits (up to 5 s) until nobody else is connected to `name`. A pool that is still closing when
 * the database is dropped WITH (FORCE) has its connections terminated under it, and its client
 * reports that as an uncaught error in whichever test file runs then; FORCE stays for a
 * connection that never closes.
 */
async function untilClosed(client: pg.Client, name: string) {
  for (let i = 0; i < 50; i++) {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1",
      [name],
    );
    if (Number(rows[0]?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Called once from vitest's globalSetup: builds the migrated template; returns its teardown. */
export async function prepareTemplate(): Promise<() => Promise<void>> {
  const url = serverUrl();
  if (!url) return async () => {};
  const name = `kindred_tpl_${randomBytes(5).toString("hex")}`;
  process.env.KINDRED_TEST_TEMPLATE = name; // inherited by the test workers
  await admin(url, (c) => c.query(`CREATE DATABASE ${name}`));
  await migrate({ connectionString: withDatabase(url, name) });
  return async () => {
    await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
}

export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const url = serverUrl();
  if (url) {
    const name = `kindred_t_${randomBytes(6).toString("hex")}`;
    await admin(url, (c) =>
      c.query(
        migrated ? `CREATE DATABASE ${name} TEMPLATE ${templateName()}` : `CREATE DATABASE ${name}`,
      ),
    );
    return {
      url: withDatabase(url, name),
      drop: () =>
        admin(url, async (c) => {
          await untilClosed(c, name);
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        }),
    };
  }
  const embedded = await startEmbeddedPostgres({});
  if (migrated) await migrate({ connectionString: embedded.url });
  return { url: embedded.url, drop: embedded.stop };
}
