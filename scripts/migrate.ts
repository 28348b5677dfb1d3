import { sealPlainRows } from "@/server/crypto/backfill";
import { createDb } from "@/server/db";
import { migrate } from "@/server/db/migrate";
import { JOBS } from "@/server/jobs/registry";
import { installQueues } from "@/server/jobs/worker";
import { importLegacyUploads } from "@/server/uploads/import-folder";
import { loadDotEnv } from "./load-env";

// Production: `npm run db:migrate` before starting new web/worker processes.
loadDotEnv();
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is required (a postgres:// connection string).");
  process.exit(1);
}
try {
  const result = await migrate({ connectionString: url, log: (line) => console.log(line) });
  await installQueues(url, JOBS);
  const db = createDb(url, { max: 1 });
  try {
    await importLegacyUploads(db, (line) => console.log(line));
    // Rows written before encryption at rest are sealed now (resumable: run it again).
    const sealed = await sealPlainRows(db);
    const n = Object.values(sealed).reduce((a, b) => a + b, 0);
    if (n > 0) console.log(`sealed ${n} row(s) of private text`);
  } finally {
    await db.$disconnect();
  }
  console.log(
    `migrations: ${result.applied.length} applied, ${result.alreadyApplied.length} already applied; job queues ready`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
