import { describe, expect, it } from "vitest";
import { RestartBudget, webProcessCount } from "@/server/http/web-processes";

describe("web processes", () => {
  it("run one per core in production unless WEB_CONCURRENCY says otherwise", () => {
    expect(webProcessCount({ dev: false, configured: null, cores: 2 })).toBe(2);
    expect(webProcessCount({ dev: false, configured: 3, cores: 2 })).toBe(3);
    expect(webProcessCount({ dev: false, configured: 1, cores: 8 })).toBe(1);
    expect(webProcessCount({ dev: false, configured: null, cores: 0 })).toBe(1);
  });

  it("run one in development, whatever is configured", () => {
    expect(webProcessCount({ dev: true, configured: 4, cores: 8 })).toBe(1);
  });

  it("restart a dying process a few times a minute, then give up", () => {
    const budget = new RestartBudget(2, 60_000);
    expect(budget.allow(0)).toBe(true);
    expect(budget.allow(1_000)).toBe(true);
    expect(budget.allow(2_000)).toBe(false);
    // A minute later the early deaths no longer count.
    expect(budget.allow(61_500)).toBe(true);
  });
});
