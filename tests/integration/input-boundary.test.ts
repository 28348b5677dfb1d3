import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/generated/prisma/client";
import { sessionCookieName } from "@/server/auth/tokens";
import { db } from "@/server/db";
import { env, resetEnvCache } from "@/server/env";
import { handleTrpcRequest } from "@/server/trpc/http";
import { seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { serveFetch, type TestServer } from "../helpers/http-server";

/**
 * Issue 6, item 11, over real HTTP as the tRPC client speaks it: NUL, lone surrogates and
 * integers past 32 bits are refused at the input boundary with a field-level 400 and change
 * nothing; a bad call in a batch does not fail its neighbours; parser messages never reach
 * the client.
 */

let app: TestApp;
let server: TestServer;
let member: string;
let stepId: string;
let exerciseId: string;

type Answer = {
  status: number;
  calls: { ok: boolean; code?: string; message?: string; fields?: Record<string, string[]> }[];
};

async function read(response: Response): Promise<Answer> {
  const body = (await response.json()) as unknown;
  const list = Array.isArray(body) ? body : [body];
  return {
    status: response.status,
    calls: list.map((item) => {
      const error = item.error?.json;
      return error
        ? {
            ok: false,
            code: error.data?.code,
            message: error.message,
            fields: error.data?.fieldErrors ?? undefined,
          }
        : { ok: true };
    }),
  };
}

const batch = (envelopes: string[]) => `{${envelopes.map((e, i) => `"${i}":${e}`).join(",")}}`;
const json = (input: unknown) => JSON.stringify({ json: input });

function query(paths: string[], envelopes: string[], cookie?: string) {
  const input = encodeURIComponent(batch(envelopes));
  return fetch(`${server.url}/api/trpc/${paths.join(",")}?batch=1&input=${input}`, {
    headers: cookie ? { cookie } : {},
  }).then(read);
}

function mutate(path: string, body: string, cookie?: string, type = "application/json") {
  return fetch(`${server.url}/api/trpc/${path}?batch=1`, {
    method: "POST",
    headers: { "content-type": type, ...(cookie ? { cookie } : {}) },
    body,
  });
}

async function signIn(role: Role) {
  const user = await app.createUser(role);
  const token = randomBytes(32).toString("hex");
  await app.db.session.create({
    data: { sessionToken: token, userId: user.id, expires: new Date(Date.now() + 86_400_000) },
  });
  return { user, cookie: `${sessionCookieName(env().appUrl)}=${token}` };
}

beforeAll(async () => {
  app = await createTestApp();
  process.env.DATABASE_URL = app.database.url;
  resetEnvCache();
  const coach = await app.createUser("COACH");
  const program = await seedProgram(app.db, coach.id);
  const signedIn = await signIn("MEMBER");
  member = signedIn.cookie;
  await app.caller(signedIn.user).player.enrol({ programId: program.program.id });
  stepId = program.steps.a;
  exerciseId = program.ex.REFLECTION;
  server = await serveFetch((request) => handleTrpcRequest(request));
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db().$disconnect();
  await app?.close();
});

describe("characters PostgreSQL cannot store", () => {
  it("refuses NUL in an anonymous query with a message naming the field", async () => {
    const answer = await query(["mailbox.list"], [json({ to: "ada\u0000@example.org" })]);
    expect(answer.status).toBe(400);
    expect(answer.calls[0]!.fields?.to?.[0]).toMatch(/^The address contains .*control character/);
  });

  it("refuses NUL in a sign-in request's return address and queues nothing", async () => {
    const response = await mutate(
      "auth.requestLink",
      batch([json({ email: "ada@example.org", callbackUrl: "/app\u0000" })]),
    );
    const answer = await read(response);
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.calls[0]!.fields ?? {})).toEqual(["callbackUrl"]);
    expect(await app.db.email.count()).toBe(0);
    expect(await app.db.verificationToken.count()).toBe(0);
  });

  it("refuses a lone surrogate in a JSON column (a draft) and in a text column (a name)", async () => {
    const draft = await read(
      await mutate(
        "player.saveDraft",
        batch([json({ exerciseId, content: { text: "half \ud83d" }, baseVersion: 0 })]),
        member,
      ),
    );
    expect(draft.status).toBe(400);
    expect(draft.calls[0]!.fields?.content?.[0]).toMatch(/broken character/);

    const person = await read(
      await mutate(
        "community.add",
        batch([json({ name: "Ro\udc00sa", circle: "Friends" })]),
        member,
      ),
    );
    expect(person.status).toBe(400);
    expect(person.calls[0]!.fields?.name?.[0]).toMatch(/^The name contains a broken character/);
    expect(await app.db.answerDraft.count()).toBe(0);
    expect(await app.db.person.count()).toBe(0); // not stored as "Ro\ufffdsa"
  });

  it("refuses other control characters, but lets multi-line fields keep their line breaks", async () => {
    const bell = await read(
      await mutate(
        "community.add",
        batch([json({ name: "Rosa\u0007", circle: "Friends" })]),
        member,
      ),
    );
    expect(bell.calls[0]!.fields?.name?.[0]).toMatch(/control character/);
    const lines = await read(
      await mutate(
        "community.add",
        batch([json({ name: "Rosa", circle: "Friends", why: "Line one\r\nLine\ttwo" })]),
        member,
      ),
    );
    expect(lines.calls[0]!.ok).toBe(true);
    // Names are sealed at rest: found by reading them back, not by a SQL filter.
    const stored = (await app.db.person.findMany()).find((p) => p.name === "Rosa");
    if (!stored) throw new Error("Rosa was not stored");
    expect(stored.why).toBe("Line one\r\nLine\ttwo");
    await app.db.person.deleteMany({});
  });
});

describe("numbers past 32 bits", () => {
  it("refuses a draft's baseVersion of 2^31 with a field-level 400", async () => {
    const answer = await read(
      await mutate(
        "player.saveDraft",
        batch([json({ exerciseId, content: { text: "hi" }, baseVersion: 2 ** 31 })]),
        member,
      ),
    );
    expect(answer.status).toBe(400);
    expect(answer.calls[0]!.fields?.baseVersion?.[0]).toBe("The draft version is not valid.");
    expect(await app.db.answerDraft.count()).toBe(0);
  });
});

describe("batches", () => {
  it("answers the valid call of a batch even when its neighbour holds a NUL", async () => {
    const answer = await query(
      ["player.step", "player.step"],
      [json({ stepId: `${stepId}\u0000` }), json({ stepId })],
      member,
    );
    expect(answer.status).toBe(207);
    expect(answer.calls.map((c) => c.code ?? "OK")).toEqual(["BAD_REQUEST", "OK"]);
  });

  it("answers the valid call of a batch even when its neighbour's envelope is broken", async () => {
    const broken = `{"json":{"stepId":"x"},"meta":{"values":{"stepId":["bogus"]}}}`;
    const answer = await query(["player.step", "player.step"], [broken, json({ stepId })], member);
    expect(answer.calls.map((c) => c.code ?? "OK")).toEqual(["BAD_REQUEST", "OK"]);
    expect(answer.calls[0]!.message).toBe("The request could not be read.");
  });
});

describe("unreadable requests", () => {
  const plain = "The request could not be read.";

  it("answers an input nested 100,000 levels with 400 and a plain message", async () => {
    const body = `{"0":{"json":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
    const answer = await read(await mutate("community.add", body, member));
    expect(answer.status).toBe(400);
    expect(answer.calls[0]!.message).toBe("The input is nested too deeply.");
  });

  it.each([
    ["a body that is not JSON", "{"],
    [
      "an envelope superjson cannot read",
      `{"0":{"json":{"a":1},"meta":{"values":{"a":["Error"]}}}}`,
    ],
  ])("answers %s with 400 and a plain message", async (_, body) => {
    const answer = await read(await mutate("community.add", body, member));
    expect(answer.status).toBe(400);
    expect(answer.calls[0]!.message).toBe(plain);
  });

  it("answers a query string that is not JSON with 400 and a plain message", async () => {
    const response = await fetch(`${server.url}/api/trpc/me.get?batch=1&input=%7B`, {
      headers: { cookie: member },
    });
    const answer = await read(response);
    expect(answer.status).toBe(400);
    expect(answer.calls[0]!.message).toBe(plain);
  });

  it("refuses bodies that are not JSON (tRPC would hand a FormData to the procedure)", async () => {
    const response = await mutate(
      "community.add",
      "name=Rosa&circle=Friends",
      member,
      "multipart/form-data; boundary=x",
    );
    expect(response.status).toBe(415);
    expect(await app.db.person.count()).toBe(0);
  });
});

describe("keys JavaScript reserves", () => {
  it("refuses an own __proto__ key, which superjson would drop silently, and stores nothing", async () => {
    const body = `{"0":{"json":{"name":"Rosa","circle":"Friends","__proto__":{"role":"ADMIN"}}}}`;
    const answer = await read(await mutate("community.add", body, member));
    expect(answer.status).toBe(400);
    // About the input as a whole, so the message says it (there is no field to highlight).
    expect(answer.calls[0]!.message).toBe("The input may not use the name “__proto__”.");
    expect(await app.db.person.count()).toBe(0);
  });
});

describe("the session cookie", () => {
  it("treats a cookie holding a NUL as no session, not as a server error", async () => {
    const cookie = `${sessionCookieName(env().appUrl)}=abc%00def`;
    const answer = await query(["me.get"], [], cookie);
    expect(answer.status).toBe(401);
    expect(answer.calls[0]!.code).toBe("UNAUTHORIZED");
  });
});
