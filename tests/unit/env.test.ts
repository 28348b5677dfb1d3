import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/server/env";

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
      ]),
    );
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
});
