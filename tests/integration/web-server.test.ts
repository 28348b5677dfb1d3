import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS } from "@/server/auth/sign-in-link";
import { createWebServer, type NodeHandler } from "@/server/http/web-server";
import { clientIp } from "@/server/trpc/context";
import { requestCookies } from "@/server/trpc/http";
import { appRouter } from "@/server/trpc/root";
import { createTestApp, type TestApp } from "../helpers/app";
import { nodeListener } from "../helpers/http-server";

/**
 * Kindred's web server in front of the real tRPC router and a real database: the client address
 * the sign-in limits key on comes from the socket unless proxies are configured, whatever a
 * client writes into X-Forwarded-For (or into the internal header itself).
 */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

/** The tRPC endpoint as the Next route serves it, with the test database and queue. */
const trpc: NodeHandler = nodeListener((request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: ({ resHeaders }) => ({
      db: app.db,
      env: app.env,
      session: null,
      ip: clientIp(request.headers),
      queue: async () => app.queue,
      resHeaders,
      cookies: requestCookies(request.headers),
    }),
  }),
);

async function serve(handler: NodeHandler, trustedProxies: number, graceMs?: number) {
  const web = createWebServer({ handler, trustedProxies, graceMs });
  const address = await web.listen(0, "127.0.0.1");
  return { web, url: `http://127.0.0.1:${address.port}` };
}

type Answer = { status: number; body: string };

/** One request on its own connection (no pooling), so a refused connection shows as such. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? "GET", headers: options.headers, agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

function requestLink(url: string, email: string, headers: Record<string, string>) {
  return send(`${url}/api/trpc/auth.requestLink`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ json: { email } }),
  });
}

async function ipKeys(): Promise<string[]> {
  const rows = await app.db.rateLimitHit.findMany({
    where: { bucket: "sign-in:ip" },
    select: { key: true },
    distinct: ["key"],
  });
  return rows.map((r) => r.key).sort();
}

describe("client address", () => {
  it("a spoofed X-Forwarded-For does not escape the per-network sign-in limit (TRUSTED_PROXIES=0)", async () => {
    await app.db.rateLimitHit.deleteMany();
    const { web, url } = await serve(trpc, 0);
    try {
      for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++) {
        const answer = await requestLink(url, `spoof-${i}@example.org`, {
          "x-forwarded-for": `10.66.${i}.1`,
          "x-real-ip": `10.77.${i}.1`,
          // The internal header itself, forged: the server replaces it.
          "x-kindred-client-ip": `10.88.${i}.1`,
        });
        expect(answer.status, answer.body).toBe(200);
      }
      const refused = await requestLink(url, "spoof-last@example.org", {
        "x-forwarded-for": "10.99.99.99",
        "x-kindred-client-ip": "10.99.99.98",
      });
      expect(refused.status).toBe(429);
      expect(refused.body).toContain("Too many sign-in requests from your network");
      // Every attempt counted against the one real address: the socket's.
      expect(await ipKeys()).toEqual(["127.0.0.1"]);
      expect(
        await app.db.verificationToken.count({ where: { identifier: "spoof-last@example.org" } }),
      ).toBe(0);
    } finally {
      await web.stop();
    }
  });

  it("with TRUSTED_PROXIES=1 takes the hop the proxy appended, not the client's prefix", async () => {
    await app.db.rateLimitHit.deleteMany();
    const { web, url } = await serve(trpc, 1);
    try {
      const answer = await requestLink(url, "proxied@example.org", {
        "x-forwarded-for": "6.6.6.6, 198.51.100.23",
        "x-kindred-client-ip": "6.6.6.7",
      });
      expect(answer.status, answer.body).toBe(200);
      expect(await ipKeys()).toEqual(["198.51.100.23"]);
    } finally {
      await web.stop();
    }
  });

  it("hands the app only its own header: forged copies are gone, X-Forwarded-For too at 0", async () => {
    const seen: Record<string, unknown>[] = [];
    const echo: NodeHandler = (req, res) => {
      seen.push({
        ip: req.headers["x-kindred-client-ip"],
        xff: req.headers["x-forwarded-for"],
        raw: req.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase()),
      });
      res.end("ok");
    };
    for (const proxies of [0, 1]) {
      const { web, url } = await serve(echo, proxies);
      try {
        await send(url, {
          headers: { "X-Kindred-Client-IP": "6.6.6.6", "x-forwarded-for": "7.7.7.7" },
        });
      } finally {
        await web.stop();
      }
    }
    expect(seen[0]).toMatchObject({ ip: "127.0.0.1", xff: undefined });
    expect(seen[1]).toMatchObject({ ip: "7.7.7.7", xff: "7.7.7.7" });
    for (const s of seen) {
      expect((s.raw as string[]).filter((n) => n === "x-kindred-client-ip")).toHaveLength(1);
    }
  });
});

describe("graceful stop", () => {
  it("refuses new connections, finishes the request in flight, then closes", async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const slow: NodeHandler = async (_req, res) => {
      arrived();
      await released;
      res.end("finished");
    };
    const { web, url } = await serve(slow, 0);
    const inFlight = send(url);
    await inside;

    let stopped = false;
    const stopping = web.stop().then(() => {
      stopped = true;
    });
    await expect(send(url)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    expect(stopped).toBe(false);

    release();
    await expect(inFlight).resolves.toEqual({ status: 200, body: "finished" });
    await stopping;
    expect(web.server.listening).toBe(false);
  });

  it("gives up on a request that never ends once the grace period is over", async () => {
    let arrived: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const stuck: NodeHandler = () => {
      arrived();
    };
    const { web, url } = await serve(stuck, 0, 50);
    const hanging = send(url);
    await inside;
    await web.stop();
    await expect(hanging).rejects.toMatchObject({ code: "ECONNRESET" });
    expect((web.server.address() as AddressInfo | null) ?? null).toBeNull();
  });
});
