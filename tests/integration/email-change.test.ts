import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMAIL_CHANGE_LIMIT } from "@/server/me/email-change";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
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

/** The token in the newest confirmation email to `to`, as the member would click it. */
async function linkTo(to: string): Promise<string> {
  const email = await app.db.email.findFirstOrThrow({
    where: { toAddress: to, category: "account" },
    orderBy: { createdAt: "desc" },
  });
  const url = new URL(email.text.match(/https?:\/\/\S+\/email\/change\S*/)![0]);
  return url.searchParams.get("token")!;
}

describe("changing the sign-in address", () => {
  it("waits for the link to the new address, then moves the account, tells the old address and audits without the address", async () => {
    const member = await app.createUser("MEMBER");
    const newEmail = `moved-${Date.now()}@example.org`;
    const caller = app.caller(member);
    const asked = await caller.me.requestEmailChange({ newEmail: `  ${newEmail.toUpperCase()} ` });
    expect(asked.newEmail).toBe(newEmail);
    expect(await caller.me.emailChange()).toMatchObject({ newEmail });
    // Nothing has changed yet.
    expect((await caller.me.get()).email).toBe(member.email);

    const token = await linkTo(newEmail);
    // The stored row holds only a hash of the token.
    expect(JSON.stringify(await app.db.emailChange.findMany())).not.toContain(token);
    expect(await app.caller(null).auth.emailChangeState({ token })).toEqual({
      state: "live",
      newEmail,
    });
    // A sign-in link still out for the old address stops working with it.
    await app.caller(null, "198.51.100.9").auth.requestLink({ email: member.email });
    expect(await app.db.verificationToken.count({ where: { identifier: member.email } })).toBe(1);

    const before = app.sent.length;
    // Confirmed from a device where nobody is signed in: the link is the proof.
    expect(await app.caller(null).auth.confirmEmailChange({ token })).toEqual({ email: newEmail });
    const user = await app.db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(user.email).toBe(newEmail);
    expect(user.emailVerified).not.toBeNull();
    expect(await app.db.verificationToken.count({ where: { identifier: member.email } })).toBe(0);
    expect(await caller.me.emailChange()).toBeNull();

    const notice = await app.db.email.findFirstOrThrow({
      where: { toAddress: member.email, category: "account" },
    });
    expect(notice.subject).toBe("Your Kindred email address was changed");
    expect(notice.text).toContain(newEmail);
    expect(app.sent.slice(before).map((j) => j.name)).toEqual([
      "email.send",
      "billing.customer-email",
    ]);

    const [entry] = await app.db.auditLog.findMany({
      where: { action: "user.email_changed", targetUserId: member.id },
    });
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry)).not.toContain("@");

    // The link works once.
    expect(await codeOf(app.caller(null).auth.confirmEmailChange({ token }))).toBe("BAD_REQUEST");
    expect(await app.caller(null).auth.emailChangeState({ token })).toEqual({ state: "dead" });
  });

  it("refuses the current address, an address in use and malformed input at the field", async () => {
    const member = await app.createUser("MEMBER");
    const other = await app.createUser("MEMBER");
    const caller = app.caller(member);
    for (const [newEmail, code, field] of [
      [member.email, "BAD_REQUEST", "already the address"],
      [other.email.toUpperCase(), "CONFLICT", "Another Kindred account"],
      ["not-an-email", "BAD_REQUEST", "valid email address"],
      ["", "BAD_REQUEST", "Enter your new email address"],
    ] as const) {
      try {
        await caller.me.requestEmailChange({ newEmail });
        throw new Error(`expected ${newEmail} to be refused`);
      } catch (error) {
        expect(error).toBeInstanceOf(TRPCError);
        expect((error as TRPCError).code, newEmail).toBe(code);
        expect(JSON.stringify((error as TRPCError).cause), newEmail).toContain(field);
      }
    }
    expect(await app.db.emailChange.count({ where: { userId: member.id } })).toBe(0);
  });

  it("keeps one change waiting: asking again replaces the link, and withdrawing ends it", async () => {
    const member = await app.createUser("MEMBER");
    const caller = app.caller(member);
    const first = `first-${Date.now()}@example.org`;
    const second = `second-${Date.now()}@example.org`;
    await caller.me.requestEmailChange({ newEmail: first });
    const firstToken = await linkTo(first);
    await caller.me.requestEmailChange({ newEmail: second });
    expect(await app.caller(null).auth.emailChangeState({ token: firstToken })).toEqual({
      state: "dead",
    });
    expect(await caller.me.emailChange()).toMatchObject({ newEmail: second });
    const secondToken = await linkTo(second);
    expect(await caller.me.cancelEmailChange({ cancel: true })).toEqual({ cancelled: 1 });
    expect(await codeOf(app.caller(null).auth.confirmEmailChange({ token: secondToken }))).toBe(
      "BAD_REQUEST",
    );
    expect((await app.db.user.findUniqueOrThrow({ where: { id: member.id } })).email).toBe(
      member.email,
    );
  });

  it("refuses an expired link, and one whose address was taken meanwhile", async () => {
    const member = await app.createUser("MEMBER");
    const late = `late-${Date.now()}@example.org`;
    await app.caller(member).me.requestEmailChange({ newEmail: late });
    const token = await linkTo(late);
    await app.db.emailChange.updateMany({
      where: { userId: member.id },
      data: { expires: new Date(Date.now() - 1000) },
    });
    expect(await codeOf(app.caller(null).auth.confirmEmailChange({ token }))).toBe("BAD_REQUEST");

    const contested = `contested-${Date.now()}@example.org`;
    await app.caller(member).me.requestEmailChange({ newEmail: contested });
    const contestedToken = await linkTo(contested);
    await app.createUser("MEMBER", { email: contested });
    expect(await codeOf(app.caller(null).auth.confirmEmailChange({ token: contestedToken }))).toBe(
      "CONFLICT",
    );
    expect((await app.db.user.findUniqueOrThrow({ where: { id: member.id } })).email).toBe(
      member.email,
    );
  });

  it("limits how often one member asks", async () => {
    const member = await app.createUser("MEMBER");
    const caller = app.caller(member);
    for (let i = 0; i < EMAIL_CHANGE_LIMIT.max; i++) {
      await caller.me.requestEmailChange({ newEmail: `try-${i}-${Date.now()}@example.org` });
    }
    expect(
      await codeOf(
        caller.me.requestEmailChange({ newEmail: `one-more-${Date.now()}@example.org` }),
      ),
    ).toBe("TOO_MANY_REQUESTS");
  });
});
