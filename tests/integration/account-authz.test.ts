import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { appRouter } from "@/server/trpc/root";
import { covered } from "../authz/account";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";

/**
 * Every account procedure × every actor. Anonymous callers are refused everything; any signed-in
 * role may ask to delete its own account, see and withdraw its own request; a link confirms only
 * the account it was sent to, whoever else holds it (refused, and nothing is deleted).
 */
type Actor = "anonymous" | "member" | "otherMember" | "coach" | "admin";
const ACTORS: Actor[] = ["anonymous", "member", "otherMember", "coach", "admin"];

let app: TestApp;
const users = {} as Record<Exclude<Actor, "anonymous">, Session["user"]>;

beforeAll(async () => {
  app = await createTestApp();
  users.member = await app.createUser("MEMBER");
  users.otherMember = await app.createUser("MEMBER");
  users.coach = await app.createUser("COACH");
  users.admin = await app.createUser("ADMIN");
  // A second admin, so that the first may ask to delete its own account.
  await app.createUser("ADMIN");
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const caller = (actor: Actor) => app.caller(actor === "anonymous" ? null : users[actor]);

/** The token in the newest deletion email to `to`. */
async function linkTo(to: string): Promise<string> {
  const email = await app.db.email.findFirstOrThrow({
    where: { toAddress: to, category: "account" },
    orderBy: { createdAt: "desc" },
  });
  return new URL(email.text.match(/https?:\/\/\S+\/account\/delete\S*/)![0]).searchParams.get(
    "token",
  )!;
}

describe("account authorization", () => {
  it("covers every account procedure", () => {
    const procedures = Object.keys(appRouter._def.procedures).filter((p) =>
      p.startsWith("account."),
    );
    expect(procedures.sort()).toEqual([...covered].sort());
  });

  it("own request: any signed-in role, each its own; anonymous is refused", async () => {
    for (const actor of ACTORS) {
      const codes = [
        (await errorOf(() => caller(actor).account.deletionState())).code,
        (await errorOf(() => caller(actor).account.requestDeletion({ confirm: true }))).code,
        (await errorOf(() => caller(actor).account.cancelDeletion({ cancel: true }))).code,
      ];
      const expected = actor === "anonymous" ? "UNAUTHORIZED" : "OK";
      expect([actor, ...codes]).toEqual([actor, expected, expected, expected]);
    }
    // Each request went to the asker's own address, never another's.
    for (const actor of ACTORS.filter((a) => a !== "anonymous") as Exclude<Actor, "anonymous">[]) {
      expect(
        await app.db.email.count({
          where: { toAddress: users[actor].email, dedupeKey: { startsWith: "account-deletion:" } },
        }),
      ).toBe(1);
    }
  });

  it("a link: its own member only; anyone else is refused and nothing is deleted", async () => {
    await caller("member").account.requestDeletion({ confirm: true });
    const token = await linkTo(users.member.email);
    for (const actor of ACTORS.filter((a) => a !== "member")) {
      const state = await errorOf(() => caller(actor).account.deletionLink({ token }));
      const confirm = await errorOf(() => caller(actor).account.confirmDeletion({ token }));
      const expected = actor === "anonymous" ? "UNAUTHORIZED" : "FORBIDDEN";
      expect([actor, state.code === "OK" ? "OK" : state.code, confirm.code]).toEqual([
        actor,
        actor === "anonymous" ? "UNAUTHORIZED" : "OK",
        expected,
      ]);
      if (actor !== "anonymous") {
        expect(await caller(actor).account.deletionLink({ token })).toEqual({
          state: "other-account",
        });
      }
    }
    expect(await app.db.user.count({ where: { id: users.member.id } })).toBe(1);
    expect(await caller("member").account.deletionLink({ token })).toEqual({ state: "live" });
    // A signed-in member's own link deletes only them.
    expect(await caller("member").account.confirmDeletion({ token })).toEqual({ deleted: true });
    expect(await app.db.user.count({ where: { id: users.member.id } })).toBe(0);
    expect(await app.db.user.count({ where: { id: users.otherMember.id } })).toBe(1);
  });
});
