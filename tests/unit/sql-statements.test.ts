import { describe, expect, it } from "vitest";
import { splitSqlStatements } from "@/server/db/sql-statements";

describe("splitSqlStatements", () => {
  it("splits at top-level semicolons and drops empty statements", () => {
    expect(splitSqlStatements("CREATE TABLE a (id int);\n\nINSERT INTO a VALUES (1);;  ")).toEqual([
      "CREATE TABLE a (id int)",
      "INSERT INTO a VALUES (1)",
    ]);
    expect(splitSqlStatements("SELECT 1")).toEqual(["SELECT 1"]);
  });

  it("keeps semicolons inside strings, identifiers and dollar quotes", () => {
    const script = [
      `INSERT INTO t VALUES ('a;b', 'it''s; fine', E'x\\';y')`,
      `CREATE TABLE "we;ird" ("a""; b" int)`,
      `CREATE FUNCTION f() RETURNS int AS $body$ BEGIN RETURN 1; END; $body$ LANGUAGE plpgsql`,
      `DO $$ BEGIN PERFORM 1; END $$`,
    ].join(";\n");
    expect(splitSqlStatements(script)).toHaveLength(4);
  });

  it("ignores semicolons in comments, and statements that are only comments", () => {
    const script = `-- first; still a comment
CREATE INDEX CONCURRENTLY "i" ON "t" ("a"); /* a; /* nested; */ still; */
-- trailing comment;
`;
    expect(splitSqlStatements(script)).toEqual([
      `-- first; still a comment\nCREATE INDEX CONCURRENTLY "i" ON "t" ("a")`,
    ]);
  });

  it("does not take $1 parameters or names with $ for dollar quotes", () => {
    expect(splitSqlStatements("SELECT $1; SELECT a$b$ FROM t")).toEqual([
      "SELECT $1",
      "SELECT a$b$ FROM t",
    ]);
  });
});
