import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { splitSqlStatements } from "./sql-statements";

/**
 * Applies prisma/migrations/<name>/migration.sql files in name order and keeps Prisma's own
 * `_prisma_migrations` bookkeeping (same columns, sha256 of the file), so `prisma migrate
 * deploy` would see the same state wherever Prisma's engine is available.
 *
 * - one advisory lock (Prisma's own key), so concurrent runners apply each migration once;
 * - each migration in its own transaction, recorded in the same transaction;
 * - except a migration whose first line is `-- kindred:no-transaction`: statements such as
 *   `CREATE INDEX CONCURRENTLY` (how an index is added to a big table without blocking writes)
 *   refuse to run inside a transaction. Its row is recorded as started first, its statements run
 *   one by one, and it is marked finished only when all succeeded; a failure leaves the row
 *   unfinished with the error in `logs`, and the next run refuses until someone looks;
 * - an applied migration whose file changed is refused, as is a failed one left behind.
 */
export const MIGRATION_LOCK_KEY = 72707369;

/** The first line that makes a migration run outside a transaction. */
export const NO_TRANSACTION_MARKER = "-- kindred:no-transaction";

export function runsOutsideTransaction(sql: string): boolean {
  const first =
    sql
      .replace(/^\uFEFF/, "")
      .trimStart()
      .split("\n", 1)[0] ?? "";
  return first.trim() === NO_TRANSACTION_MARKER;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    public readonly migration?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export type MigrationResult = { applied: string[]; alreadyApplied: string[] };

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

export function checksumOf(sql: string | Buffer): string {
  return createHash("sha256").update(sql).digest("hex");
}

export async function listMigrations(dir: string): Promise<{ name: string; file: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return (
    entries
      .filter((e) => e.isDirectory())
      .map((e) => ({ name: e.name, file: path.join(dir, e.name, "migration.sql") }))
      // Plain code-unit order, as Prisma sorts: localeCompare depends on the ICU locale and
      // weighs punctuation such as "_" differently, which could reorder migrations.
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  );
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function migrate(options: {
  connectionString: string;
  dir?: string;
  log?: (line: string) => void;
}): Promise<MigrationResult> {
  const dir = options.dir ?? path.resolve("prisma/migrations");
  const log = options.log ?? (() => {});
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  try {
    await takeMigrationLock(client);
    try {
      return await applyPending(client, dir, log);
    } finally {
      // Best effort: a failing unlock must not hide the migration's own error, and ending the
      // session below releases the lock anyway.
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

/**
 * Waits for the migration lock by polling `pg_try_advisory_lock`, not by blocking in
 * `pg_advisory_lock`: a runner blocked in a statement holds a snapshot, and `CREATE INDEX
 * CONCURRENTLY` in the runner that has the lock waits for every such snapshot to end, which
 * PostgreSQL reports as a deadlock. Short polls never hold one for long.
 */
async function takeMigrationLock(client: pg.Client): Promise<void> {
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock($1) AS locked",
      [MIGRATION_LOCK_KEY],
    );
    if (rows[0]?.locked) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function applyPending(
  client: pg.Client,
  dir: string,
  log: (line: string) => void,
): Promise<MigrationResult> {
  await client.query(CREATE_TABLE);
  const { rows } = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
  );
  const applied = new Map<string, AppliedRow>();
  for (const row of rows) {
    if (row.rolled_back_at) continue;
    refuseUnfinished(row);
    applied.set(row.migration_name, row);
  }

  const migrations = [];
  for (const migration of await listMigrations(dir)) {
    const sql = await readFile(migration.file).catch((error: Error) => {
      throw new MigrationError(
        `Migration ${migration.name} cannot be read: ${error.message}`,
        migration.name,
      );
    });
    migrations.push({ ...migration, sql, checksum: checksumOf(sql) });
  }
  // Check every applied migration before applying anything, so an edited one stops the run even
  // when a new migration sorts before it.
  for (const migration of migrations) {
    const done = applied.get(migration.name);
    if (done) refuseEdited(migration.name, done.checksum, migration.checksum);
  }

  const result: MigrationResult = { applied: [], alreadyApplied: [] };
  for (const migration of migrations) {
    if (applied.has(migration.name) || !(await applyOne(client, migration))) {
      result.alreadyApplied.push(migration.name);
      continue;
    }
    log(`applied ${migration.name}`);
    result.applied.push(migration.name);
  }
  return result;
}

/**
 * Applies one migration and records it, in one transaction. Returns false when another runner
 * recorded it since the list above was read. The advisory lock normally rules that out, but
 * not on PGlite, where every socket connection shares one backend session (session locks are
 * re-entrant there) and only transactions are serialised; so the row is checked again inside
 * the transaction, under a table lock.
 */
async function applyOne(
  client: pg.Client,
  migration: { name: string; sql: Buffer; checksum: string },
): Promise<boolean> {
  const sql = migration.sql.toString("utf8");
  if (runsOutsideTransaction(sql)) return applyOutsideTransaction(client, migration, sql);
  await client.query("BEGIN");
  try {
    await client.query(`LOCK TABLE "_prisma_migrations" IN SHARE ROW EXCLUSIVE MODE`);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"
       WHERE migration_name = $1 AND rolled_back_at IS NULL`,
      [migration.name],
    );
    const done = rows[0];
    if (done) {
      refuseUnfinished(done);
      refuseEdited(migration.name, done.checksum, migration.checksum);
      await client.query("COMMIT");
      return false;
    }
    const id = randomUUID();
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
       VALUES ($1, $2, $3, now())`,
      [id, migration.checksum, migration.name],
    );
    await client.query(sql);
    // By id: an older rolled-back row of the same name must keep its own state.
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query("COMMIT");
    return true;
  } catch (error) {
    // A failed ROLLBACK means the connection is gone; the original error says more.
    await client.query("ROLLBACK").catch(() => {});
    if (error instanceof MigrationError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${migration.name} failed: ${reason}`, migration.name);
  }
}

/**
 * A migration that must not run in a transaction: claim it (a started row, under the same
 * table lock as above), run its statements one at a time, then mark it finished. The claim is
 * what another runner sees, so it is never applied twice.
 */
async function applyOutsideTransaction(
  client: pg.Client,
  migration: { name: string; checksum: string },
  sql: string,
): Promise<boolean> {
  const statements = splitSqlStatements(sql);
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    await client.query(`LOCK TABLE "_prisma_migrations" IN SHARE ROW EXCLUSIVE MODE`);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"
       WHERE migration_name = $1 AND rolled_back_at IS NULL`,
      [migration.name],
    );
    const done = rows[0];
    if (done) {
      refuseUnfinished(done);
      refuseEdited(migration.name, done.checksum, migration.checksum);
      await client.query("COMMIT");
      return false;
    }
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
       VALUES ($1, $2, $3, now())`,
      [id, migration.checksum, migration.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    if (error instanceof MigrationError) throw error;
    throw new MigrationError(
      `Migration ${migration.name} failed: ${(error as Error).message}`,
      migration.name,
    );
  }

  let applied = 0;
  try {
    for (const statement of statements) {
      await client.query(statement);
      applied += 1;
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const logs = `statement ${applied + 1} of ${statements.length} failed: ${reason}`;
    await client
      .query(`UPDATE "_prisma_migrations" SET logs = $2, applied_steps_count = $3 WHERE id = $1`, [
        id,
        logs,
        applied,
      ])
      .catch(() => {});
    throw new MigrationError(
      `Migration ${migration.name} (outside a transaction) stopped at ${logs}. The statements ` +
        `before it stay applied; an index built CONCURRENTLY may be left INVALID (drop it). ` +
        `Fix the database, then mark the row in _prisma_migrations as rolled back and run again.`,
      migration.name,
    );
  }
  await client.query(
    `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = $2 WHERE id = $1`,
    [id, applied],
  );
  return true;
}

function refuseUnfinished(row: AppliedRow): void {
  if (row.finished_at) return;
  throw new MigrationError(
    `Migration ${row.migration_name} started but did not finish. Fix the database by hand, ` +
      `then mark the row in _prisma_migrations as rolled back before running migrations again.`,
    row.migration_name,
  );
}

function refuseEdited(name: string, recorded: string, current: string): void {
  if (recorded === current) return;
  throw new MigrationError(
    `Migration ${name} was edited after it was applied (checksum differs). ` +
      `Applied migrations are immutable: restore the file and add a new migration instead.`,
    name,
  );
}
