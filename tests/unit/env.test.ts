import { describe, expect, it } from "vitest";
import { EnvError, emulatorApiKey, parseEnv } from "@/server/env";
import { isLoopbackHost, isWildcardHost, selfHost } from "@/server/http/hosts";

const base = { DATABASE_URL: "postgresql://u@localhost:5432/kindred" };

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("refuses a production start without keys unless it is a demo, one line per problem", () => {
    const lines = problems({ ...base, NODE_ENV: "production" });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^RESEND_API_KEY is required unless this is a demo deployment/),
        expect.stringMatching(/^STRIPE_SECRET_KEY is required/),
        expect.stringMatching(/^STRIPE_WEBHOOK_SECRET is required/),
        expect.stringMatching(/^NEXTAUTH_SECRET must be at least 32 characters/),
        expect.stringMatching(/^APP_URL is required in production/),
        expect.stringMatching(/^KINDRED_MASTER_KEY is required in production/),
      ]),
    );
  });

  it("takes a master key of 32 bytes, base64 or hex, and explains any other", () => {
    const key = Buffer.alloc(32, 7);
    const demo = { ...base, KINDRED_DEMO: "1" };
    expect(problems({ ...demo, KINDRED_MASTER_KEY: key.toString("base64") })).toEqual([]);
    expect(problems({ ...demo, KINDRED_MASTER_KEY: key.toString("hex") })).toEqual([]);
    expect(problems({ ...demo, KINDRED_MASTER_KEY: "c2hvcnQ=" })).toEqual([
      expect.stringMatching(/^KINDRED_MASTER_KEY must be 32 random bytes/),
    ]);
    expect(
      problems({ ...demo, KINDRED_MASTER_KEY_PREVIOUS: `${key.toString("base64")}, nope` }),
    ).toEqual([expect.stringMatching(/^KINDRED_MASTER_KEY_PREVIOUS must be earlier master keys/)]);
  });

  it("starts a production demo with emulators and the outbox", () => {
    const env = parseEnv({ ...base, NODE_ENV: "production", KINDRED_DEMO: "1", PORT: "3100" });
    expect(env.demo).toBe(true);
    expect(env.email).toMatchObject({
      mode: "outbox",
      baseUrl: "http://127.0.0.1:3100/api/emulators/resend",
    });
    expect(env.billing.mode).toBe("emulator");
    expect(env.appUrl).toBe("http://localhost:3100");
  });

  it("uses the real services when keys are given", () => {
    const env = parseEnv({
      ...base,
      NODE_ENV: "production",
      APP_URL: "https://kindred.example.org/",
      NEXTAUTH_SECRET: "x".repeat(40),
      KINDRED_MASTER_KEY: "ab".repeat(32),
      RESEND_API_KEY: "re_123",
      STRIPE_SECRET_KEY: "sk_live_123",
      STRIPE_WEBHOOK_SECRET: "whsec_123",
    });
    expect(env.demo).toBe(false);
    expect(env.appUrl).toBe("https://kindred.example.org");
    expect(env.email).toMatchObject({ mode: "resend", baseUrl: "https://api.resend.com" });
    expect(env.billing).toMatchObject({ mode: "stripe", secretKey: "sk_live_123" });
  });

  it("explains malformed values", () => {
    const lines = problems({
      DATABASE_URL: "mysql://nope",
      KINDRED_DEMO: "1",
      RESEND_API_KEY: "abc",
      STRIPE_SECRET_KEY: "pk_test_1",
      APP_URL: "not a url",
      PORT: "99999",
    });
    expect(lines.join("\n")).toMatch(/DATABASE_URL must be a postgres:\/\//);
    expect(lines.join("\n")).toMatch(/RESEND_API_KEY must start with re_/);
    expect(lines.join("\n")).toMatch(/STRIPE_SECRET_KEY must start with sk_ or rk_/);
    expect(lines.join("\n")).toMatch(/APP_URL must be a full URL/);
    expect(lines.some((l) => l.startsWith("PORT"))).toBe(true);
  });

  it("asks for DATABASE_URL when it is missing", () => {
    expect(problems({ KINDRED_DEMO: "1" })).toEqual([
      expect.stringMatching(/^DATABASE_URL is required/),
    ]);
  });

  it("listens on loopback unless HOST says otherwise, and trusts no proxy by default", () => {
    const env = parseEnv({ ...base, KINDRED_DEMO: "1" });
    expect(env.host).toBe("127.0.0.1");
    expect(env.trustedProxies).toBe(0);
    const wide = parseEnv({ ...base, KINDRED_DEMO: "1", HOST: "0.0.0.0", TRUSTED_PROXIES: "2" });
    expect(wide.host).toBe("0.0.0.0");
    expect(wide.trustedProxies).toBe(2);
    // The worker reaches the emulator where the server listens (any interface: loopback).
    expect(wide.email.baseUrl).toBe("http://127.0.0.1:3000/api/emulators/resend");
    expect(parseEnv({ ...base, KINDRED_DEMO: "1", HOST: "::1" }).email.baseUrl).toBe(
      "http://[::1]:3000/api/emulators/resend",
    );
    expect(parseEnv({ ...base, KINDRED_DEMO: "1", HOST: "192.168.1.20" }).email.baseUrl).toBe(
      "http://192.168.1.20:3000/api/emulators/resend",
    );
  });

  it("explains a malformed HOST or TRUSTED_PROXIES", () => {
    for (const value of ["-1", "1.5", "two", "11", "1e1"]) {
      expect(problems({ ...base, KINDRED_DEMO: "1", TRUSTED_PROXIES: value })).toEqual([
        expect.stringMatching(/^TRUSTED_PROXIES must be the number of reverse proxies.*0 to 10/),
      ]);
    }
    for (const value of ["http://0.0.0.0", "0.0.0.0:3000", "a b", "-bad.example"]) {
      expect(problems({ ...base, KINDRED_DEMO: "1", HOST: value })).toEqual([
        expect.stringMatching(/^HOST must be an IP address to listen on/),
      ]);
    }
  });

  it("reads WEB_CONCURRENCY as a number of web processes, or leaves it to the server", () => {
    expect(parseEnv({ ...base, KINDRED_DEMO: "1" }).webConcurrency).toBeNull();
    expect(parseEnv({ ...base, KINDRED_DEMO: "1", WEB_CONCURRENCY: " 4 " }).webConcurrency).toBe(4);
    for (const value of ["0", "-1", "1.5", "two", "33", "1e1"]) {
      expect(problems({ ...base, KINDRED_DEMO: "1", WEB_CONCURRENCY: value })).toEqual([
        expect.stringMatching(/^WEB_CONCURRENCY must be the number of web processes.*1 to 32/),
      ]);
    }
  });

  it("keeps statements prepared unless DATABASE_PREPARED_STATEMENTS says off", () => {
    const demo = { ...base, KINDRED_DEMO: "1" };
    expect(parseEnv(demo).preparedStatements).toBe(true);
    expect(parseEnv({ ...demo, DATABASE_PREPARED_STATEMENTS: "On" }).preparedStatements).toBe(true);
    expect(parseEnv({ ...demo, DATABASE_PREPARED_STATEMENTS: " off" }).preparedStatements).toBe(
      false,
    );
    expect(problems({ ...demo, DATABASE_PREPARED_STATEMENTS: "sometimes" })).toEqual([
      expect.stringMatching(/^DATABASE_PREPARED_STATEMENTS must be on or off/),
    ]);
  });

  it("gives a demo its own emulator key, derived from the auth secret", () => {
    const a = parseEnv({ ...base, KINDRED_DEMO: "1", NEXTAUTH_SECRET: "a".repeat(40) });
    const b = parseEnv({ ...base, KINDRED_DEMO: "1", NEXTAUTH_SECRET: "b".repeat(40) });
    expect(a.email.apiKey).toMatch(/^re_[A-Za-z0-9_-]{43}$/);
    expect(a.email.apiKey).toBe(emulatorApiKey("a".repeat(40)));
    expect(a.email.apiKey).not.toBe(b.email.apiKey);
    expect(a.email.apiKey).not.toBe("re_demo_outbox");
    const real = parseEnv({ ...base, KINDRED_DEMO: "1", RESEND_API_KEY: "re_real" });
    expect(real.email).toMatchObject({ mode: "resend", apiKey: "re_real" });
  });
});

describe("listen addresses", () => {
  it("tells loopback from addresses others can reach", () => {
    for (const host of [
      "127.0.0.1",
      "127.1.2.3",
      "localhost",
      "::1",
      "[::1]",
      "::ffff:127.0.0.1",
    ]) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of [
      "0.0.0.0",
      "::",
      "192.168.1.20",
      "10.0.0.1",
      "kindred.example",
      "128.0.0.1",
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
    expect(isWildcardHost("0.0.0.0")).toBe(true);
    expect(isWildcardHost("::")).toBe(true);
    expect(isWildcardHost("127.0.0.1")).toBe(false);
    expect(selfHost("::")).toBe("127.0.0.1");
    expect(selfHost("fe80::1")).toBe("[fe80::1]");
  });
});
