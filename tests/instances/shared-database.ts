import { startEmbeddedPostgres } from "@/server/db/embedded";
import { migrate } from "@/server/db/migrate";
import { createTestDatabase, serverUrl, type TestDatabase } from "../helpers/database";

/**
 * A fresh database on TEST_DATABASE_URL's server; without one, the embedded PostgreSQL (PGlite
 * in this process, served on loopback) with room for several processes' connection pools.
 */
export async function sharedDatabase(): Promise<TestDatabase> {
  if (serverUrl()) return createTestDatabase();
  const embedded = await startEmbeddedPostgres({ maxConnections: 100 });
  await migrate({ connectionString: embedded.url });
  return { url: embedded.url, drop: embedded.stop };
}
