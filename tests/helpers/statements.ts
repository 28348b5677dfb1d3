import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import { withSealing } from "@/server/crypto/extension";
import { adapterOptions, type Db, TRANSACTION_OPTIONS } from "@/server/db";

/**
 * A Prisma client whose every SQL statement is recorded at the driver: what reaches PostgreSQL,
 * not what the ORM was asked (one Prisma call can send several statements, a transaction adds
 * BEGIN and COMMIT, and Prisma may batch calls). Claims such as "the same number of queries"
 * are made on these counts.
 */
export type CountingDb = {
  db: Db;
  /** Statements sent since the last reset, in order. */
  statements: () => string[];
  reset: () => void;
  close: () => Promise<void>;
};

export function countingDb(url: string): CountingDb {
  const log: string[] = [];
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on("connect", (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      const first = args[0];
      const text = typeof first === "string" ? first : (first as { text?: string })?.text;
      if (text !== undefined) log.push(text);
      return original(...args);
    };
  });
  // Sealed like the application's client: the key reads it makes are counted too.
  const db = withSealing(
    new PrismaClient({
      adapter: new PrismaPg(pool, adapterOptions(url)),
      transactionOptions: TRANSACTION_OPTIONS,
    }),
  ) as Db;
  return {
    db,
    statements: () => [...log],
    reset: () => {
      log.length = 0;
    },
    close: async () => {
      await db.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}
