import pg from "pg";

/**
 * The benchmarks' own databases. A benchmark drops and re-creates its database on every run, so
 * the only databases it may ever create or drop are ones whose name says they belong to it: a
 * misread `.env` must never cost anyone their data.
 */
export const BENCH_PREFIX = "kindred_bench";
export const DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";

export class NotABenchDatabaseError extends Error {
  constructor(name: string) {
    super(
      `refusing to touch database "${name}": benchmarks only create and drop databases whose ` +
        `name starts with "${BENCH_PREFIX}"`,
    );
    this.name = "NotABenchDatabaseError";
  }
}

/** Throws unless `name` is a plain identifier starting with `kindred_bench`. */
export function assertBenchDatabaseName(name: string): string {
  // Plain lower-case identifiers only: the name is interpolated into DDL, which takes no $1.
  if (!name.startsWith(BENCH_PREFIX) || !/^[a-z_][a-z0-9_]*$/.test(name))
    throw new NotABenchDatabaseError(name);
  return name;
}

/** The server to create bench databases on: TEST_DATABASE_URL, DATABASE_URL or the local one. */
export function benchServerUrl(env: Record<string, string | undefined> = process.env): string {
  return env.TEST_DATABASE_URL || env.DATABASE_URL || DEFAULT_SERVER;
}

/** `server` with its database replaced by `name` (which must be a bench database). */
export function benchDatabaseUrl(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${assertBenchDatabaseName(name)}`;
  return url.toString();
}

async function onServer<T>(server: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  // Connect to the server's maintenance database, never to the one being dropped.
  const url = new URL(server);
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops (if present) and creates an empty bench database; returns its connection string. */
export async function recreateBenchDatabase(server: string, name: string): Promise<string> {
  const url = benchDatabaseUrl(server, name);
  await onServer(server, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  });
  return url;
}

export async function dropBenchDatabase(server: string, name: string): Promise<void> {
  assertBenchDatabaseName(name);
  await onServer(server, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
