import { randomBytes } from "node:crypto";
import pg from "pg";
import { sealPlainRows } from "@/server/crypto/backfill";
import { createDb } from "@/server/db";
import { migrate } from "@/server/db/migrate";
import { benchServerUrl, dropBenchDatabase, recreateBenchDatabase } from "./database";
import { type Population, type PopulationOptions, seedPopulation } from "./population";

export type BenchDatabase = {
  server: string;
  name: string;
  url: string;
  population: Population;
  seedSeconds: number;
  drop: () => Promise<void>;
};

/** Seals the rows inserted in the clear, under a master key this process and its server share. */
export async function sealPopulation(url: string): Promise<number> {
  process.env.KINDRED_MASTER_KEY ??= randomBytes(32).toString("base64");
  const db = createDb(url, { max: 2 });
  try {
    return Object.values(await sealPlainRows(db)).reduce((a, b) => a + b, 0);
  } finally {
    await db.$disconnect();
  }
}

/**
 * Leaves the seeded database as a live one would be: every row written once, statistics fresh.
 * The seed inserts private text in the clear and seals it afterwards, so each sealed row was
 * written twice and its first version is dead. A live database never had those versions, and
 * autovacuum would clean up after any churn (this machine's CI PostgreSQL runs with autovacuum
 * off, and elsewhere it would start in the middle of a measurement). VACUUM FULL rewrites each
 * table and index compactly; ANALYZE then reads the sealed rows' real widths.
 */
export async function settleBenchDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("VACUUM (FULL, ANALYZE)");
  } finally {
    await client.end();
  }
}

/** A fresh bench database on the configured server: created, migrated, seeded, settled. */
export async function prepareBenchDatabase(
  name: string,
  options: PopulationOptions = {},
  log = console.log,
): Promise<BenchDatabase> {
  const server = benchServerUrl();
  const url = await recreateBenchDatabase(server, name);
  log(`database ${name} on ${new URL(server).host}: migrating and seeding…`);
  await migrate({ connectionString: url });
  const started = performance.now();
  const population = await seedPopulation(url, options);
  const seedSeconds = (performance.now() - started) / 1000;
  // The population is inserted by SQL, in the clear; sealed here as the app would have written it
  // (the server started later shares this process's master key).
  const sealStarted = performance.now();
  const sealed = await sealPopulation(url);
  log(
    `sealed ${sealed} rows of private text in ${((performance.now() - sealStarted) / 1000).toFixed(1)} s`,
  );
  const settleStarted = performance.now();
  await settleBenchDatabase(url);
  log(`vacuumed and analysed in ${((performance.now() - settleStarted) / 1000).toFixed(1)} s`);
  const c = population.counts;
  log(
    `seeded in ${seedSeconds.toFixed(1)} s: ${c.users} users, ${c.passes} answers, ${c.people} people, ` +
      `${c.reachOuts} reach-outs, ${c.commitments} commitments, ${c.checkIns} check-ins, ` +
      `${c.practiceTicks} practice ticks, ${c.shares} shares`,
  );
  return {
    server,
    name,
    url,
    population,
    seedSeconds,
    drop: () => dropBenchDatabase(server, name),
  };
}

/**
 * Signs a user in the way next-auth's database strategy does after a magic link: a Session row
 * whose token is the cookie value. Returns the token.
 */
export async function insertSession(url: string, userId: string): Promise<string> {
  const token = randomBytes(32).toString("hex");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "Session"(id, "sessionToken", "userId", expires)
       VALUES ($1, $2, $3, now() + interval '1 day')`,
      [`bench-session-${token.slice(0, 16)}`, token, userId],
    );
  } finally {
    await client.end();
  }
  return token;
}
