import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { checkHealth, publicHealth } from "@/server/health/service";
import { createTestApp, type TestApp } from "../helpers/app";
import { countingDb } from "../helpers/statements";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

describe("health", () => {
  it("tells anonymous callers up or down with one statement, and nothing more", async () => {
    const counting = countingDb(app.database.url);
    try {
      expect(await publicHealth(counting.db)).toEqual({ status: "ok" });
      expect(counting.statements()).toEqual(["SELECT 1"]);
    } finally {
      await counting.close();
    }
    // An unreachable database is "down", without the driver's message (hosts, users).
    const dead = countingDb("postgresql://nobody@127.0.0.1:1/nothing");
    try {
      expect(await publicHealth(dead.db)).toEqual({ status: "down" });
    } finally {
      await dead.close();
    }
  });

  it("the route answers 200 with the status only, never cached", async () => {
    process.env.DATABASE_URL = app.database.url;
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("gives admins the queue and mode through bounded reads", async () => {
    const health = await checkHealth(app.db, app.env);
    expect(health).toMatchObject({
      status: expect.stringMatching(/ok|degraded/),
      database: { ok: true },
      mode: { demo: true, email: "outbox", billing: "emulator" },
    });
    expect(
      await app
        .caller(null)
        .admin.health()
        .catch((e) => e.code),
    ).toBe("UNAUTHORIZED");
  });
});
