import { describe, expect, it } from "vitest";
import {
  assertBenchDatabaseName,
  benchDatabaseUrl,
  benchServerUrl,
  DEFAULT_SERVER,
  dropBenchDatabase,
  NotABenchDatabaseError,
  recreateBenchDatabase,
} from "../../scripts/bench/database";

// Port 1 on loopback: nothing listens there, so any attempt to connect would fail with
// ECONNREFUSED. A refusal must come first, before any connection is tried.
const UNREACHABLE = "postgresql://postgres@127.0.0.1:1/postgres";

describe("bench databases", () => {
  it("accepts only plain names that start with kindred_bench", () => {
    expect(assertBenchDatabaseName("kindred_bench_http")).toBe("kindred_bench_http");
    expect(assertBenchDatabaseName("kindred_bench")).toBe("kindred_bench");
    for (const name of [
      "postgres",
      "kindred",
      "kindred_e2e",
      "kindred_t_abc",
      "my_kindred_bench",
      "Kindred_bench_x",
      "kindred_bench; DROP DATABASE postgres",
      'kindred_bench"x',
    ]) {
      expect(() => assertBenchDatabaseName(name), name).toThrow(NotABenchDatabaseError);
    }
  });

  it("refuses to create or drop any other database, before connecting to the server", async () => {
    await expect(recreateBenchDatabase(UNREACHABLE, "postgres")).rejects.toThrow(
      /refusing to touch database "postgres"/,
    );
    await expect(recreateBenchDatabase(UNREACHABLE, "kindred")).rejects.toThrow(
      NotABenchDatabaseError,
    );
    await expect(dropBenchDatabase(UNREACHABLE, "kindred_e2e")).rejects.toThrow(
      NotABenchDatabaseError,
    );
  });

  it("puts the bench database on the configured server", () => {
    expect(benchServerUrl({})).toBe(DEFAULT_SERVER);
    expect(benchServerUrl({ DATABASE_URL: "postgresql://a@db:5433/kindred" })).toBe(
      "postgresql://a@db:5433/kindred",
    );
    expect(
      benchServerUrl({
        TEST_DATABASE_URL: "postgresql://t@h/x",
        DATABASE_URL: "postgresql://d@h/y",
      }),
    ).toBe("postgresql://t@h/x");
    expect(
      benchDatabaseUrl("postgresql://a@db:5433/kindred?sslmode=disable", "kindred_bench_x"),
    ).toBe("postgresql://a@db:5433/kindred_bench_x?sslmode=disable");
    expect(() => benchDatabaseUrl("postgresql://a@db/kindred", "kindred")).toThrow(
      NotABenchDatabaseError,
    );
  });
});
