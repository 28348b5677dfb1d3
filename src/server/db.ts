import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { env } from "./env";

export type Db = PrismaClient;

/**
 * Transactions wait for a pooled connection (maxWait) and may run (timeout) longer than Prisma's
 * defaults of 2 s and 5 s: under a burst, a member's writes queue behind each other (they are
 * serialised per enrolment), and a refused transaction is a lost answer. Past these bounds the
 * request fails with a retryable "busy" answer rather than hanging.
 */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

export function createDb(connectionString: string, options: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString, max: options.max ?? 10 });
  return new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS });
}

// One client per process; Next's dev server reloads modules, so keep it on globalThis.
const globalForDb = globalThis as unknown as { kindredDb?: Db };

export function db(): Db {
  globalForDb.kindredDb ??= createDb(env().databaseUrl);
  return globalForDb.kindredDb;
}
