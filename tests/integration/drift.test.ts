import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { type Dmmf, findDrift, readCatalog, readDmmf } from "../helpers/drift";

let db: TestDatabase;
let client: pg.Client;
let dmmf: Dmmf;

beforeAll(async () => {
  dmmf = await readDmmf(path.resolve("prisma/schema.prisma"));
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

/** Applies `sql`, reads the drift, then rolls back so every case starts from the migrated db. */
async function driftAfter(sql: string): Promise<string[]> {
  await client.query("BEGIN");
  try {
    await client.query(sql);
    return findDrift(dmmf, await readCatalog(client));
  } finally {
    await client.query("ROLLBACK");
  }
}

describe("schema drift", () => {
  test("a freshly migrated database matches prisma/schema.prisma exactly", async () => {
    expect(findDrift(dmmf, await readCatalog(db.url))).toEqual([]);
  });

  test("a dropped column is reported missing", async () => {
    expect(await driftAfter(`ALTER TABLE "User" DROP COLUMN "timeZone"`)).toEqual([
      `column "User"."timeZone": missing in database`,
    ]);
  });

  // Each mutation must produce exactly the one line that names what changed.
  test.each([
    {
      what: "dropped index",
      sql: `DROP INDEX "Account_userId_idx"`,
      drift: `index "Account_userId_idx" on "Account"("userId"): missing in database`,
    },
    {
      what: "index with its columns reordered",
      sql: `DROP INDEX "Email_status_createdAt_idx";
            CREATE INDEX "Email_status_createdAt_idx" ON "Email"("createdAt", "status")`,
      drift: `index "Email_status_createdAt_idx" on "Email"("status", "createdAt"): is on "Email"("createdAt", "status") in database`,
    },
    {
      what: "unique index made plain",
      sql: `DROP INDEX "User_email_key"; CREATE INDEX "User_email_key" ON "User"("email")`,
      drift: `unique index "User_email_key" on "User"("email"): not unique in database`,
    },
    {
      what: "extra index",
      sql: `CREATE INDEX "User_name_idx" ON "User"("name")`,
      drift: `index "User_name_idx" on "User"("name"): in database, not in schema`,
    },
    {
      what: "changed literal default",
      sql: `ALTER TABLE "Email" ALTER COLUMN "attempts" SET DEFAULT 1`,
      drift: `column "Email"."attempts": default is 1 in database, schema expects 0`,
    },
    {
      what: "changed text default",
      sql: `ALTER TABLE "User" ALTER COLUMN "timeZone" SET DEFAULT 'Europe/Paris'`,
      drift: `column "User"."timeZone": default is 'Europe/Paris'::text in database, schema expects "UTC"`,
    },
    {
      what: "changed json default",
      sql: `ALTER TABLE "OutboxMessage" ALTER COLUMN "tags" SET DEFAULT '{}'`,
      drift: `column "OutboxMessage"."tags": default is '{}'::jsonb in database, schema expects "[]"`,
    },
    {
      what: "default on an @updatedAt column",
      sql: `ALTER TABLE "Email" ALTER COLUMN "updatedAt" SET DEFAULT now()`,
      drift: `column "Email"."updatedAt": has default now() in database, schema expects none`,
    },
    {
      what: "dropped autoincrement",
      sql: `ALTER TABLE "RateLimitHit" ALTER COLUMN "id" DROP DEFAULT`,
      drift: `column "RateLimitHit"."id": has no default in database, schema expects autoincrement()`,
    },
    {
      what: "optional column made NOT NULL",
      sql: `ALTER TABLE "User" ALTER COLUMN "name" SET NOT NULL`,
      drift: `column "User"."name": NOT NULL in database, schema expects nullable`,
    },
    {
      what: "changed type",
      sql: `ALTER TABLE "AuditLog" ALTER COLUMN "targetId" TYPE varchar(40)`,
      drift: `column "AuditLog"."targetId": type is character varying(40), schema expects text`,
    },
    {
      what: "extra column",
      sql: `ALTER TABLE "User" ADD COLUMN "nickname" text`,
      drift: `column "User"."nickname": in database, not in schema`,
    },
    {
      what: "extra table",
      sql: `CREATE TABLE "Stray" ("id" integer PRIMARY KEY)`,
      drift: `table "Stray": in database, not in schema`,
    },
    {
      what: "extra enum value",
      sql: `ALTER TYPE "Role" ADD VALUE 'OWNER'`,
      drift: `enum "Role": value "OWNER" in database, not in schema`,
    },
    {
      what: "dropped foreign key",
      sql: `ALTER TABLE "Session" DROP CONSTRAINT "Session_userId_fkey"`,
      drift: `foreign key "Session_userId_fkey" on "Session"("userId"): missing in database`,
    },
    {
      what: "foreign key with another ON DELETE",
      sql: `ALTER TABLE "Account" DROP CONSTRAINT "Account_userId_fkey";
            ALTER TABLE "Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId")
              REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE`,
      drift: `foreign key "Account_userId_fkey" on "Account"("userId"): ON DELETE RESTRICT in database, schema expects CASCADE`,
    },
  ])("reports $what", async ({ sql, drift }) => {
    expect(await driftAfter(sql)).toEqual([drift]);
  });

  test("ignores other schemas such as pg-boss's", async () => {
    expect(
      await driftAfter(`CREATE SCHEMA IF NOT EXISTS pgboss; CREATE TABLE pgboss."User" ("x" int)`),
    ).toEqual([]);
  });
});
