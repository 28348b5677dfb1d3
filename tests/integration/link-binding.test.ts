import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserCookieName,
  hashBrowserNonce,
  linkState,
  newBrowserNonce,
} from "@/server/auth/link-binding";
import { confirmInThisBrowser, guardEmailCallback } from "@/server/auth/link-binding-http";
import { hashVerificationToken } from "@/server/auth/tokens";
import { requestCookies } from "@/server/trpc/http";
import { appRouter } from "@/server/trpc/root";
import { createTestApp, type TestApp } from "../helpers/app";
import { serveFetch, type TestServer } from "../helpers/http-server";

/**
 * Login CSRF: a sign-in link is bound to the browser that asked for it (a nonce cookie, its
 * hash on the token row). Elsewhere it only signs in after an explicit same-origin confirmation.
 */
let app: TestApp;
let server: TestServer;
let ipCounter = 0;

beforeAll(async () => {
  app = await createTestApp();
  // The real router over real HTTP, as /api/trpc serves it (cookies in, Set-Cookie out).
  server = await serveFetch((request) =>
    fetchRequestHandler({
      endpoint: "/api/trpc",
      req: request,
      router: appRouter,
      createContext: ({ resHeaders }) => ({
        db: app.db,
        env: app.env,
        session: null,
        ip: `198.51.100.${++ipCounter}`,
        queue: async () => app.queue,
        resHeaders,
        cookies: requestCookies(request.headers),
      }),
    }),
  );
});
afterAll(async () => {
  await server?.close();
  await app?.close();
});

const COOKIE = browserCookieName("http://localhost:3999");

/** Asks for a link as a browser would; returns the Set-Cookie and the emailed token. */
async function requestLink(email: string, cookie?: string) {
  const response = await fetch(`${server.url}/api/trpc/auth.requestLink`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ json: { email, callbackUrl: "/app/journal" } }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  const message = await app.db.email.findFirstOrThrow({
    where: { toAddress: email },
    orderBy: { createdAt: "desc" },
  });
  const link = new URL(message.text.match(/https?:\/\/\S+/)![0]);
  return {
    setCookie: response.headers.getSetCookie(),
    token: link.searchParams.get("token")!,
    link,
  };
}

function nonceOf(setCookie: string[]): string {
  const line = setCookie.find((c) => c.startsWith(`${COOKIE}=`));
  expect(line).toBeDefined();
  return line!.slice(COOKIE.length + 1).split(";")[0]!;
}

const state = (token: string, email: string, nonce: string | null) =>
  linkState(app.db, app.env, { token, email, nonce });

async function storedHash(token: string) {
  const row = await app.db.verificationToken.findUniqueOrThrow({
    where: { token: hashVerificationToken(token, app.env.authSecret) },
  });
  return row.browserHash;
}

describe("binding a link to the browser that asked for it", () => {
  it("sets an httpOnly, SameSite=Lax nonce cookie and stores only its hash with the token", async () => {
    const { setCookie, token } = await requestLink("bind@example.org");
    const line = setCookie.find((c) => c.startsWith(`${COOKIE}=`))!;
    expect(line).toMatch(/; Path=\/; Max-Age=1800; HttpOnly; SameSite=Lax$/);
    const nonce = nonceOf(setCookie);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hash = await storedHash(token);
    expect(hash).toBe(hashBrowserNonce(nonce, app.env.authSecret));
    expect(hash).not.toContain(nonce);

    expect(await state(token, "bind@example.org", nonce)).toBe("this-browser");
    expect(await state(token, "BIND@example.org ", nonce)).toBe("this-browser");
    expect(await state(token, "bind@example.org", null)).toBe("other-browser");
    expect(await state(token, "bind@example.org", newBrowserNonce())).toBe("other-browser");
    expect(await state(token, "someone-else@example.org", nonce)).toBe("invalid");
    expect(await state("0".repeat(64), "bind@example.org", nonce)).toBe("invalid");
  });

  it("keeps one nonce per browser, so its earlier links stay recognised", async () => {
    const first = await requestLink("one@example.org");
    const nonce = nonceOf(first.setCookie);
    const second = await requestLink("two@example.org", `${COOKIE}=${nonce}`);
    expect(nonceOf(second.setCookie)).toBe(nonce);
    expect(await state(first.token, "one@example.org", nonce)).toBe("this-browser");
    expect(await state(second.token, "two@example.org", nonce)).toBe("this-browser");
    // A forged or malformed cookie is replaced, not trusted.
    const third = await requestLink("three@example.org", `${COOKIE}=short`);
    expect(nonceOf(third.setCookie)).not.toBe("short");
  });

  it("leaves a link asked for outside a browser unbound: it asks everywhere", async () => {
    await app.caller(null, "192.0.2.77").auth.requestLink({ email: "server@example.org" });
    const message = await app.db.email.findFirstOrThrow({
      where: { toAddress: "server@example.org" },
    });
    const token = new URL(message.text.match(/https?:\/\/\S+/)![0]).searchParams.get("token")!;
    expect(await storedHash(token)).toBeNull();
    expect(await state(token, "server@example.org", newBrowserNonce())).toBe("other-browser");
  });

  it("treats an expired link as dead", async () => {
    const { setCookie, token } = await requestLink("late@example.org");
    await app.db.verificationToken.updateMany({
      where: { identifier: "late@example.org" },
      data: { expires: new Date(Date.now() - 60_000) },
    });
    expect(await state(token, "late@example.org", nonceOf(setCookie))).toBe("invalid");
  });
});

describe("the guard in front of next-auth's email callback", () => {
  const callback = (token: string, email: string, cookie?: string, callbackUrl?: string) =>
    new Request(
      `http://localhost:3999/api/auth/callback/email?${new URLSearchParams({
        token,
        email,
        ...(callbackUrl ? { callbackUrl } : {}),
      })}`,
      { headers: cookie ? { cookie } : {} },
    );

  it("lets the asking browser through to next-auth", async () => {
    const { setCookie, token } = await requestLink("guard-ok@example.org");
    const cookie = `${COOKIE}=${nonceOf(setCookie)}`;
    expect(
      await guardEmailCallback(callback(token, "guard-ok@example.org", cookie), app),
    ).toBeNull();
  });

  it("sends any other browser to the confirm page instead of signing it in", async () => {
    const { token } = await requestLink("guard-other@example.org");
    for (const cookie of [undefined, `${COOKIE}=${newBrowserNonce()}`]) {
      const response = await guardEmailCallback(
        callback(token, "guard-other@example.org", cookie, "http://localhost:3999/app/journal"),
        app,
      );
      expect(response?.status).toBe(303);
      const location = new URL(response!.headers.get("location")!, "http://localhost:3999");
      expect(location.pathname).toBe("/signin/confirm");
      expect(Object.fromEntries(location.searchParams)).toEqual({
        token,
        email: "guard-other@example.org",
        callbackUrl: "http://localhost:3999/app/journal",
      });
    }
    // Nothing was spent: the link is still there for its owner.
    expect(await storedHash(token)).not.toBeNull();
  });

  it("keeps the browser on the allowed origin it came through", async () => {
    const { token } = await requestLink("guard-loopback@example.org");
    const request = new Request(
      `http://127.0.0.1:3999/api/auth/callback/email?${new URLSearchParams({
        token,
        email: "guard-loopback@example.org",
        callbackUrl: "http://localhost:3999/app/journal",
      })}`,
      { headers: { host: "127.0.0.1:3999" } },
    );
    const response = await guardEmailCallback(request, app);
    const location = new URL(response!.headers.get("location")!, "http://127.0.0.1:3999");
    expect(location.searchParams.get("callbackUrl")).toBe("http://127.0.0.1:3999/app/journal");
  });

  it("drops an off-site return address on the way", async () => {
    const { token } = await requestLink("guard-evil@example.org");
    const response = await guardEmailCallback(
      callback(token, "guard-evil@example.org", undefined, "/\\evil.example"),
      app,
    );
    const location = new URL(response!.headers.get("location")!, "http://localhost:3999");
    expect(location.searchParams.has("callbackUrl")).toBe(false);
  });

  it("leaves dead or incomplete links to next-auth, which refuses them", async () => {
    expect(await guardEmailCallback(callback("0".repeat(64), "x@example.org"), app)).toBeNull();
    expect(
      await guardEmailCallback(new Request("http://localhost:3999/api/auth/callback/email"), app),
    ).toBeNull();
  });
});

describe("confirming a link in another browser", () => {
  function confirm(
    fields: Record<string, string>,
    headers: Record<string, string> = {
      "sec-fetch-site": "same-origin",
      origin: "http://localhost:3999",
    },
  ) {
    return confirmInThisBrowser(
      new Request("http://localhost:3999/api/sign-in/confirm", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: new URLSearchParams(fields),
      }),
      app,
    );
  }

  it("refuses a cross-site or header-less post and changes nothing", async () => {
    const { setCookie, token } = await requestLink("csrf@example.org");
    const before = await storedHash(token);
    const fields = { token, email: "csrf@example.org" };
    const attempts: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { "sec-fetch-site": "same-site", origin: "http://localhost:3999" },
      { "sec-fetch-site": "none" },
      { origin: "https://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "same-origin", origin: "https://evil.example" },
      {},
    ];
    for (const headers of attempts) {
      const response = await confirm(fields, headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(response.headers.get("set-cookie")).toBeNull();
    }
    expect(await storedHash(token)).toBe(before);
    expect(await state(token, "csrf@example.org", nonceOf(setCookie))).toBe("this-browser");
  });

  it("binds the link to this browser (cookie and stored hash) and continues to the callback", async () => {
    const asked = await requestLink("confirm@example.org");
    const response = await confirm({
      token: asked.token,
      email: "confirm@example.org",
      callbackUrl: "http://localhost:3999/app/journal",
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!, "http://localhost:3999");
    expect(location.pathname).toBe("/api/auth/callback/email");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      token: asked.token,
      email: "confirm@example.org",
      callbackUrl: "http://localhost:3999/app/journal",
    });
    const nonce = nonceOf(response.headers.getSetCookie());
    expect(nonce).not.toBe(nonceOf(asked.setCookie));
    expect(await state(asked.token, "confirm@example.org", nonce)).toBe("this-browser");
    // The guard now lets this browser through; the first browser is the "other" one now.
    const cookie = `${COOKIE}=${nonce}`;
    const through = await guardEmailCallback(
      new Request(`http://localhost:3999${location.pathname}${location.search}`, {
        headers: { cookie },
      }),
      app,
    );
    expect(through).toBeNull();
    expect(await state(asked.token, "confirm@example.org", nonceOf(asked.setCookie))).toBe(
      "other-browser",
    );
  });

  it("accepts a browser that sends only Origin (no Sec-Fetch-Site), and keeps its nonce", async () => {
    const asked = await requestLink("origin-only@example.org");
    const mine = newBrowserNonce();
    const response = await confirm(
      { token: asked.token, email: "origin-only@example.org" },
      { origin: "http://localhost:3999", cookie: `${COOKIE}=${mine}` },
    );
    expect(response.status).toBe(303);
    expect(nonceOf(response.headers.getSetCookie())).toBe(mine);
    expect(await storedHash(asked.token)).toBe(hashBrowserNonce(mine, app.env.authSecret));
  });

  it("sends a dead link to the error page and binds nothing", async () => {
    const response = await confirm({ token: "0".repeat(64), email: "nobody@example.org" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/signin/error?error=Verification");
    expect(response.headers.get("set-cookie")).toBeNull();
    const empty = await confirm({});
    expect(empty.headers.get("location")).toBe("/signin/error?error=Verification");
  });
});
