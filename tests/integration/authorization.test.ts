import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { appRouter } from "@/server/trpc/root";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * Every procedure x every role. A new procedure that is not listed here fails the coverage test,
 * so nobody can add an endpoint without deciding who may call it.
 */
type Actor = "anonymous" | "MEMBER" | "COACH" | "ADMIN";
type Caller = ReturnType<TestApp["caller"]>;
type Case = { allowed: Actor[]; call: (c: Caller, ids: { other: string }) => Promise<unknown> };

const ALL: Actor[] = ["anonymous", "MEMBER", "COACH", "ADMIN"];
const SIGNED_IN: Actor[] = ["MEMBER", "COACH", "ADMIN"];

const MATRIX: Record<string, Case> = {
  "auth.requestLink": {
    allowed: ALL,
    call: (c) => c.auth.requestLink({ email: `matrix-${Math.random()}@test.local` }),
  },
  "auth.linkState": {
    allowed: ALL,
    call: (c) => c.auth.linkState({ token: "no-such-token", email: "a@test.local" }),
  },
  "me.get": { allowed: SIGNED_IN, call: (c) => c.me.get() },
  "me.update": {
    allowed: SIGNED_IN,
    call: (c) => c.me.update({ name: "Someone", timeZone: "Europe/Paris" }),
  },
  "me.signOutEverywhere": {
    allowed: SIGNED_IN,
    call: (c) => c.me.signOutEverywhere({ keepThisDevice: true }),
  },
  "me.emailChange": { allowed: SIGNED_IN, call: (c) => c.me.emailChange() },
  "me.requestEmailChange": {
    allowed: SIGNED_IN,
    call: (c) => c.me.requestEmailChange({ newEmail: `matrix-new-${Math.random()}@test.local` }),
  },
  "me.cancelEmailChange": {
    allowed: SIGNED_IN,
    call: (c) => c.me.cancelEmailChange({ cancel: true }),
  },
  // The link to a new address is its own proof (opened where nobody may be signed in).
  "auth.emailChangeState": {
    allowed: ALL,
    call: (c) => c.auth.emailChangeState({ token: "no-such-token" }),
  },
  // A valid-looking but unknown link: everyone gets the same "expired or used" answer.
  "auth.confirmEmailChange": {
    allowed: [],
    call: (c) => c.auth.confirmEmailChange({ token: "no-such-token" }),
  },
  // A demo deployment (these tests run as one) opens the mailbox to everyone; see below for
  // a real deployment.
  "mailbox.list": { allowed: ALL, call: (c) => c.mailbox.list({}) },
  "mailbox.get": { allowed: [], call: (c) => c.mailbox.get({ id: "missing" }) },
  "mailbox.delivery": { allowed: ALL, call: (c) => c.mailbox.delivery({ emailId: "missing" }) },
  "admin.users.list": { allowed: ["ADMIN"], call: (c) => c.admin.users.list({}) },
  "admin.users.setRole": {
    allowed: ["ADMIN"],
    call: (c, ids) => c.admin.users.setRole({ userId: ids.other, role: "COACH" }),
  },
  "admin.users.deactivate": {
    allowed: ["ADMIN"],
    call: (c, ids) => c.admin.users.deactivate({ userId: ids.other }),
  },
  "admin.users.reactivate": {
    allowed: ["ADMIN"],
    call: (c, ids) => c.admin.users.reactivate({ userId: ids.other }),
  },
  "admin.users.audit": { allowed: ["ADMIN"], call: (c) => c.admin.users.audit({}) },
  // On the member's request; each case deletes a member made for it.
  "admin.users.deleteAccount": {
    allowed: ["ADMIN"],
    call: (c, ids) => c.admin.users.deleteAccount({ userId: ids.other, reason: "Matrix" }),
  },
  "admin.health": { allowed: ["ADMIN"], call: (c) => c.admin.health() },
};

let app: TestApp;
const users: Partial<Record<Actor, Session["user"]>> = {};

beforeAll(async () => {
  app = await createTestApp();
  users.MEMBER = await app.createUser("MEMBER");
  users.COACH = await app.createUser("COACH");
  users.ADMIN = await app.createUser("ADMIN");
});
afterAll(() => app?.close());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("authorization matrix", () => {
  it("every procedure of the router is in some authorization matrix", () => {
    const domainMatrices = import.meta.glob<{ covered: string[] }>("../authz/*.ts", {
      eager: true,
    });
    const covered = new Set([
      ...Object.keys(MATRIX),
      ...Object.values(domainMatrices).flatMap((m) => m.covered),
    ]);
    const missing = Object.keys(appRouter._def.procedures).filter((p) => !covered.has(p));
    expect(missing).toEqual([]);
  });

  for (const [path, testCase] of Object.entries(MATRIX)) {
    for (const actor of ALL) {
      const allowed = testCase.allowed.includes(actor);
      it(`${path} as ${actor}: ${allowed ? "allowed" : "refused"}`, async () => {
        const user = actor === "anonymous" ? null : users[actor]!;
        const other = await app.createUser("MEMBER");
        const code = await codeOf(
          testCase.call(app.caller(user, `10.0.0.${ALL.indexOf(actor)}`), { other: other.id }),
        );
        if (allowed) {
          expect(code).toBe("OK");
        } else if (path === "mailbox.get") {
          // Everyone may read the demo mailbox; a missing message is a plain 404 for all.
          expect(code).toBe("NOT_FOUND");
        } else if (path === "auth.confirmEmailChange") {
          expect(code).toBe("BAD_REQUEST");
        } else {
          expect(code).toBe(actor === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN");
        }
      });
    }
  }

  it("keeps the mailbox to admins on a real (non-demo) deployment", async () => {
    const realEnv = { ...app.env, demo: false };
    const make = (user: Session["user"] | null) =>
      appRouter.createCaller({
        db: app.db,
        env: realEnv,
        session: user ? { user, expires: new Date(Date.now() + 60_000) } : null,
        ip: "127.0.0.9",
        resHeaders: null,
        queue: async () => app.queue,
      });
    expect(await codeOf(make(null).mailbox.list({}))).toBe("UNAUTHORIZED");
    expect(await codeOf(make(users.MEMBER!).mailbox.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(make(users.COACH!).mailbox.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(make(users.ADMIN!).mailbox.list({}))).toBe("OK");
    const delivery = (user: Session["user"] | null) =>
      codeOf(make(user).mailbox.delivery({ emailId: "missing" }));
    expect(await delivery(null)).toBe("UNAUTHORIZED");
    expect(await delivery(users.MEMBER!)).toBe("FORBIDDEN");
    expect(await delivery(users.ADMIN!)).toBe("OK");
    // Only a demo hands the email's id back to the visitor who asked for the link.
    const asked = await make(null).auth.requestLink({ email: `real-${Date.now()}@test.local` });
    expect(asked).toEqual({ email: expect.any(String) });
  });
});
