import { describe, expect, it } from "vitest";
import {
  canPrepare,
  EMBEDDED_APPLICATION_NAME,
  preparedStatementsEnabled,
  statementNamer,
} from "@/server/db/statement-names";

describe("statement names", () => {
  it("gives one text one name, and different texts different names", () => {
    const name = statementNamer();
    const a = name({ sql: 'SELECT "id" FROM "User" WHERE "id" = $1' });
    const b = name({ sql: 'SELECT "id" FROM "User" WHERE "email" = $1' });
    expect(a).toMatch(/^k[0-9a-f]{40}$/);
    expect(name({ sql: 'SELECT "id" FROM "User" WHERE "id" = $1' })).toBe(a);
    expect(b).not.toBe(a);
    // PostgreSQL truncates identifiers past 63 bytes; two names must never collide that way.
    expect(a?.length).toBeLessThanOrEqual(63);
  });

  it("stops naming new texts past its limit, and keeps the names it gave", () => {
    const name = statementNamer(2);
    const first = name({ sql: "SELECT 1" });
    const second = name({ sql: "SELECT 2" });
    expect(first && second).toBeTruthy();
    expect(name({ sql: "SELECT 3" })).toBeUndefined();
    expect(name({ sql: "SELECT 1" })).toBe(first);
  });

  it("is on unless DATABASE_PREPARED_STATEMENTS turns it off", () => {
    for (const value of [undefined, "", "on", "1", "true", " ON "]) {
      expect(preparedStatementsEnabled(value)).toBe(true);
    }
    for (const value of ["off", "0", "false", " Off "]) {
      expect(preparedStatementsEnabled(value)).toBe(false);
    }
  });

  it("never prepares on the embedded database, whose connections share one session", () => {
    expect(canPrepare("postgresql://postgres@db.example:5432/kindred")).toBe(true);
    expect(canPrepare("postgresql://u@h/db?application_name=reporting")).toBe(true);
    expect(
      canPrepare(
        `postgresql://postgres@127.0.0.1:5433/postgres?sslmode=disable&application_name=${EMBEDDED_APPLICATION_NAME}`,
      ),
    ).toBe(false);
  });
});
