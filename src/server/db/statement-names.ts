import { createHash } from "node:crypto";

/**
 * Names for Prisma's SQL so PostgreSQL keeps it prepared on each connection.
 *
 * Unnamed, every statement is parsed and planned again on every call; for the joined reads Prisma
 * writes (LATERAL joins, JSON built in SQL) planning costs several times the execution (the Today
 * page's practice read: 4.5 ms to plan, 0.25 ms to run). Named, `pg` parses it once per connection
 * and, with the plan_cache_mode each connection sets (db.ts), PostgreSQL plans it once too.
 *
 * The name is a hash of the text, so one name always means one text (`pg` refuses a name reused
 * for another). A process names at most `limit` distinct texts: queries whose text varies with
 * their input (lists of values) would otherwise grow every connection's cache without bound; past
 * the limit new texts run unnamed, as before.
 */
export function statementNamer(limit = 1_000): (query: { sql: string }) => string | undefined {
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known || names.size >= limit) return known;
    const name = `k${createHash("sha1").update(sql).digest("hex")}`;
    names.set(sql, name);
    return name;
  };
}

/**
 * DATABASE_PREPARED_STATEMENTS: on unless "off" (or 0/false). Off for a pooler that cannot keep
 * prepared statements (PgBouncer in transaction mode before 1.21, or without
 * max_prepared_statements).
 */
export function preparedStatementsEnabled(value: string | undefined): boolean {
  return !["off", "0", "false"].includes((value ?? "").trim().toLowerCase());
}

/**
 * The embedded database's connection strings carry this application name (db/embedded.ts). Its
 * connections share one PGlite session, so a name prepared on one would clash on another
 * ("prepared statement already exists"): a client of that URL never names its statements,
 * whoever creates it (the app, the launcher's worker, scripts, tests).
 */
export const EMBEDDED_APPLICATION_NAME = "kindred-embedded";

export function canPrepare(connectionString: string): boolean {
  try {
    return (
      new URL(connectionString).searchParams.get("application_name") !== EMBEDDED_APPLICATION_NAME
    );
  } catch {
    return true;
  }
}
