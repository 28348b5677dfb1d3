import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Runs the fixture in a process of its own, as a worker runs (tsx resolves the @ alias). */
function run(kind: "outage" | "bug") {
  return spawnSync(
    process.execPath,
    ["--import", "tsx", path.resolve("tests/unit/fixtures/unhandled-rejection.ts"), kind],
    { encoding: "utf8", timeout: 30_000 },
  );
}

describe("a worker's unhandled rejections (pg-boss completes jobs without awaiting)", () => {
  it("survives one that says the database is away, and says so", () => {
    const result = run("outage");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/the database is away \(connect ECONNREFUSED/);
    expect(result.stdout).toMatch(/alive/);
  });

  it("still ends the process for any other", () => {
    const result = run("bug");
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/a bug/);
    expect(result.stdout).not.toMatch(/alive/);
  });
});
