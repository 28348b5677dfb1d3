import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { sessionFromToken } from "@/server/auth/session";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
let admin: Session["user"];

beforeAll(async () => {
  app = await createTestApp();
  admin = await app.createUser("ADMIN");
});
afterAll(() => app?.close());

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (error) {
    return error instanceof TRPCError ? error.code : "THROWN";
  }
}

describe("admin users", () => {
  it("changes a role and writes the audit log in the same transaction", async () => {
    const member = await app.createUser("MEMBER");
    const updated = await app
      .caller(admin)
      .admin.users.setRole({ userId: member.id, role: "COACH" });
    expect(updated.role).toBe("COACH");
    const audit = await app.db.auditLog.findMany({ where: { targetUserId: member.id } });
    expect(audit).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        action: "user.role_changed",
        details: { from: "MEMBER", to: "COACH" },
      }),
    ]);
    const listed = await app.caller(admin).admin.users.audit({});
    expect(listed.items.map((i) => i.action)).toContain("user.role_changed");
  });

  it("refuses an unknown role with a field message", async () => {
    const member = await app.createUser("MEMBER");
    const code = await codeOf(
      app.caller(admin).admin.users.setRole({ userId: member.id, role: "OWNER" as "ADMIN" }),
    );
    expect(code).toBe("BAD_REQUEST");
    expect((await app.db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("MEMBER");
  });

  it("never demotes the last active admin", async () => {
    const code = await codeOf(
      app.caller(admin).admin.users.setRole({ userId: admin.id, role: "MEMBER" }),
    );
    expect(code).toBe("PRECONDITION_FAILED");
    expect((await app.db.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("ADMIN");
  });

  it("two admins demoting or deactivating each other at once always leave one admin", async () => {
    // Its own database: the race needs exactly two active admins.
    const own = await createTestApp();
    try {
      for (let round = 0; round < 8; round++) {
        await own.db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "MEMBER" } });
        const a = await own.createUser("ADMIN");
        const b = await own.createUser("ADMIN");
        const [first, second] = await Promise.all(
          round % 2 === 0
            ? [
                codeOf(own.caller(a).admin.users.setRole({ userId: b.id, role: "MEMBER" })),
                codeOf(own.caller(b).admin.users.setRole({ userId: a.id, role: "MEMBER" })),
              ]
            : [
                codeOf(own.caller(a).admin.users.deactivate({ userId: b.id })),
                codeOf(own.caller(b).admin.users.deactivate({ userId: a.id })),
              ],
        );
        expect([first, second].sort(), `round ${round}`).toEqual(["OK", "PRECONDITION_FAILED"]);
        const left = await own.db.user.count({ where: { role: "ADMIN", deactivatedAt: null } });
        expect(left, `round ${round}`).toBe(1);
      }
    } finally {
      await own.close();
    }
  });

  it("deactivation ends every session at once; reactivation allows sign-in again", async () => {
    const member = await app.createUser("MEMBER");
    const tokens = ["tok-a", "tok-b"].map((t) => `${t}-${member.id}`);
    for (const sessionToken of tokens) {
      await app.db.session.create({
        data: { sessionToken, userId: member.id, expires: new Date(Date.now() + 86_400_000) },
      });
    }
    expect(await sessionFromToken(app.db, tokens[0])).not.toBeNull();

    await app.caller(admin).admin.users.deactivate({ userId: member.id });
    expect(await app.db.session.count({ where: { userId: member.id } })).toBe(0);
    expect(await sessionFromToken(app.db, tokens[0])).toBeNull();

    await app.caller(admin).admin.users.reactivate({ userId: member.id });
    const row = await app.db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(row.deactivatedAt).toBeNull();
    const actions = (await app.db.auditLog.findMany({ where: { targetUserId: member.id } })).map(
      (a) => a.action,
    );
    expect(actions.sort()).toEqual(["user.deactivated", "user.reactivated"]);
  });

  it("a session of a deactivated user is no session even if a row survived", async () => {
    const member = await app.createUser("MEMBER");
    await app.db.session.create({
      data: {
        sessionToken: `late-${member.id}`,
        userId: member.id,
        expires: new Date(Date.now() + 60_000),
      },
    });
    await app.db.user.update({ where: { id: member.id }, data: { deactivatedAt: new Date() } });
    expect(await sessionFromToken(app.db, `late-${member.id}`)).toBeNull();
  });

  it("an admin cannot deactivate themself", async () => {
    expect(await codeOf(app.caller(admin).admin.users.deactivate({ userId: admin.id }))).toBe(
      "PRECONDITION_FAILED",
    );
  });

  it("searches by name or email", async () => {
    await app.createUser("MEMBER", { email: "findme-xyz@example.org", name: "Zelda Quill" });
    const byEmail = await app.caller(admin).admin.users.list({ query: "FINDME-xyz" });
    expect(byEmail.items.map((u) => u.email)).toEqual(["findme-xyz@example.org"]);
    const byName = await app.caller(admin).admin.users.list({ query: "zelda" });
    expect(byName.items.map((u) => u.email)).toEqual(["findme-xyz@example.org"]);
  });

  it("filters by role and status, and says when each was last active", async () => {
    const tag = `filt-${Date.now()}`;
    const coach = await app.createUser("COACH", { email: `${tag}-coach@example.org` });
    const member = await app.createUser("MEMBER", { email: `${tag}-member@example.org` });
    await app.caller(admin).admin.users.deactivate({ userId: member.id });
    const list = (input: {
      role?: "MEMBER" | "COACH" | "ADMIN";
      status?: "active" | "deactivated";
    }) =>
      app
        .caller(admin)
        .admin.users.list({ query: tag, ...input })
        .then((r) => r.items.map((u) => u.email).sort());
    expect(await list({})).toEqual([coach.email, member.email].sort());
    expect(await list({ role: "COACH" })).toEqual([coach.email]);
    expect(await list({ status: "deactivated" })).toEqual([member.email]);
    expect(await list({ role: "COACH", status: "deactivated" })).toEqual([]);
    // Never active: null; a sign-in makes it the sign-in's time.
    const [never] = (await app.caller(admin).admin.users.list({ query: coach.email })).items;
    expect(never?.lastActiveAt).toBeNull();
    const signedInAt = new Date("2026-11-20T10:00:00Z");
    await app.db.session.create({
      data: {
        sessionToken: `${tag}-t`,
        userId: coach.id,
        expires: new Date(Date.now() + 3_600_000),
        createdAt: signedInAt,
      },
    });
    const [seen] = (await app.caller(admin).admin.users.list({ query: coach.email })).items;
    expect(seen?.lastActiveAt).toEqual(signedInAt);
    expect(await codeOf(app.caller(admin).admin.users.list({ role: "OWNER" as "ADMIN" }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("reads the audit log as sentences with current names, filtered by area", async () => {
    const member = await app.createUser("MEMBER", { name: "Noor Haddad" });
    await app.caller(admin).admin.users.setRole({ userId: member.id, role: "COACH" });
    const program = await app.db.program.create({
      data: { title: "Quiet strength", slug: `quiet-${Date.now()}`, authorId: admin.id },
      select: { id: true },
    });
    await app.db.auditLog.create({
      data: {
        actorId: admin.id,
        action: "program.published",
        targetType: "Program",
        targetId: program.id,
        details: { from: "DRAFT" },
      },
    });
    const users = await app.caller(admin).admin.users.audit({ area: "users" });
    expect(users.items.every((i) => i.action.startsWith("user."))).toBe(true);
    expect(users.items.map((i) => i.sentence)).toContain(
      `changed Noor Haddad (${member.email})'s role from member to coach`,
    );
    const programs = await app.caller(admin).admin.users.audit({ area: "programs" });
    expect(programs.items[0]).toMatchObject({
      action: "program.published",
      sentence: "published the program “Quiet strength”",
      actor: admin.name,
    });
    expect(await codeOf(app.caller(admin).admin.users.audit({ area: "secrets" as "users" }))).toBe(
      "BAD_REQUEST",
    );
  });
});
