import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGNED_IN_AREAS } from "@/lib/signed-in-areas";
import { isSignedInPage, routedPath, secureSignedInPage } from "@/server/http/signed-in-pages";

const page = (url: string, headers: Record<string, string> = {}) =>
  isSignedInPage({ url, headers });

describe("which requests are signed-in pages", () => {
  it("takes every area's pages, documents and RSC requests alike, with or without a query", () => {
    for (const url of [
      "/app",
      "/app/journal",
      "/app/journal?program=x",
      "/coach/cohorts/c1",
      "/admin/billing",
      "/settings",
      "/settings/notifications",
      "/dashboard",
      "/search?q=friend",
      "/mailbox/m1",
    ]) {
      expect(page(url), url).toBe(true);
      expect(page(url, { rsc: "1" }), url).toBe(true);
    }
  });

  it("leaves public pages, API routes and look-alikes to the site-wide policy", () => {
    for (const url of ["/", "/signin", "/pricing", "/apple", "/application", "/api/trpc/me.get"]) {
      expect(page(url), url).toBe(false);
    }
  });

  it("skips prefetches: they carry no document, so no script to allow", () => {
    expect(page("/app/journal", { "next-router-prefetch": "1", rsc: "1" })).toBe(false);
    expect(page("/app/journal", { purpose: "prefetch" })).toBe(false);
  });

  it("sees through every spelling Next resolves to the same page", () => {
    for (const url of [
      "/./app/journal",
      "/x/../app/journal",
      "/%2e/app/journal",
      "/%61pp/journal",
      "//app/journal",
      "/app//journal",
    ]) {
      expect(routedPath(url), url).toMatch(/^\/app\/journal$/);
      expect(page(url), url).toBe(true);
    }
    expect(routedPath("/app/%E0%A4%A")).toBe("/app/%E0%A4%A");
  });

  it("names the same areas that next.config.mjs keeps its static policy off", async () => {
    const config = (await import("../../next.config.mjs" as string)).default as {
      headers: () => Promise<{ source: string; headers: { key: string }[] }[]>;
    };
    const rule = (await config.headers()).find((r) =>
      r.headers.some((h) => h.key === "Content-Security-Policy"),
    )!;
    const excluded = /\(\?:([a-z|]+)\)/.exec(rule.source)![1]!.split("|");
    expect(new Set(excluded)).toEqual(new Set(SIGNED_IN_AREAS));
  });
});

describe("what a signed-in page's response carries", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // Echoes the policy Next would read from the request.
    server = createServer((req, res) => {
      secureSignedInPage(req, res, false);
      res.end(String(req.headers["content-security-policy"]));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("one fresh nonce policy, the same on the request and the response, whatever the client sent", async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const response = await fetch(url, {
        headers: { "content-security-policy": "script-src 'unsafe-inline'" },
      });
      const policy = response.headers.get("content-security-policy")!;
      expect(await response.text()).toBe(policy);
      expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]{24}' 'strict-dynamic';/);
      const script = policy.split(";").find((d) => d.trim().startsWith("script-src"))!;
      expect(script).not.toContain("'unsafe-inline'");
      expect(response.headers.get("cache-control")).toBe("private, no-store");
      nonces.add(/'nonce-([^']+)'/.exec(policy)![1]!);
    }
    expect(nonces.size).toBe(3);
  });

  it("slides each session cookie the browser sent, and sets none without one", async () => {
    const both = await fetch(url, {
      headers: {
        cookie: "a=1; next-auth.session-token=tok%2Fx; __Secure-next-auth.session-token=s",
      },
    });
    expect(both.headers.getSetCookie()).toEqual([
      "__Secure-next-auth.session-token=s; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax; Secure",
      "next-auth.session-token=tok%2Fx; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax",
    ]);
    const none = await fetch(url, { headers: { cookie: "a=1" } });
    expect(none.headers.getSetCookie()).toEqual([]);
  });
});
