import { PrismaPg } from "@prisma/adapter-pg";
import type { ClientBase } from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { withSealing } from "./crypto/extension";
import { noteDatabaseTrouble } from "./db/availability";
import { canPrepare, preparedStatementsEnabled, statementNamer } from "./db/statement-names";
import { env } from "./env";

export type Db = PrismaClient;
type PrismaPgOptions = NonNullable<ConstructorParameters<typeof PrismaPg>[1]>;

/**
 * Transactions wait for a pooled connection (maxWait) and may run (timeout) longer than Prisma's
 * defaults of 2 s and 5 s: under a burst, a member's writes queue behind each other (they are
 * serialised per enrolment), and a refused transaction is a lost answer. Past these bounds the
 * request fails with a retryable "busy" answer rather than hanging.
 */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/**
 * The adapter's options for a client of `connectionString`; the benchmarks and the test clients
 * use them too, to run the same SQL. Statements are prepared (db/statement-names.ts) unless
 * `preparedStatements` (default: DATABASE_PREPARED_STATEMENTS) is off or the URL is the
 * embedded database's.
 */
export function adapterOptions(
  connectionString: string,
  preparedStatements = preparedStatementsEnabled(process.env.DATABASE_PREPARED_STATEMENTS),
): PrismaPgOptions {
  if (!preparedStatements || !canPrepare(connectionString)) return {};
  // The adapter's type says string; it hands the result to pg as the statement's `name`, where
  // undefined is what it sends without a generator: an unnamed statement.
  return { statementNameGenerator: statementNamer() as (query: { sql: string }) => string };
}

/**
 * Each new connection plans a named statement once and keeps that plan (a generic plan) instead
 * of PostgreSQL's default, which plans again on every call while its estimate of the generic
 * plan is worse than the custom ones' (Prisma's reads pass LIMIT and OFFSET as parameters, so it
 * usually is): the coach's cohort page spent 8.5 ms of its 18 ms of PostgreSQL planning its 11
 * statements, and 1.5 ms with this (docs/performance.md, "Ninth round"). Kindred's reads are
 * keyed lookups whose best plan does not depend on the values. Sent as a SET on connect rather
 * than a startup option, which PgBouncer refuses; behind a pooler in transaction mode the SET
 * does not follow the client, so set it on the role there (README, "Scaling out").
 */
export const PLAN_CACHE_SETTING = "SET plan_cache_mode = force_generic_plan";

/** pg's pool awaits this before it hands a new connection out. */
async function planPreparedStatementsOnce(client: ClientBase): Promise<void> {
  // A server without the setting (before PostgreSQL 12) keeps its default: nothing depends on it.
  await client.query(PLAN_CACHE_SETTING).catch(() => undefined);
}

/** How long a pooled connection may sit idle before it is closed: 5 minutes. */
export const IDLE_CONNECTION_MS = 5 * 60_000;

export function createDb(
  connectionString: string,
  options: { max?: number; preparedStatements?: boolean } = {},
): Db {
  const prepared = adapterOptions(connectionString, options.preparedStatements);
  const adapter = new PrismaPg(
    {
      connectionString,
      max: options.max ?? 10,
      // A database that does not answer (a dropped network, not a refused connection) fails a
      // request after this long instead of holding it forever; as long as a transaction waits.
      connectionTimeoutMillis: TRANSACTION_OPTIONS.maxWait,
      // A connection that served a request stays open through a reader's pause (pg closes one
      // idle for 10 s by default): a new one costs a connection set-up and a fresh PREPARE of
      // every statement, which doubled the journal's time for the first requests after a
      // pause (docs/performance.md, "Idle connections"). At most `max` stay open per process.
      idleTimeoutMillis: IDLE_CONNECTION_MS,
      ...(prepared.statementNameGenerator ? { onConnect: planPreparedStatementsOnce } : {}),
    },
    {
      ...prepared,
      // An idle connection cut by a restarting server: the pool drops it and opens a new one on
      // the next request; the mark turns this instance's server errors into 503 for a while.
      onPoolError: () => noteDatabaseTrouble(),
      onConnectionError: () => noteDatabaseTrouble(),
    },
  );
  // Private text is sealed on write and opened on read below this line (crypto/sealing.ts).
  return withSealing(new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }));
}

// One client per process; Next's dev server reloads modules, so keep it on globalThis.
const globalForDb = globalThis as unknown as { kindredDb?: Db };

export function db(): Db {
  globalForDb.kindredDb ??= createDb(env().databaseUrl, {
    preparedStatements: env().preparedStatements,
  });
  return globalForDb.kindredDb;
}
