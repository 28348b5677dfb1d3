import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, test } from "vitest";
import { MigrationError, migrate } from "@/server/db/migrate";
import { createTestDatabase, serverUrl, type TestDatabase } from "../helpers/database";

let db: TestDatabase;
const tempDirs: string[] = [];

beforeEach(async () => {
  db = await createTestDatabase({ migrated: false });
});
afterEach(async () => {
  await db.drop();
});
afterAll(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** A throwaway migrations folder: { "<name>": "<sql>" } -> <tmp>/<name>/migration.sql */
async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kindred-migrations-"));
  tempDirs.push(dir);
  await writeMigrations(dir, files);
  return dir;
}
async function writeMigrations(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name), { recursive: true });
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

type Row = {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
};
const bookkeeping = () =>
  query<Row>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name, started_at`);
const tableExists = async (name: string) =>
  (
    await query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname = $1`, [name])
  )[0]!.n;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const TWO = {
  "001_alpha": `CREATE TABLE alpha (id int PRIMARY KEY);`,
  "002_beta": `CREATE TABLE beta (id int PRIMARY KEY);\nINSERT INTO beta VALUES (1);`,
};

describe("migration runner", () => {
  test("a fresh run applies every migration and records it with the file's sha256", async () => {
    const dir = await migrationsDir(TWO);
    const result = await migrate({ connectionString: db.url, dir });
    expect(result).toEqual({ applied: ["001_alpha", "002_beta"], alreadyApplied: [] });

    const rows = await bookkeeping();
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual([
      ["001_alpha", sha256(TWO["001_alpha"]), 1],
      ["002_beta", sha256(TWO["002_beta"]), 1],
    ]);
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
    }
    expect(await query(`SELECT id FROM beta`)).toEqual([{ id: 1 }]);
  });

  test("a second run is a no-op", async () => {
    const dir = await migrationsDir(TWO);
    await migrate({ connectionString: db.url, dir });
    const before = await bookkeeping();

    const result = await migrate({ connectionString: db.url, dir });
    expect(result).toEqual({ applied: [], alreadyApplied: ["001_alpha", "002_beta"] });
    expect(await bookkeeping()).toEqual(before);
    expect(await query(`SELECT id FROM beta`)).toEqual([{ id: 1 }]); // not inserted twice
  });

  test("an edited applied migration is refused and nothing new is applied", async () => {
    const dir = await migrationsDir(TWO);
    await migrate({ connectionString: db.url, dir });
    await writeMigrations(dir, {
      "002_beta": `CREATE TABLE beta (id bigint PRIMARY KEY);`,
      // New migrations on both sides of the edited one: neither may run.
      "000_early": `CREATE TABLE early (id int);`,
      "003_late": `CREATE TABLE late (id int);`,
    });

    const error = await migrate({ connectionString: db.url, dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migration).toBe("002_beta");
    expect((error as MigrationError).message).toMatch(/002_beta was edited/);
    expect((await bookkeeping()).map((r) => r.migration_name)).toEqual(["001_alpha", "002_beta"]);
    expect(await tableExists("early")).toBe(0);
    expect(await tableExists("late")).toBe(0);
  });

  test("a failing migration rolls back entirely and is reported", async () => {
    const dir = await migrationsDir({
      "001_alpha": TWO["001_alpha"],
      "002_broken": `CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELECT no_such_function();`,
      "003_after": `CREATE TABLE after_broken (id int);`,
    });

    const error = await migrate({ connectionString: db.url, dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migration).toBe("002_broken");
    expect((error as MigrationError).message).toMatch(/002_broken failed: .*no_such_function/);
    expect(await tableExists("half")).toBe(0);
    expect(await tableExists("after_broken")).toBe(0);
    const rows = await bookkeeping();
    expect(rows.map((r) => r.migration_name)).toEqual(["001_alpha"]);

    // Nothing is left behind to repair by hand: fixing the file is enough.
    await writeMigrations(dir, { "002_broken": `CREATE TABLE half (id int);` });
    const result = await migrate({ connectionString: db.url, dir });
    expect(result.applied).toEqual(["002_broken", "003_after"]);
  });

  test("a migration left unfinished blocks the runner", async () => {
    const dir = await migrationsDir(TWO);
    await migrate({ connectionString: db.url, dir });
    await query(
      `UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = '002_beta'`,
    );
    await writeMigrations(dir, { "003_late": `CREATE TABLE late (id int);` });

    const error = await migrate({ connectionString: db.url, dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toMatch(/002_beta started but did not finish/);
    expect(await tableExists("late")).toBe(0);
  });

  test("two runners started together apply each migration exactly once", async () => {
    const dir = await migrationsDir({
      // The sleep keeps the first runner busy while the second one starts.
      "001_slow": `CREATE TABLE runs (step int);\nSELECT pg_sleep(0.5);\nINSERT INTO runs VALUES (1);`,
      // No IF NOT EXISTS and no unique key: a second application would show up as a second row.
      "002_next": `INSERT INTO runs VALUES (2);`,
    });

    const [a, b] = await Promise.all([
      migrate({ connectionString: db.url, dir }),
      migrate({ connectionString: db.url, dir }),
    ]);
    expect([...a.applied, ...b.applied].sort()).toEqual(["001_slow", "002_next"]);
    expect([...a.applied, ...a.alreadyApplied].sort()).toEqual(["001_slow", "002_next"]);
    expect([...b.applied, ...b.alreadyApplied].sort()).toEqual(["001_slow", "002_next"]);

    const perName = await query<{ migration_name: string; n: number }>(
      `SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations"
       GROUP BY migration_name ORDER BY migration_name`,
    );
    expect(perName).toEqual([
      { migration_name: "001_slow", n: 1 },
      { migration_name: "002_next", n: 1 },
    ]);
    expect(await tableExists("runs")).toBe(1);
    expect(await query(`SELECT step FROM runs ORDER BY step`)).toEqual([{ step: 1 }, { step: 2 }]);
  });

  test("the project's prisma/migrations applies cleanly to an empty database", async () => {
    const dir = path.resolve("prisma/migrations");
    const names = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(names.length).toBeGreaterThan(0);

    const result = await migrate({ connectionString: db.url, dir });
    expect(result).toEqual({ applied: names, alreadyApplied: [] });
    const rows = await bookkeeping();
    for (const name of names) {
      const row = rows.find((r) => r.migration_name === name);
      const file = await readFile(path.join(dir, name, "migration.sql"));
      expect(row?.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(row?.finished_at).toBeInstanceOf(Date);
    }
    expect(await tableExists("User")).toBe(1);
  });
});

describe("migrations outside a transaction", () => {
  const CONCURRENT_INDEX = `-- kindred:no-transaction
-- Builds without blocking writes; CONCURRENTLY refuses to run inside a transaction block.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "alpha_v_idx" ON alpha (v);
CREATE INDEX CONCURRENTLY IF NOT EXISTS "alpha_w_idx" ON alpha (w);
`;
  const TABLE = { "001_alpha": `CREATE TABLE alpha (id int PRIMARY KEY, v int, w int);` };

  test("the same statement fails inside the runner's transaction (why the mode exists)", async () => {
    const dir = await migrationsDir({
      ...TABLE,
      "002_index": CONCURRENT_INDEX.replace("-- kindred:no-transaction\n", ""),
    });
    await expect(migrate({ connectionString: db.url, dir })).rejects.toThrow(
      /002_index failed: .*transaction block/,
    );
  });

  test("a no-transaction migration runs statement by statement and is recorded exactly", async () => {
    const dir = await migrationsDir({ ...TABLE, "002_index": CONCURRENT_INDEX });
    const result = await migrate({ connectionString: db.url, dir });
    expect(result.applied).toEqual(["001_alpha", "002_index"]);
    const row = (await bookkeeping()).find((r) => r.migration_name === "002_index")!;
    expect(row.checksum).toBe(sha256(CONCURRENT_INDEX));
    expect(row.finished_at).toBeInstanceOf(Date);
    expect(row.applied_steps_count).toBe(2);
    const indexes = await query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'alpha' AND indexname LIKE 'alpha_%_idx'
       ORDER BY indexname`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual(["alpha_v_idx", "alpha_w_idx"]);
    // A second run sees it as applied and does nothing.
    expect(await migrate({ connectionString: db.url, dir })).toEqual({
      applied: [],
      alreadyApplied: ["001_alpha", "002_index"],
    });
  });

  test("a failure part-way leaves the row unfinished with the error, and the next run refuses", async () => {
    const broken = `-- kindred:no-transaction
CREATE INDEX CONCURRENTLY "alpha_v_idx" ON alpha (v);
CREATE INDEX CONCURRENTLY "alpha_x_idx" ON alpha (no_such_column);
CREATE INDEX CONCURRENTLY "alpha_w_idx" ON alpha (w);
`;
    const dir = await migrationsDir({ ...TABLE, "002_index": broken });
    await expect(migrate({ connectionString: db.url, dir })).rejects.toThrow(
      /002_index \(outside a transaction\) stopped at statement 2 of 3/,
    );
    const row = (await bookkeeping()).find((r) => r.migration_name === "002_index")!;
    expect(row.finished_at).toBeNull();
    expect(row.applied_steps_count).toBe(1);
    expect((row as Row & { logs: string }).logs).toMatch(/no_such_column/);
    await expect(migrate({ connectionString: db.url, dir })).rejects.toThrow(
      /002_index started but did not finish/,
    );
  });

  // Only PostgreSQL can run two runners at once: PGlite's connections share one session (its
  // advisory locks are re-entrant), and the embedded database only ever has the launcher's runner.
  test.runIf(serverUrl())("two runners at once apply a no-transaction migration once", async () => {
    const dir = await migrationsDir({ ...TABLE, "002_index": CONCURRENT_INDEX });
    const [a, b] = await Promise.all([
      migrate({ connectionString: db.url, dir }),
      migrate({ connectionString: db.url, dir }),
    ]);
    expect([...a.applied, ...b.applied].sort()).toEqual(["001_alpha", "002_index"]);
    const rows = (await bookkeeping()).filter((r) => r.migration_name === "002_index");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.finished_at).toBeInstanceOf(Date);
  });
});
