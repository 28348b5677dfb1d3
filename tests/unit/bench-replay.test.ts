import type pg from "pg";
import { describe, expect, it } from "vitest";
import type { SentStatement } from "../../scripts/bench/counting-pool";
import { planReplay, replay } from "../../scripts/bench/replay";

const sent = (text: string, start: number, end: number, values?: unknown[]): SentStatement => ({
  config: { text, values },
  start,
  end,
});

describe("the in-process bench's floor plan", () => {
  it("keeps statements that ran side by side independent, and waits where the call waited", () => {
    // Three reads sent together, then one that needed their answers.
    const plan = planReplay([
      [sent("A", 0, 5), sent("B", 0.1, 4), sent("C", 0.2, 6), sent("D", 6.5, 8)],
    ]);
    expect(plan.statements.map((s) => s.config.text)).toEqual(["A", "B", "C", "D"]);
    expect(plan.dependsOn).toEqual([[], [], [], [0, 1, 2]]);
    expect(plan.waves).toBe(2);
  });

  it("drops a dependency that timing invented in one capture but not in another", () => {
    // In the first capture the client was slow to send B, after A had answered.
    const slow = [sent("A", 0, 1), sent("B", 2, 3), sent("C", 4, 5)];
    const fast = [sent("B", 0, 2), sent("A", 0.1, 1.5), sent("C", 2.5, 3)];
    const plan = planReplay([slow, fast]);
    expect(plan.statements.map((s) => s.config.text)).toEqual(["A", "B", "C"]);
    expect(plan.dependsOn).toEqual([[], [], [0, 1]]);
    expect(plan.waves).toBe(2);
  });

  it("tells repeated SQL apart by occurrence", () => {
    const plan = planReplay([[sent("S", 0, 1), sent("S", 2, 3)]]);
    expect(plan.dependsOn).toEqual([[], [0]]);
    expect(plan.waves).toBe(2);
  });

  it("refuses transactions and captures of different shapes", () => {
    expect(() =>
      planReplay([[sent("BEGIN", 0, 1), sent("A", 1, 2), sent("COMMIT", 2, 3)]]),
    ).toThrow(/transaction/);
    expect(() => planReplay([[sent("A", 0, 1)], [sent("B", 0, 1)]])).toThrow(
      /different statements/,
    );
    expect(() => planReplay([])).toThrow(/nothing was captured/);
  });

  it("replays with the same parallelism and the values it is given", async () => {
    const plan = planReplay([
      [sent("A", 0, 5, ["u1"]), sent("B", 0.1, 4, ["u1", 7]), sent("C", 6, 8, ["x"])],
    ]);
    const log: string[] = [];
    const pending: (() => void)[] = [];
    const pool = {
      query(config: pg.QueryConfig) {
        log.push(`send ${config.text} ${JSON.stringify(config.values)}`);
        return new Promise<void>((resolve) =>
          pending.push(() => {
            log.push(`done ${config.text}`);
            resolve();
          }),
        );
      },
    } as unknown as pg.Pool;
    const done = replay(pool, plan, (values) => values?.map((v) => (v === "u1" ? "u2" : v)));
    await new Promise((r) => setTimeout(r, 0));
    // A and B are in flight together; C waits for both.
    expect(log).toEqual(['send A ["u2"]', 'send B ["u2",7]']);
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['send A ["u2"]', 'send B ["u2",7]', "done A"]);
    pending.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(log.slice(3)).toEqual(["done B", 'send C ["x"]']);
    pending.shift()!();
    await done;
  });
});
