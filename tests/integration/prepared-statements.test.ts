import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db, IDLE_CONNECTION_MS } from "@/server/db";
import { canPrepare } from "@/server/db/statement-names";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * Prisma's SQL runs as named prepared statements (DATABASE_PREPARED_STATEMENTS, default on):
 * parsed once per connection, then only bound and executed. Checked on the server itself, in the
 * connection's own pg_prepared_statements (a one-connection client, so every query shares it).
 */
let app: TestApp;
const clients: Db[] = [];

beforeAll(async () => {
  app = await createTestApp();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.$disconnect()));
  await app?.close();
});

function client(preparedStatements: boolean): Db {
  const db = createDb(app.database.url, { max: 1, preparedStatements });
  clients.push(db);
  return db;
}

async function prepared(db: Db) {
  return db.$queryRaw<{ name: string; statement: string }[]>`
    SELECT name, statement FROM pg_prepared_statements ORDER BY prepare_time`;
}

describe("prepared statements", () => {
  it("prepares a read once per connection and reuses it, except on the embedded database", async () => {
    const db = client(true);
    const member = await app.createUser("MEMBER");
    for (let i = 0; i < 3; i++) {
      expect(
        await db.user.findUnique({ where: { id: member.id }, select: { email: true } }),
      ).toEqual({ email: member.email });
    }
    const reads = (await prepared(db)).filter((s) => /FROM "public"."User"/.test(s.statement));
    if (canPrepare(app.database.url)) {
      expect(reads).toHaveLength(1);
      expect(reads[0]?.name).toMatch(/^k[0-9a-f]{40}$/);
    } else {
      // Without TEST_DATABASE_URL the tests run on PGlite, whose connections share one session.
      expect(reads).toEqual([]);
    }
  });

  it("can be turned off: then nothing is left prepared on the connection", async () => {
    const db = client(false);
    const member = await app.createUser("MEMBER");
    await db.user.findUnique({ where: { id: member.id } });
    await db.user.findUnique({ where: { id: member.id } });
    expect((await prepared(db)).filter((s) => /^k[0-9a-f]{40}$/.test(s.name))).toEqual([]);
  });

  it("keeps transactions and errors working on a prepared connection", async () => {
    const db = client(true);
    const member = await app.createUser("MEMBER");
    const renamed = await db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: member.id }, data: { name: "Renamed" } });
      return tx.user.findUniqueOrThrow({ where: { id: member.id }, select: { name: true } });
    });
    expect(renamed.name).toBe("Renamed");
    // A failing statement (unique email) must not poison the names cached on the connection.
    await expect(db.user.create({ data: { email: member.email } })).rejects.toThrow();
    expect(await db.user.count({ where: { id: member.id } })).toBe(1);
    expect(await db.user.count({ where: { id: member.id } })).toBe(1);
  });

  it("plans a prepared read once: every call after the first uses the generic plan", async () => {
    const db = client(true);
    const member = await app.createUser("MEMBER");
    // Prisma passes the LIMIT as a parameter; with PostgreSQL's default (auto) such a read is
    // planned again on every call, since its generic plan's estimate is the worse one.
    const read = () =>
      db.user.findMany({ where: { id: member.id }, select: { email: true }, take: 1 });
    for (let i = 0; i < 8; i++) expect(await read()).toEqual([{ email: member.email }]);
    const mode = await db.$queryRaw<
      { mode: string }[]
    >`SELECT current_setting('plan_cache_mode') AS mode`;
    const plans = await db.$queryRaw<{ generic: bigint; custom: bigint }[]>`
      SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements
       WHERE statement LIKE 'SELECT%FROM "public"."User"%LIMIT%'`;
    if (canPrepare(app.database.url)) {
      expect(mode[0]?.mode).toBe("force_generic_plan");
      expect(plans).toHaveLength(1);
      expect(Number(plans[0]?.generic)).toBe(8);
      expect(Number(plans[0]?.custom)).toBe(0);
    } else {
      expect(mode[0]?.mode).toBe("auto");
    }
  });

  it("leaves the planner's default alone when statements are not prepared", async () => {
    const db = client(false);
    const mode = await db.$queryRaw<
      { mode: string }[]
    >`SELECT current_setting('plan_cache_mode') AS mode`;
    expect(mode[0]?.mode).toBe("auto");
  });

  it("keeps an idle connection, and what it prepared, through a reader's pause", async () => {
    // pg's pool closes a connection idle for 10 s unless told otherwise; the next request then
    // pays for a new connection and prepares every statement again.
    expect(IDLE_CONNECTION_MS).toBeGreaterThanOrEqual(60_000);
    const db = client(true);
    const pid = async () =>
      (await db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]?.pid;
    const before = await pid();
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect(await pid()).toBe(before);
  }, 30_000);
});
