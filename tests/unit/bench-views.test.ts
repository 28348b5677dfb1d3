import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { treeCpuSeconds } from "../../scripts/bench/machine";

describe("bench:views's server CPU reading", () => {
  it("counts the CPU of a process's descendants, and not of other processes", async () => {
    const before = treeCpuSeconds(process.pid);
    // A child that burns about 0.4 s of CPU, then waits to be read.
    const child = spawn(process.execPath, [
      "-e",
      "const end = Date.now() + 400; while (Date.now() < end); console.log('done'); setTimeout(() => {}, 10000);",
    ]);
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    try {
      const grown = treeCpuSeconds(process.pid) - before;
      expect(grown).toBeGreaterThanOrEqual(0.3);
      // The child's own tree holds its burn; a process that does not exist has none.
      expect(treeCpuSeconds(child.pid!)).toBeGreaterThanOrEqual(0.3);
      expect(treeCpuSeconds(999_999_999)).toBe(0);
    } finally {
      child.kill();
    }
  });
});
