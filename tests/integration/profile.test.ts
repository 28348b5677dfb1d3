import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
let member: Session["user"];

beforeAll(async () => {
  app = await createTestApp();
  member = await app.createUser("MEMBER", { name: "Ada" });
});
afterAll(() => app?.close());

async function fieldErrors(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    return (error as TRPCError).cause;
  }
  throw new Error("expected the call to fail");
}

describe("me", () => {
  it("reads and updates the profile, trimming the name", async () => {
    const c = app.caller(member);
    expect((await c.me.get()).name).toBe("Ada");
    const updated = await c.me.update({ name: "  Ada Lovelace ", timeZone: "America/New_York" });
    expect(updated).toMatchObject({ name: "Ada Lovelace", timeZone: "America/New_York" });
    const row = await app.db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(row.timeZone).toBe("America/New_York");
  });

  it("refuses an unknown time zone with a field message and changes nothing", async () => {
    const before = await app.db.user.findUniqueOrThrow({ where: { id: member.id } });
    const cause = await fieldErrors(
      app.caller(member).me.update({ name: "New name", timeZone: "Mars/Olympus_Mons" }),
    );
    expect(JSON.stringify(cause)).toContain("time zone");
    const after = await app.db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(after.name).toBe(before.name);
    expect(after.timeZone).toBe(before.timeZone);
  });

  it("refuses an over-long or empty name and changes nothing", async () => {
    const before = await app.db.user.findUniqueOrThrow({ where: { id: member.id } });
    const long = await fieldErrors(
      app.caller(member).me.update({ name: "x".repeat(81), timeZone: "UTC" }),
    );
    expect(JSON.stringify(long)).toContain("at most 80");
    const empty = await fieldErrors(app.caller(member).me.update({ name: "   ", timeZone: "UTC" }));
    expect(JSON.stringify(empty)).toContain("Enter your name");
    const after = await app.db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(after).toEqual(before);
  });
});
