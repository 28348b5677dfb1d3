import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  databaseTroubledRecently,
  databaseUnavailability,
  noteDatabaseTrouble,
  TROUBLE_WINDOW_MS,
} from "@/server/db/availability";
import { createWebServer } from "@/server/http/web-server";

/** The shapes Prisma 7's pg adapter and node-postgres really produced (scripts/fault probe). */
const prismaError = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error("Invalid `prisma.$queryRaw()` invocation"), {
    name: "PrismaClientKnownRequestError",
    code,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
  });

describe("which failures mean the database is away", () => {
  it("a stopped server, a shutdown, a cut connection and a full disk", () => {
    expect(
      databaseUnavailability(
        prismaError("P2010", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5 }),
      ),
    ).toBe("unreachable");
    expect(databaseUnavailability(prismaError("P1001", { kind: "DatabaseNotReachable" }))).toBe(
      "unreachable",
    );
    for (const state of ["57P01", "57P03", "08006"]) {
      expect(databaseUnavailability(prismaError("P2010", { kind: "postgres", code: state }))).toBe(
        "unreachable",
      );
    }
    expect(databaseUnavailability(new Error("Connection terminated unexpectedly"))).toBe(
      "unreachable",
    );
    expect(
      databaseUnavailability(
        Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      ),
    ).toBe("unreachable");
    expect(databaseUnavailability(prismaError("P2010", { kind: "postgres", code: "53100" }))).toBe(
      "full",
    );
    // Wrapped once more (a TRPCError's cause).
    expect(
      databaseUnavailability({ cause: prismaError("P2010", { kind: "ConnectionClosed" }) }),
    ).toBe("unreachable");
  });

  it("not a bug, a bad statement, a race or a refusal", () => {
    expect(databaseUnavailability(new Error("boom"))).toBeNull();
    expect(databaseUnavailability(new TypeError("x is undefined"))).toBeNull();
    expect(
      databaseUnavailability(prismaError("P2002", { kind: "UniqueConstraintViolation" })),
    ).toBeNull();
    expect(
      databaseUnavailability(prismaError("P2010", { kind: "postgres", code: "42P01" })),
    ).toBeNull();
    expect(databaseUnavailability(null)).toBeNull();
    expect(databaseUnavailability("Connection terminated")).toBeNull();
  });

  it("remembers trouble for a while, then forgets it", () => {
    const now = 1_000_000_000;
    noteDatabaseTrouble(now);
    expect(databaseTroubledRecently(now + 1_000)).toBe(true);
    expect(databaseTroubledRecently(now + TROUBLE_WINDOW_MS + 1)).toBe(false);
  });
});

describe("the web server while the database is away", () => {
  const servers: { stop: () => Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  async function serveFailing(write: "writeHead" | "statusCode" | "throw") {
    const web = createWebServer({
      trustedProxies: 0,
      handler: (_req, res) => {
        if (write === "throw") throw new Error("render failed");
        if (write === "writeHead") res.writeHead(500, "Internal Server Error", { "x-a": "1" });
        else res.statusCode = 500;
        res.end("failed");
      },
    });
    servers.push(web);
    const { port } = (await web.listen(0, "127.0.0.1")) as AddressInfo;
    return `http://127.0.0.1:${port}/`;
  }

  it("turns a server error into 503 with Retry-After while the database was away lately", async () => {
    noteDatabaseTrouble();
    for (const write of ["writeHead", "statusCode", "throw"] as const) {
      const response = await fetch(await serveFailing(write));
      expect(response.status, write).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      await response.text();
    }
  });

  it("leaves a server error a 500 otherwise", async () => {
    noteDatabaseTrouble(Date.now() - TROUBLE_WINDOW_MS - 1_000);
    const response = await fetch(await serveFailing("statusCode"));
    expect(response.status).toBe(500);
    expect(response.headers.get("retry-after")).toBeNull();
    await response.text();
  });
});
