import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestSignInLink, SIGN_IN_LIMITS } from "@/server/auth/sign-in-link";
import { hashVerificationToken } from "@/server/auth/tokens";
import { requestOrigin } from "@/server/http/origins";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("links come back to the origin the person used", () => {
  async function linkFor(email: string, origin?: string) {
    await requestSignInLink(
      { db: app.db, queue: app.queue, env: app.env },
      { email, ip: `198.51.100.${Math.floor(Math.random() * 200)}`, origin },
    );
    const row = await app.db.email.findFirstOrThrow({
      where: { toAddress: email },
      orderBy: { createdAt: "desc" },
    });
    return new URL(row.text.match(/https?:\/\/\S+/)![0]);
  }

  it("builds the link on another loopback name of a local deployment", async () => {
    expect(app.env.appUrl).toBe("http://localhost:3999");
    const url = await linkFor("origin-loopback@example.org", "http://127.0.0.1:3999");
    expect(url.origin).toBe("http://127.0.0.1:3999");
    expect(url.searchParams.get("callbackUrl")).toBe("http://127.0.0.1:3999/dashboard");
  });

  it("falls back to APP_URL for an origin that is not configured", async () => {
    for (const origin of ["http://evil.example", "http://127.0.0.1:4000", undefined]) {
      const url = await linkFor(`origin-${origin?.length ?? 0}@example.org`, origin);
      expect(url.origin).toBe("http://localhost:3999");
      expect(url.searchParams.get("callbackUrl")).toBe("http://localhost:3999/dashboard");
    }
  });

  it("takes the origin from the request's Host, only when allowed", async () => {
    const host = (value: string) => new Headers({ host: value });
    expect(requestOrigin(host("127.0.0.1:3999"), app.env)).toBe("http://127.0.0.1:3999");
    expect(requestOrigin(host("evil.example"), app.env)).toBe("http://localhost:3999");
    expect(requestOrigin(new Headers(), app.env)).toBe("http://localhost:3999");
  });

  it("returns the queued email's id to the visitor on a demo only", async () => {
    const result = await app.caller(null, "192.0.2.77").auth.requestLink({
      email: "demo-visitor@example.org",
    });
    expect(app.env.demo).toBe(true);
    const row = await app.db.email.findFirstOrThrow({
      where: { toAddress: "demo-visitor@example.org" },
    });
    expect(result).toEqual({ email: "demo-visitor@example.org", emailId: row.id });
    expect(await app.caller(null).mailbox.delivery({ emailId: row.id })).toEqual({
      state: "waiting",
    });
  });
});

describe("auth.requestLink", () => {
  it("stores only a hash of a single-use token and queues the email with the link once", async () => {
    const before = app.sent.length;
    const result = await app
      .caller(null, "192.0.2.1")
      .auth.requestLink({ email: "  Nia@Example.ORG " });
    expect(result.email).toBe("nia@example.org");

    const tokens = await app.db.verificationToken.findMany({
      where: { identifier: "nia@example.org" },
    });
    expect(tokens).toHaveLength(1);
    const expiresIn = tokens[0]!.expires.getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(29 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(30 * 60_000);

    const email = await app.db.email.findFirstOrThrow({ where: { toAddress: "nia@example.org" } });
    expect(email.category).toBe("sign-in");
    const url = new URL(email.text.match(/https?:\/\/\S+/)![0]);
    // The email opens a confirm page; only its button spends the token (mail scanners).
    expect(url.pathname).toBe("/signin/confirm");
    const raw = url.searchParams.get("token")!;
    expect(tokens[0]!.token).toBe(hashVerificationToken(raw, app.env.authSecret));
    expect(tokens[0]!.token).not.toBe(raw);
    expect(url.searchParams.get("callbackUrl")).toBe("http://localhost:3999/dashboard");

    expect(app.sent.slice(before)).toEqual([
      expect.objectContaining({ name: "email.send", payload: { emailId: email.id } }),
    ]);
  });

  it("refuses a malformed address with a field message and creates nothing", async () => {
    const tokensBefore = await app.db.verificationToken.count();
    const error = await errorOf(
      app.caller(null, "192.0.2.2").auth.requestLink({ email: "not-an-email" }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(JSON.stringify(error.cause)).toContain("valid email address");
    expect(await app.db.verificationToken.count()).toBe(tokensBefore);
  });

  it("refuses an off-site callback URL at the field and creates nothing", async () => {
    const tokensBefore = await app.db.verificationToken.count();
    const variants = [
      "//evil.example",
      "/\\evil.example",
      "/\\\\evil.example",
      "/\t/evil.example",
      "/%09/evil.example",
      "/%5Cevil.example",
      "/.//evil.example",
      "https://evil.example/",
      "javascript:alert(1)",
    ];
    for (const [i, callbackUrl] of variants.entries()) {
      const error = await errorOf(
        app.caller(null, `192.0.2.${100 + i}`).auth.requestLink({ email: "a@b.org", callbackUrl }),
      );
      expect(error.code, callbackUrl).toBe("BAD_REQUEST");
      expect(error.cause, callbackUrl).toMatchObject({
        issues: [
          expect.objectContaining({
            path: ["callbackUrl"],
            // A raw control character is refused by the shared text schema first.
            message: callbackUrl.includes("\t")
              ? "The return address contains an invisible control character; remove it and try again."
              : "must be a path on this site",
          }),
        ],
      });
    }
    expect(await app.db.verificationToken.count()).toBe(tokensBefore);
  });

  it("puts the normalised same-site path into the link", async () => {
    await app
      .caller(null, "192.0.2.120")
      .auth.requestLink({ email: "back@example.org", callbackUrl: "/app/../coach?x=1" });
    const email = await app.db.email.findFirstOrThrow({ where: { toAddress: "back@example.org" } });
    const url = new URL(email.text.match(/https?:\/\/\S+/)![0]);
    expect(url.searchParams.get("callbackUrl")).toBe("http://localhost:3999/coach?x=1");
  });

  it("refuses the 6th request for one address within a minute, with a clear message", async () => {
    const email = "busy@example.org";
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++) {
      await app.caller(null, `198.51.100.${i}`).auth.requestLink({ email });
    }
    const error = await errorOf(app.caller(null, "198.51.100.99").auth.requestLink({ email }));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.message).toMatch(/Too many sign-in links were requested for busy@example.org/);
    expect(error.message).toMatch(/wait \d+ seconds/);
    expect(await app.db.verificationToken.count({ where: { identifier: email } })).toBe(5);
  });

  it("holds the limit when many requests for one address arrive at once", async () => {
    const email = "burst@example.org";
    const results = await Promise.allSettled(
      Array.from({ length: 15 }, (_, i) =>
        app.caller(null, `198.18.0.${i}`).auth.requestLink({ email }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(SIGN_IN_LIMITS.perAddress);
    expect(await app.db.verificationToken.count({ where: { identifier: email } })).toBe(
      SIGN_IN_LIMITS.perAddress,
    );
  });

  it("limits requests per IP across addresses", async () => {
    const ip = "203.0.113.7";
    for (let i = 0; i < SIGN_IN_LIMITS.perIp; i++) {
      await app.caller(null, ip).auth.requestLink({ email: `ip-${i}@example.org` });
    }
    const error = await errorOf(
      app.caller(null, ip).auth.requestLink({ email: "ip-last@example.org" }),
    );
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.message).toMatch(/from your network/);
  });

  it("sends nothing to a deactivated account but answers the same", async () => {
    const user = await app.createUser("MEMBER", { email: "gone@example.org" });
    await app.db.user.update({ where: { id: user.id }, data: { deactivatedAt: new Date() } });
    const result = await app
      .caller(null, "192.0.2.50")
      .auth.requestLink({ email: "gone@example.org" });
    expect(result.email).toBe("gone@example.org");
    expect(
      await app.db.verificationToken.count({ where: { identifier: "gone@example.org" } }),
    ).toBe(0);
  });
});
