import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { signLinkToken } from "@/server/nudges/tokens";
import { appRouter } from "@/server/trpc/root";
import { covered } from "../authz/nudges";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";

/**
 * Every nudges procedure × every actor. One's own preferences need a session (any role has
 * them); the link procedures need no session but a valid link, and then act on the link's member
 * only, whoever calls: a signed-in member holding someone else's link still edits that member,
 * never themselves, and a link for one purpose opens nothing else.
 */
type Actor = "anonymous" | "member" | "otherMember" | "coach" | "admin";
const ACTORS: Actor[] = ["anonymous", "member", "otherMember", "coach", "admin"];

let app: TestApp;
const users = {} as Record<Exclude<Actor, "anonymous">, Session["user"]>;
let ownerToken: string;
let wrongPurpose: string;

const prefs = {
  categories: { reflection: true },
  reminderTime: "08:30",
  reminderDays: [2, 4],
  timeZone: "UTC",
  quietStart: null,
  quietEnd: null,
  quietUntil: null,
};

beforeAll(async () => {
  app = await createTestApp();
  users.member = await app.createUser("MEMBER");
  users.otherMember = await app.createUser("MEMBER");
  users.coach = await app.createUser("COACH");
  users.admin = await app.createUser("ADMIN");
  ownerToken = signLinkToken(app.env.authSecret, {
    purpose: "preferences",
    userId: users.member.id,
  });
  wrongPurpose = signLinkToken(app.env.authSecret, {
    purpose: "unsubscribe",
    userId: users.member.id,
    category: "reflection",
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const caller = (actor: Actor) => app.caller(actor === "anonymous" ? null : users[actor]);

describe("nudges authorization", () => {
  it("covers every nudges procedure", () => {
    const procedures = Object.keys(appRouter._def.procedures).filter((p) =>
      p.startsWith("nudges."),
    );
    expect(procedures.sort()).toEqual([...covered].sort());
  });

  it("own preferences: any signed-in actor, each their own; anonymous is refused", async () => {
    for (const actor of ACTORS) {
      const read = await errorOf(() => caller(actor).nudges.preferences());
      const save = await errorOf(() => caller(actor).nudges.save(prefs));
      const expected = actor === "anonymous" ? "UNAUTHORIZED" : "OK";
      expect([actor, read.code, save.code]).toEqual([actor, expected, expected]);
      if (actor !== "anonymous") {
        const mine = await caller(actor).nudges.preferences();
        expect(mine.email).toBe(users[actor].email);
      }
    }
  });

  it("link procedures: a valid link works for anyone and only on its member; others are refused", async () => {
    for (const actor of ACTORS) {
      const read = await caller(actor).nudges.linkPreferences({ token: ownerToken });
      expect([actor, read.email]).toEqual([actor, users.member.email]);
      await caller(actor).nudges.saveWithLink({
        token: ownerToken,
        ...prefs,
        reminderTime: "06:45",
      });
      for (const token of [wrongPurpose, "forged.token", `${ownerToken}0`]) {
        expect((await errorOf(() => caller(actor).nudges.linkPreferences({ token }))).code).toBe(
          "UNAUTHORIZED",
        );
        expect(
          (await errorOf(() => caller(actor).nudges.saveWithLink({ token, ...prefs }))).code,
        ).toBe("UNAUTHORIZED");
      }
    }
    // Saved on the link's member only: the callers' own settings kept what they saved above.
    const owner = await app.db.nudgeSettings.findUniqueOrThrow({
      where: { userId: users.member.id },
    });
    expect(owner.reminderMinute).toBe(6 * 60 + 45);
    for (const actor of ["otherMember", "coach", "admin"] as const) {
      const own = await app.db.nudgeSettings.findUniqueOrThrow({
        where: { userId: users[actor].id },
      });
      expect([actor, own.reminderMinute]).toEqual([actor, 8 * 60 + 30]);
    }
  });
});
