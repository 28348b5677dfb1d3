import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/server/db";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "@/server/db/embedded";
import { migrate } from "@/server/db/migrate";

/**
 * The embedded database always, whatever TEST_DATABASE_URL says: many connections sending
 * extended-protocol queries and transactions at once must not trip over PGlite's single session.
 */
let pg: EmbeddedPostgres;
let db: Db;

beforeAll(async () => {
  pg = await startEmbeddedPostgres({});
  await migrate({ connectionString: pg.url });
  db = createDb(pg.url, { max: 8 });
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await pg?.stop();
});

describe("embedded PostgreSQL under concurrency", () => {
  it("answers 200 concurrent parameterised queries and transactions without errors", async () => {
    const work = Array.from({ length: 200 }, (_, i) =>
      i % 5 === 0
        ? db.$transaction(async (tx) => {
            await tx.user.create({ data: { email: `c${i}@embedded.test`, name: `C ${i}` } });
            return tx.user.count({ where: { email: { endsWith: "@embedded.test" } } });
          })
        : db.user.findMany({ where: { email: { contains: String(i) } }, take: 3 }),
    );
    const results = await Promise.allSettled(work);
    const failures = results.flatMap((r) =>
      r.status === "rejected" ? [String(r.reason).slice(0, 200)] : [],
    );
    expect(failures).toEqual([]);
    expect(await db.user.count()).toBe(40);
  });

  it("keeps a connection's statement and portal while others run transactions", async () => {
    const task = async (i: number) => {
      await db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`k${i % 3}`}))`;
        await tx.rateLimitHit.findMany({ where: { bucket: "b", key: `k${i % 3}` }, take: 5 });
        await tx.rateLimitHit.createMany({ data: [{ bucket: "b", key: `k${i % 3}` }] });
      });
      return db.user.findUnique({ where: { email: `c${i}@embedded.test` }, select: { id: true } });
    };
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => task(i)));
    const failures = results.flatMap((r) =>
      r.status === "rejected" ? [String(r.reason).slice(-200)] : [],
    );
    expect(failures).toEqual([]);
    expect(await db.rateLimitHit.count()).toBe(60);
  });
});
