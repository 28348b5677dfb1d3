import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { covered, seedAuthoredProgram } from "../authz/programs";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * Every programs.* procedure x every actor, on a program the coach authored. Members are refused
 * by role; another coach gets NOT_FOUND for anything addressed by id (ids cannot be probed);
 * the author and admins are allowed.
 */
type Caller = ReturnType<TestApp["caller"]>;
type Fixture = Awaited<ReturnType<typeof seedAuthoredProgram>>;
type Actor = "anonymous" | "member" | "otherMember" | "author" | "otherCoach" | "admin";
const ACTORS: Actor[] = ["anonymous", "member", "otherMember", "author", "otherCoach", "admin"];

type Case = {
  call: (c: Caller, f: Fixture) => Promise<unknown>;
  /** Not addressed by id: another coach is allowed (and sees only their own). */
  unscoped?: boolean;
  status?: "DRAFT" | "ARCHIVED";
};

const details = (f: Fixture) => ({
  id: f.programId,
  title: "Renamed",
  slug: f.slug,
  summary: "",
  pacing: "SELF_PACED" as const,
  accessRule: "FREE" as const,
});

const CASES: Record<string, Case> = {
  "programs.list": { unscoped: true, call: (c) => c.programs.list() },
  "programs.create": { unscoped: true, call: (c) => c.programs.create({ title: "New one" }) },
  "programs.get": { call: (c, f) => c.programs.get({ id: f.programId }) },
  "programs.update": { call: (c, f) => c.programs.update(details(f)) },
  "programs.setCatalogPosition": {
    call: (c, f) => c.programs.setCatalogPosition({ id: f.programId, position: 3 }),
  },
  "programs.publish": { call: (c, f) => c.programs.publish({ id: f.programId }) },
  "programs.archive": { call: (c, f) => c.programs.archive({ id: f.programId }) },
  "programs.unarchive": {
    status: "ARCHIVED",
    call: (c, f) => c.programs.unarchive({ id: f.programId }),
  },
  "programs.duplicate": { call: (c, f) => c.programs.duplicate({ id: f.programId }) },
  "programs.addModule": {
    call: (c, f) => c.programs.addModule({ programId: f.programId, title: "M" }),
  },
  "programs.updateModule": {
    call: (c, f) => c.programs.updateModule({ id: f.m1, title: "M", unlockDayOffset: 2 }),
  },
  "programs.deleteModule": { call: (c, f) => c.programs.deleteModule({ id: f.m2 }) },
  "programs.addStep": { call: (c, f) => c.programs.addStep({ moduleId: f.m1, title: "S" }) },
  "programs.updateStep": {
    call: (c, f) => c.programs.updateStep({ id: f.s1, title: "S", body: "B" }),
  },
  "programs.moveStep": { call: (c, f) => c.programs.moveStep({ id: f.s1, moduleId: f.m2 }) },
  "programs.deleteStep": { call: (c, f) => c.programs.deleteStep({ id: f.s1 }) },
  "programs.addExercise": {
    call: (c, f) =>
      c.programs.addExercise({
        stepId: f.s1,
        kind: "SCALE",
        prompt: "Rate it",
        config: { minLabel: "Low", maxLabel: "High" },
        revisitAfterDays: 7,
      }),
  },
  "programs.updateExercise": {
    call: (c, f) =>
      c.programs.updateExercise({
        id: f.e1,
        kind: "REFLECTION",
        prompt: "Why, really?",
        config: { probes: [] },
        revisitAfterDays: null,
      }),
  },
  "programs.deleteExercise": { call: (c, f) => c.programs.deleteExercise({ id: f.e1 }) },
  "programs.reorder": {
    call: (c, f) =>
      c.programs.reorder({ parentId: f.programId, kind: "modules", orderedIds: [f.m2, f.m1] }),
  },
};

let app: TestApp;
const users: Partial<Record<Exclude<Actor, "anonymous">, Session["user"]>> = {};

beforeAll(async () => {
  app = await createTestApp();
  users.member = await app.createUser("MEMBER");
  users.otherMember = await app.createUser("MEMBER");
  users.author = await app.createUser("COACH");
  users.otherCoach = await app.createUser("COACH");
  users.admin = await app.createUser("ADMIN");
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

function expected(actor: Actor, testCase: Case): string {
  if (actor === "anonymous") return "UNAUTHORIZED";
  if (actor === "member" || actor === "otherMember") return "FORBIDDEN";
  if (actor === "otherCoach" && !testCase.unscoped) return "NOT_FOUND";
  return "OK";
}

describe("programs authorization matrix", () => {
  it("lists exactly the procedures of programs.*", async () => {
    const { appRouter } = await import("@/server/trpc/root");
    const procedures = Object.keys(appRouter._def.procedures).filter((p) =>
      p.startsWith("programs."),
    );
    expect([...procedures].sort()).toEqual([...covered].sort());
    expect(Object.keys(CASES).sort()).toEqual([...covered].sort());
  });

  for (const [path, testCase] of Object.entries(CASES)) {
    for (const actor of ACTORS) {
      const want = expected(actor, testCase);
      it(`${path} as ${actor}: ${want}`, async () => {
        const fixture = await seedAuthoredProgram(app.db, users.author!.id, testCase.status);
        const before = await app.db.program.findUniqueOrThrow({
          where: { id: fixture.programId },
          include: { modules: { include: { steps: { include: { exercises: true } } } } },
        });
        const user = actor === "anonymous" ? null : users[actor]!;
        expect(await codeOf(testCase.call(app.caller(user), fixture))).toBe(want);
        if (want !== "OK") {
          // A refused call changes nothing.
          const after = await app.db.program.findUniqueOrThrow({
            where: { id: fixture.programId },
            include: { modules: { include: { steps: { include: { exercises: true } } } } },
          });
          expect(after).toEqual(before);
        }
      });
    }
  }

  it("another coach's list never shows someone else's program; an admin's does", async () => {
    const fixture = await seedAuthoredProgram(app.db, users.author!.id);
    const ids = async (user: Session["user"]) =>
      (await app.caller(user).programs.list()).map((p) => p.id);
    expect(await ids(users.otherCoach!)).not.toContain(fixture.programId);
    expect(await ids(users.author!)).toContain(fixture.programId);
    expect(await ids(users.admin!)).toContain(fixture.programId);
  });
});
