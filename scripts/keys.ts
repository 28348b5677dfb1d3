import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { countPlainRows, sealPlainRows } from "@/server/crypto/backfill";
import { masterKeyFile } from "@/server/crypto/master-keys";
import { keyProvider, keyStatus, rotateMasterKey } from "@/server/crypto/vault";
import { createDb, type Db } from "@/server/db";
import { loadDotEnv } from "./load-env";

/**
 * Encryption at rest, by hand (README, "Master key"):
 *   npm run keys -- status        which master key wraps how many data keys; rows still plain
 *   npm run keys -- seal          seals rows written before encryption at rest (resumable)
 *   npm run keys -- rotate        re-wraps every data key under the current master key (resumable)
 *   npm run keys -- new-master    demo/embedded only: puts a new key first in the data folder's
 *                                 key file, keeping the old one for `rotate`
 */
loadDotEnv();
const command = process.argv[2] ?? "status";
const url = process.env.DATABASE_URL;

function say(line: string) {
  console.log(`[keys] ${line}`);
}

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (!url) throw new Error("DATABASE_URL is required (a postgres:// connection string).");
  const db = createDb(url, { max: 2 });
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

try {
  if (command === "new-master") {
    if (process.env.KINDRED_MASTER_KEY) {
      throw new Error(
        "KINDRED_MASTER_KEY is set: put the new key there and the old one in KINDRED_MASTER_KEY_PREVIOUS, then run `npm run keys -- rotate`.",
      );
    }
    const file = masterKeyFile();
    const old = existsSync(file) ? readFileSync(file, "utf8") : "";
    writeFileSync(file, `${randomBytes(32).toString("base64")}\n${old}`, { mode: 0o600 });
    say(`a new master key is first in ${file}; now run: npm run keys -- rotate`);
  } else if (command === "status") {
    await withDb(async (db) => {
      say(`current master key: ${keyProvider().currentId}`);
      for (const row of await keyStatus(db)) say(`${row.kek_id}: ${row.n} data key(s)`);
      const plain = Object.entries(await countPlainRows(db)).filter(([, n]) => n > 0);
      say(
        plain.length
          ? `still plain: ${plain.map(([t, n]) => `${t} ${n}`).join(", ")}`
          : "no plain rows",
      );
    });
  } else if (command === "seal") {
    await withDb(async (db) => {
      const totals = await sealPlainRows(db, {
        onBatch: (p) => say(`${p.table}: ${p.sealed} row(s) sealed`),
      });
      say(`done: ${Object.values(totals).reduce((a, b) => a + b, 0)} row(s) sealed`);
    });
  } else if (command === "rotate") {
    await withDb(async (db) => {
      const result = await rotateMasterKey(db, {
        onBatch: (p) => say(`${p.rewrapped} re-wrapped, ${p.remaining} to go`),
      });
      say(
        `done: ${result.rewrapped} data key(s) re-wrapped under ${keyProvider().currentId}; ${result.remaining} left. Earlier master keys can be removed once none is left.`,
      );
    });
  } else {
    throw new Error(`Unknown command "${command}": status, seal, rotate or new-master.`);
  }
} catch (error) {
  console.error(`[keys] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
