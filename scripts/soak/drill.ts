import { execFile } from "node:child_process";
import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import {
  type Child,
  freePort,
  groupAlive,
  killGroup,
  productionEnv,
  startChild,
  stopChild,
  waitFor,
} from "../../tests/instances/processes";
import type { Cluster } from "../fault/cluster";

const run = promisify(execFile);

export type DrillResult = {
  dumpBytes: number;
  dumpSeconds: number;
  restoreSeconds: number;
  health: number | null;
  tables: { table: string; original: number; restored: number }[];
  mismatched: string[];
  webExit: number | null | string;
  orphan: boolean;
  ok: boolean;
};

async function rowCounts(url: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables
        WHERE schemaname IN ('public', 'pgboss') ORDER BY 1`,
    );
    const counts = new Map<string, number>();
    for (const { name } of tables) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
      counts.set(name, rows[0]?.n ?? 0);
    }
    return counts;
  } finally {
    await client.end();
  }
}

/**
 * The backup the README documents, tried for real: `pg_dump -Fc` of the soak's database (with
 * nothing writing to it), `pg_restore` into a new database on the same server, one web process
 * started on the copy, /api/health asked, and the row count of every table compared.
 */
export async function restoreDrill(options: {
  cluster: Cluster;
  database: string;
  dataRoot: string;
  log: (line: string) => void;
}): Promise<DrillResult> {
  const { cluster, database, log } = options;
  const copy = `${database}_restored`;
  const file = path.join(options.dataRoot, `${database}.dump`);
  const original = cluster.url(database);
  const restored = cluster.url(copy);

  let started = performance.now();
  await run(cluster.bin("pg_dump"), ["-Fc", "--no-owner", "-f", file, "-d", original]);
  const dumpSeconds = (performance.now() - started) / 1000;
  const dumpBytes = (await stat(file)).size;
  log(`  pg_dump -Fc: ${(dumpBytes / 1024 / 1024).toFixed(1)} MB in ${dumpSeconds.toFixed(1)} s`);

  const admin = new pg.Client({ connectionString: cluster.url("postgres") });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${copy}`);
  await admin.query(`CREATE DATABASE ${copy}`);
  await admin.end();
  started = performance.now();
  await run(cluster.bin("pg_restore"), ["--no-owner", "--exit-on-error", "-d", restored, file]);
  const restoreSeconds = (performance.now() - started) / 1000;
  log(`  pg_restore into ${copy}: ${restoreSeconds.toFixed(1)} s`);

  // Counted before the app starts on the copy (starting writes nothing a count would see, but
  // the comparison should not depend on that).
  const [before, after] = await Promise.all([rowCounts(original), rowCounts(restored)]);
  const port = await freePort();
  let web: Child | undefined;
  let health: number | null = null;
  let webExit: DrillResult["webExit"] = null;
  try {
    web = startChild("restored web", ["--import", "tsx", "scripts/web.ts", "start"], {
      ...productionEnv(restored, {
        PORT: String(port),
        WEB_CONCURRENCY: "1",
        APP_URL: `http://127.0.0.1:${port}`,
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        KINDRED_DATA_DIR: path.join(options.dataRoot, "restored-web"),
      }),
    });
    health = await waitFor(
      "the web process on the restored database",
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
        await response?.arrayBuffer().catch(() => null);
        return response?.status === 200 ? 200 : undefined;
      },
      { children: [web], timeoutMs: 180_000 },
    ).catch(() => null);
    webExit = await stopChild(web).catch((error: Error) => `killed: ${error.message}`);
  } finally {
    if (web) killGroup(web);
    await rm(file, { force: true });
  }
  const tables = [...before.keys()].map((table) => ({
    table,
    original: before.get(table) ?? 0,
    restored: after.get(table) ?? -1,
  }));
  const mismatched = tables.filter((t) => t.original !== t.restored).map((t) => t.table);
  const orphan = web ? groupAlive(web.pid) : false;
  return {
    dumpBytes,
    dumpSeconds,
    restoreSeconds,
    health,
    tables,
    mismatched,
    webExit,
    orphan,
    ok: health === 200 && mismatched.length === 0 && !orphan && webExit === 0,
  };
}
