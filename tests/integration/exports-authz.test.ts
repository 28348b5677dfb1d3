import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { EXPORTS_PER_HOUR } from "@/server/privacy/export";
import { appRouter } from "@/server/trpc/root";
import { covered } from "../authz/exports";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";

/**
 * Every exports procedure × every actor. Any role may export its own data; nobody, admins
 * included, can start or read someone else's export through these procedures, and signed-out
 * callers are refused. Asking again while one is on its way answers that one; past
 * EXPORTS_PER_HOUR an hour the answer is TOO_MANY_REQUESTS.
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
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const caller = (actor: Actor) => app.caller(actor === "anonymous" ? null : users[actor]);

describe("exports authorization", () => {
  it("covers every exports procedure", () => {
    const procedures = Object.keys(appRouter._def.procedures).filter((p) =>
      p.startsWith("exports."),
    );
    expect(procedures.sort()).toEqual([...covered].sort());
  });

  it("request and status: any signed-in actor, each only their own; anonymous is refused", async () => {
    const ids = new Map<Actor, string>();
    for (const actor of ACTORS) {
      const asked = await errorOf(() => caller(actor).exports.request({ scope: "everything" }));
      const read = await errorOf(() => caller(actor).exports.status());
      const expected = actor === "anonymous" ? "UNAUTHORIZED" : "OK";
      expect([actor, asked.code, read.code]).toEqual([actor, expected, expected]);
      if (actor === "anonymous") continue;
      const state = await caller(actor).exports.status();
      expect(state?.status).toBe("QUEUED");
      const row = await app.db.accountExport.findUniqueOrThrow({ where: { id: state!.id } });
      expect([actor, row.userId]).toEqual([actor, users[actor].id]);
      ids.set(actor, state!.id);
    }
    // Asking for anything but the whole account is refused at the boundary, field by field.
    const bad = await errorOf(() =>
      caller("member").exports.request({ scope: "journal" } as unknown as { scope: "everything" }),
    );
    expect(bad.code).toBe("BAD_REQUEST");
    expect(bad.fields.scope).toEqual(["Only the whole account can be exported."]);
    // Five actors, four exports: each its own, none seen by another.
    expect(new Set(ids.values()).size).toBe(4);
    expect(await app.db.accountExport.count()).toBe(4);
  });

  it("answers the export on its way instead of starting another, and limits new ones", async () => {
    const me = caller("otherMember");
    const first = await me.exports.status();
    const again = await me.exports.request({ scope: "everything" });
    expect(again.id).toBe(first!.id);
    // The job is sent again (one singleton key per export), so a lost send is made good.
    const sends = app.sent.filter((s) => s.singletonKey === first!.id);
    expect(sends.length).toBe(2);
    expect(sends[0]!.name).toBe("privacy.export");

    for (let i = 1; i < EXPORTS_PER_HOUR; i++) {
      await app.db.accountExport.updateMany({
        where: { userId: users.otherMember.id },
        data: { status: "READY" },
      });
      await me.exports.request({ scope: "everything" });
    }
    await app.db.accountExport.updateMany({
      where: { userId: users.otherMember.id },
      data: { status: "READY" },
    });
    const refused = await errorOf(() => me.exports.request({ scope: "everything" }));
    expect(refused.code).toBe("TOO_MANY_REQUESTS");
    expect(await app.db.accountExport.count({ where: { userId: users.otherMember.id } })).toBe(
      EXPORTS_PER_HOUR,
    );
    // Someone else is not held back by this member's limit.
    expect(
      (await errorOf(() => caller("coach").exports.request({ scope: "everything" }))).code,
    ).toBe("OK");
  });
});
