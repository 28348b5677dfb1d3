import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { appRouter } from "@/server/trpc/root";
import { covered } from "../authz/journal";
import { createTestApp, type TestApp } from "../helpers/app";
import { addPass, type Fixture, makeProgram } from "./journal-fixtures";

/**
 * Journal and sharing: every procedure x actor x (own resource, someone else's resource).
 * "Someone else's" is always the owner member's (or, for the owner, the other member's).
 * Besides the codes, no response to anyone but the owner may contain the owner's private text.
 */
type Actor = "anonymous" | "owner" | "otherMember" | "coach" | "otherCoach" | "admin";
type Code = "OK" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND";
type Which = "own" | "other";
type Caller = ReturnType<TestApp["caller"]>;
type Res = {
  exerciseId: string;
  /** A prompt only this actor answered: someone else asking for it must get NOT_FOUND. */
  onlyMineExerciseId: string;
  passA: string;
  passB: string;
  shareId: string;
  programId: string;
};

const ACTORS: Actor[] = ["anonymous", "otherMember", "coach", "otherCoach", "admin", "owner"];
const SIGNED_IN = ["owner", "otherMember", "coach", "otherCoach", "admin"] as const;

const everyoneSignedIn = (): Record<Actor, [Code, Code]> => ({
  anonymous: ["UNAUTHORIZED", "UNAUTHORIZED"],
  owner: ["OK", "OK"],
  otherMember: ["OK", "OK"],
  coach: ["OK", "OK"],
  otherCoach: ["OK", "OK"],
  admin: ["OK", "OK"],
});
const ownerOnly = (): Record<Actor, [Code, Code]> => ({
  anonymous: ["UNAUTHORIZED", "UNAUTHORIZED"],
  owner: ["OK", "NOT_FOUND"],
  otherMember: ["OK", "NOT_FOUND"],
  coach: ["OK", "NOT_FOUND"],
  otherCoach: ["OK", "NOT_FOUND"],
  admin: ["OK", "NOT_FOUND"],
});
const coachOfProgram = (): Record<Actor, [Code, Code]> => ({
  anonymous: ["UNAUTHORIZED", "UNAUTHORIZED"],
  owner: ["FORBIDDEN", "FORBIDDEN"],
  otherMember: ["FORBIDDEN", "FORBIDDEN"],
  coach: ["OK", "NOT_FOUND"],
  otherCoach: ["OK", "NOT_FOUND"],
  admin: ["OK", "OK"],
});

// Shared snapshots go to the program's coach only: an admin who did not author the program
// (in this fixture, neither program is the admin's) gets NOT_FOUND.
const authorOfProgram = (): Record<Actor, [Code, Code]> => ({
  ...coachOfProgram(),
  admin: ["NOT_FOUND", "NOT_FOUND"],
});

const MATRIX: Record<
  string,
  { expect: Record<Actor, [Code, Code]>; call: (c: Caller, r: Res) => Promise<unknown> }
> = {
  "journal.list": { expect: everyoneSignedIn(), call: (c) => c.journal.list({}) },
  "journal.filters": { expect: everyoneSignedIn(), call: (c) => c.journal.filters() },
  "journal.timeline": {
    expect: ownerOnly(),
    call: (c, r) => c.journal.timeline({ exerciseId: r.exerciseId }),
  },
  "journal.compare": {
    expect: ownerOnly(),
    call: (c, r) => c.journal.compare({ passIdA: r.passA, passIdB: r.passB }),
  },
  "journal.scaleTrend": {
    expect: ownerOnly(),
    call: (c, r) => c.journal.scaleTrend({ exerciseId: r.exerciseId }),
  },
  "coaching.share": {
    expect: ownerOnly(),
    call: (c, r) => c.coaching.share({ passId: r.passA, audience: "COACH" }),
  },
  "coaching.unshare": {
    expect: ownerOnly(),
    call: (c, r) => c.coaching.unshare({ shareId: r.shareId }),
  },
  "coaching.myShares": { expect: everyoneSignedIn(), call: (c) => c.coaching.myShares() },
  "coaching.progress": {
    expect: coachOfProgram(),
    call: (c, r) => c.coaching.progress({ programId: r.programId, page: 0 }),
  },
  "coaching.sharedAnswers": {
    expect: authorOfProgram(),
    call: (c, r) => c.coaching.sharedAnswers({ programId: r.programId, page: 0 }),
  },
};

let app: TestApp;
const users: Partial<Record<Actor, Session["user"]>> = {};
const resources: Partial<Record<Actor, Res>> = {};
const secret = (actor: string) => `SECRET-of-${actor}`;

async function codeOf(promise: Promise<unknown>): Promise<{ code: string; value?: unknown }> {
  try {
    return { code: "OK", value: await promise };
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code };
    throw error;
  }
}

beforeAll(async () => {
  app = await createTestApp();
  users.owner = await app.createUser("MEMBER");
  users.otherMember = await app.createUser("MEMBER");
  users.coach = await app.createUser("COACH");
  users.otherCoach = await app.createUser("COACH");
  users.admin = await app.createUser("ADMIN");
  const fx: Fixture = await makeProgram(app, users.coach.id, { extraReflections: 5 });
  const otherFx = await makeProgram(app, users.otherCoach.id);

  // Every signed-in actor has answers of their own (staff may try a program too), each pass
  // holding a private text, and one active share.
  for (const [i, actor] of SIGNED_IN.entries()) {
    const user = users[actor]!;
    const onlyMine = fx.extra[i]!;
    await addPass(app, fx, user.id, onlyMine, 1, { text: secret(actor), probes: [] });
    const a = await addPass(app, fx, user.id, fx.scale, 1, {
      value: 3,
      followUp: "",
      why: secret(actor),
    });
    const b = await addPass(app, fx, user.id, fx.scale, 2, {
      value: 5,
      followUp: secret(actor),
      why: "",
    });
    const share = await app.db.share.create({
      data: {
        passId: a.id,
        userId: user.id,
        programId: fx.program.id,
        audience: "COACH",
        snapshot: { note: "shared on purpose" },
      },
    });
    const program = actor === "otherCoach" ? otherFx.program.id : fx.program.id;
    resources[actor] = {
      exerciseId: fx.scale.id,
      onlyMineExerciseId: onlyMine.id,
      passA: a.id,
      passB: b.id,
      shareId: share.id,
      programId: program,
    };
  }
});
afterAll(() => app?.close());

function target(actor: Actor, which: Which): Res {
  if (which === "own") return resources[actor === "anonymous" ? "owner" : actor]!;
  const base = resources[actor === "owner" ? "otherMember" : "owner"]!;
  // Programs: "someone else's" is the program the actor does not author.
  const programId =
    actor === "otherCoach" ? resources.owner!.programId : resources.otherCoach!.programId;
  return { ...base, exerciseId: base.onlyMineExerciseId, programId };
}

describe("journal and sharing authorization matrix", () => {
  it("lists exactly the procedures of journal.* and coaching.*", () => {
    const procedures = Object.keys(appRouter._def.procedures).filter((p) =>
      /^(journal|coaching)\./.test(p),
    );
    expect([...covered].sort()).toEqual(procedures.sort());
    expect(Object.keys(MATRIX).sort()).toEqual([...covered].sort());
  });

  for (const [path, entry] of Object.entries(MATRIX)) {
    it(path, async () => {
      const results: string[] = [];
      const expected: string[] = [];
      // The owner runs last: their own share/unshare must not change what others are tested on.
      for (const actor of ACTORS) {
        const caller = app.caller(actor === "anonymous" ? null : users[actor]!);
        for (const which of ["other", "own"] as const) {
          const { code, value } = await codeOf(entry.call(caller, target(actor, which)));
          results.push(`${actor}/${which}: ${code}`);
          expected.push(`${actor}/${which}: ${entry.expect[actor][which === "own" ? 0 : 1]}`);
          // Nobody but the owner ever receives the owner's private text, whatever they call.
          if (actor !== "owner" && value !== undefined) {
            expect(JSON.stringify(value), `${path} ${actor}/${which}`).not.toContain(
              secret("owner"),
            );
          }
        }
      }
      expect(results).toEqual(expected);
    });
  }

  it("left the owner's data intact after everyone else's attempts", async () => {
    const share = await app.db.share.findUniqueOrThrow({
      where: { id: resources.owner!.shareId },
    });
    // Only the owner's own unshare (run last) revoked it.
    expect(share.revokedAt).not.toBeNull();
    const ownerPasses = [resources.owner!.passA, resources.owner!.passB];
    const foreign = await app.db.share.count({
      where: { passId: { in: ownerPasses }, userId: { not: users.owner!.id } },
    });
    expect(foreign).toBe(0);
  });
});
