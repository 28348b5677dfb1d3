import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/auth/session";
import { ANSWERS, covered, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * The player's authorization matrix: anonymous, the member who owns the answers, another
 * member, the program's coach, another coach and an admin, against the owner's exercise and
 * step ids and against programs they may not open. The player never takes a draft or pass id:
 * every answer row is keyed by the caller, so "someone else's resource" can only mean someone
 * else's program content — and touching it must only ever read or write the caller's own rows.
 */
type Actor = "anonymous" | "owner" | "otherMember" | "coachOfProgram" | "otherCoach" | "admin";
const OTHERS: Exclude<Actor, "anonymous">[] = [
  "otherMember",
  "coachOfProgram",
  "otherCoach",
  "admin",
];
const SECRET = "OWNER-SECRET-7f3a";
type Caller = ReturnType<TestApp["caller"]>;

let app: TestApp;
const users = {} as Record<Exclude<Actor, "anonymous">, SessionUser>;
let f: Awaited<ReturnType<typeof seedProgram>>;
let plans: Awaited<ReturnType<typeof seedProgram>>;
let draftProgram: Awaited<ReturnType<typeof seedProgram>>;

const PROCEDURES: Record<string, (c: Caller) => Promise<unknown>> = {
  "player.catalog": (c) => c.player.catalog(),
  "player.program": (c) => c.player.program({ slug: f.program.slug }),
  "player.ending": (c) => c.player.ending({ slug: f.program.slug }),
  "player.enrol": (c) => c.player.enrol({ programId: f.program.id }),
  "player.step": (c) => c.player.step({ stepId: f.steps.a }),
  "player.draft": (c) => c.player.draft({ exerciseId: f.ex.REFLECTION }),
  "player.saveDraft": (c) =>
    c.player.saveDraft({ exerciseId: f.ex.LENSES, content: { note: "actor" }, baseVersion: 0 }),
  "player.submit": (c) => c.player.submit({ exerciseId: f.ex.LENSES, content: ANSWERS.LENSES }),
  "player.completeStep": (c) => c.player.completeStep({ stepId: f.steps.b }),
};
const NEEDS_ENROLMENT = new Set([
  "player.ending",
  "player.step",
  "player.draft",
  "player.saveDraft",
  "player.submit",
  "player.completeStep",
]);

async function outcome(promise: Promise<unknown>) {
  try {
    return { code: "OK", value: await promise };
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, value: undefined };
    throw error;
  }
}

/** Everything the owner has, as a comparable string. */
async function ownerState() {
  const userId = users.owner.id;
  const [drafts, passes, completions, people, commitments, ticks, enrolments] = await Promise.all([
    app.db.answerDraft.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    app.db.answerPass.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    app.db.stepCompletion.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    app.db.person.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    app.db.commitment.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    app.db.practiceTick.findMany({ where: { userId }, orderBy: { id: "asc" } }),
    app.db.enrolment.findMany({ where: { userId } }),
  ]);
  return JSON.stringify({ drafts, passes, completions, people, commitments, ticks, enrolments });
}

beforeAll(async () => {
  app = await createTestApp();
  users.owner = await app.createUser("MEMBER");
  users.otherMember = await app.createUser("MEMBER");
  users.coachOfProgram = await app.createUser("COACH");
  users.otherCoach = await app.createUser("COACH");
  users.admin = await app.createUser("ADMIN");
  f = await seedProgram(app.db, users.coachOfProgram.id);
  plans = await seedProgram(app.db, users.coachOfProgram.id, { accessRule: "PLANS" });
  draftProgram = await seedProgram(app.db, users.coachOfProgram.id, { status: "DRAFT" });

  const owner = app.caller(users.owner);
  await owner.player.enrol({ programId: f.program.id });
  await owner.player.saveDraft({
    exerciseId: f.ex.REFLECTION,
    content: { text: `${SECRET} draft` },
    baseVersion: 0,
  });
  await owner.player.submit({
    exerciseId: f.ex.SCALE,
    content: { value: 3, followUp: `${SECRET} follow-up`, why: "" },
  });
  await owner.player.submit({
    exerciseId: f.ex.PEOPLE,
    content: { people: [{ name: `${SECRET} person`, circle: "Friends", status: "KEEP" }] },
  });
  await owner.player.submit({
    exerciseId: f.ex.COMMITMENT,
    content: {
      text: `${SECRET} commitment`,
      dueOn: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
    },
  });
});
afterAll(() => app?.close());

describe("player authorization matrix", () => {
  it("covers every procedure of the player router", () => {
    expect(Object.keys(PROCEDURES).sort()).toEqual([...covered].sort());
  });

  for (const path of covered) {
    it(`${path}: anonymous is UNAUTHORIZED`, async () => {
      expect((await outcome(PROCEDURES[path]!(app.caller(null)))).code).toBe("UNAUTHORIZED");
    });
  }

  it("lets the owner read their own draft and passes", async () => {
    const owner = app.caller(users.owner);
    const step = await owner.player.step({ stepId: f.steps.a });
    expect(JSON.stringify(step)).toContain(`${SECRET} draft`);
    expect(JSON.stringify(step)).toContain(`${SECRET} follow-up`);
    expect(await owner.player.draft({ exerciseId: f.ex.REFLECTION })).toMatchObject({
      content: { text: `${SECRET} draft` },
    });
  });

  for (const actor of OTHERS) {
    it(`${actor}: every procedure on the owner's program touches only the actor's own rows`, async () => {
      const before = await ownerState();
      const api = app.caller(users[actor]);
      // Not enrolled yet: the public outline only.
      for (const path of covered) {
        if (path === "player.enrol") continue;
        const result = await outcome(PROCEDURES[path]!(api));
        expect(result.code, `${actor} ${path} before enrolling`).toBe(
          NEEDS_ENROLMENT.has(path) ? "PRECONDITION_FAILED" : "OK",
        );
        expect(JSON.stringify(result.value ?? null)).not.toContain(SECRET);
      }
      // Enrolled (the program is free): allowed, and still nothing of the owner's.
      for (const path of covered) {
        const result = await outcome(PROCEDURES[path]!(api));
        expect(result.code, `${actor} ${path}`).toBe("OK");
        expect(JSON.stringify(result.value ?? null)).not.toContain(SECRET);
      }
      const step = await api.player.step({ stepId: f.steps.a });
      const scale = step.exercises.find((e) => e.kind === "SCALE");
      expect(scale?.passes).toEqual([]);
      expect(step.exercises.find((e) => e.kind === "REFLECTION")?.draft).toBeNull();
      expect(await ownerState()).toBe(before);
    });
  }

  it("a draft saved on the owner's exercise, even with the owner's version number, is the caller's", async () => {
    const before = await ownerState();
    const other = app.caller(users.otherMember);
    // otherMember is enrolled by the previous test; no draft of theirs on this exercise yet.
    expect(await other.player.draft({ exerciseId: f.ex.REFLECTION })).toBeNull();
    // The owner's draft is at version 1: a "stale" write with it cannot reach the owner's row.
    expect(
      (
        await outcome(
          other.player.saveDraft({
            exerciseId: f.ex.REFLECTION,
            content: { text: "x" },
            baseVersion: 1,
          }),
        )
      ).code,
    ).toBe("CONFLICT");
    const saved = await other.player.saveDraft({
      exerciseId: f.ex.REFLECTION,
      content: { text: "theirs" },
      baseVersion: 0,
    });
    expect(saved.version).toBe(1);
    await other.player.saveDraft({
      exerciseId: f.ex.REFLECTION,
      content: { text: "theirs again" },
      baseVersion: 1,
    });
    await other.player.submit({ exerciseId: f.ex.SCALE, content: ANSWERS.SCALE });
    expect(await ownerState()).toBe(before);
    expect(
      await app.db.answerDraft.findUniqueOrThrow({
        where: { userId_exerciseId: { userId: users.owner.id, exerciseId: f.ex.REFLECTION } },
      }),
    ).toMatchObject({ content: { text: `${SECRET} draft` }, version: 1 });
  });

  it("coaches and admins see no member answer through the catalog or the overview", async () => {
    for (const actor of ["coachOfProgram", "otherCoach", "admin"] as const) {
      const api = app.caller(users[actor]);
      const seen = JSON.stringify([
        await api.player.catalog(),
        await api.player.program({ slug: f.program.slug }),
      ]);
      expect(seen).not.toContain(SECRET);
    }
  });

  it("refuses a plans program to members without an entitlement, by any of its ids", async () => {
    for (const actor of ["otherMember", "otherCoach"] as const) {
      const api = app.caller(users[actor]);
      const calls = [
        () => api.player.enrol({ programId: plans.program.id }),
        () => api.player.step({ stepId: plans.steps.a }),
        () => api.player.draft({ exerciseId: plans.ex.REFLECTION }),
        () =>
          api.player.saveDraft({ exerciseId: plans.ex.REFLECTION, content: {}, baseVersion: 0 }),
        () => api.player.submit({ exerciseId: plans.ex.REFLECTION, content: ANSWERS.REFLECTION }),
        () => api.player.completeStep({ stepId: plans.steps.b }),
        () => api.player.ending({ slug: plans.program.slug }),
      ];
      for (const call of calls) expect((await outcome(call())).code).toBe("FORBIDDEN");
    }
    // The program's own coach and admins may open it.
    for (const actor of ["coachOfProgram", "admin"] as const) {
      expect(
        (await outcome(app.caller(users[actor]).player.enrol({ programId: plans.program.id })))
          .code,
      ).toBe("OK");
    }
  });

  it("hides an unpublished program (NOT_FOUND) from everyone but its coach and admins", async () => {
    for (const actor of ["owner", "otherMember", "otherCoach"] as const) {
      const api = app.caller(users[actor]);
      const calls = [
        () => api.player.program({ slug: draftProgram.program.slug }),
        () => api.player.enrol({ programId: draftProgram.program.id }),
        () => api.player.step({ stepId: draftProgram.steps.a }),
        () => api.player.draft({ exerciseId: draftProgram.ex.REFLECTION }),
        () =>
          api.player.saveDraft({
            exerciseId: draftProgram.ex.REFLECTION,
            content: {},
            baseVersion: 0,
          }),
        () =>
          api.player.submit({
            exerciseId: draftProgram.ex.REFLECTION,
            content: ANSWERS.REFLECTION,
          }),
        () => api.player.completeStep({ stepId: draftProgram.steps.b }),
        () => api.player.ending({ slug: draftProgram.program.slug }),
      ];
      for (const call of calls) expect((await outcome(call())).code).toBe("NOT_FOUND");
    }
    for (const actor of ["coachOfProgram", "admin"] as const) {
      const api = app.caller(users[actor]);
      expect((await outcome(api.player.program({ slug: draftProgram.program.slug }))).code).toBe(
        "OK",
      );
    }
  });

  it("answers NOT_FOUND for ids that do not exist", async () => {
    const api = app.caller(users.otherMember);
    expect((await outcome(api.player.step({ stepId: "nope" }))).code).toBe("NOT_FOUND");
    expect((await outcome(api.player.draft({ exerciseId: "nope" }))).code).toBe("NOT_FOUND");
    expect((await outcome(api.player.enrol({ programId: "nope" }))).code).toBe("NOT_FOUND");
    expect((await outcome(api.player.program({ slug: "nope" }))).code).toBe("NOT_FOUND");
  });
});
