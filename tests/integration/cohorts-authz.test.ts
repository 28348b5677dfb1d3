import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "@/lib/time-zone";
import type { Session } from "@/server/auth/session";
import { appRouter } from "@/server/trpc/root";
import { covered } from "../authz/cohorts";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";

/**
 * Every cohort procedure x every actor, each on a fresh cohort: who may run it, who may read it,
 * and what everyone else gets. Coaches who neither wrote the program nor facilitate the cohort
 * get NOT_FOUND for its id (ids cannot be probed); members get FORBIDDEN for coach procedures and
 * NOT_FOUND for a cohort they are not in.
 */
type Actor =
  | "anonymous"
  | "outsider"
  | "cohortMember"
  | "facilitator"
  | "author"
  | "otherCoach"
  | "admin";
const ACTORS: Actor[] = [
  "anonymous",
  "outsider",
  "cohortMember",
  "facilitator",
  "author",
  "otherCoach",
  "admin",
];
type Caller = ReturnType<TestApp["caller"]>;
type Fixture = {
  cohortId: string;
  slug: string;
  token: string;
  programId: string;
  /** A post and a comment by the cohort's member, and one of their answers. */
  postId: string;
  commentId: string;
  passId: string;
  sessionId: string;
};
type Case = {
  allowed: Actor[];
  /** What a refused signed-in actor gets (anonymous is always UNAUTHORIZED). */
  refused: Partial<Record<Actor, string>>;
  call: (c: Caller, f: Fixture) => Promise<unknown>;
};

const RUNNERS: Actor[] = ["facilitator", "author", "admin"];
const forbidMembers = { outsider: "FORBIDDEN", cohortMember: "FORBIDDEN" };
const coachOnly = (allowed: Actor[], extra: Partial<Record<Actor, string>> = {}) => ({
  allowed,
  refused: { ...forbidMembers, otherCoach: "NOT_FOUND", ...extra },
});

const today = () => localDay(new Date(), "UTC");

const MATRIX: Record<string, Case> = {
  "cohorts.list": { ...coachOnly([...RUNNERS, "otherCoach"]), call: (c) => c.cohorts.list() },
  "cohorts.create": {
    ...coachOnly(["author", "admin"], { facilitator: "NOT_FOUND" }),
    call: (c, f) =>
      c.cohorts.create({
        programId: f.programId,
        name: "New",
        startDate: today(),
        timeZone: "UTC",
        capacity: 5,
      }),
  },
  "cohorts.update": {
    ...coachOnly(RUNNERS),
    call: (c, f) => c.cohorts.update({ cohortId: f.cohortId, capacity: 20 }),
  },
  "cohorts.close": {
    ...coachOnly(RUNNERS),
    call: (c, f) => c.cohorts.close({ cohortId: f.cohortId }),
  },
  "cohorts.manage": {
    ...coachOnly(RUNNERS),
    call: (c, f) => c.cohorts.manage({ cohortId: f.cohortId }),
  },
  "cohorts.roster": {
    ...coachOnly(RUNNERS),
    call: (c, f) => c.cohorts.roster({ cohortId: f.cohortId }),
  },
  "cohorts.createInvite": {
    ...coachOnly(RUNNERS),
    call: (c, f) => c.cohorts.createInvite({ cohortId: f.cohortId }),
  },
  "cohorts.revokeInvite": {
    ...coachOnly(RUNNERS),
    call: (c, f) => c.cohorts.revokeInvite({ cohortId: f.cohortId }),
  },
  "cohorts.addFacilitator": {
    ...coachOnly(["author", "admin"], { facilitator: "FORBIDDEN" }),
    call: (c, f) =>
      c.cohorts.addFacilitator({ cohortId: f.cohortId, email: users.otherCoach!.email }),
  },
  "cohorts.removeFacilitator": {
    ...coachOnly(["author", "admin"], { facilitator: "FORBIDDEN" }),
    call: (c, f) =>
      c.cohorts.removeFacilitator({ cohortId: f.cohortId, userId: users.facilitator!.id }),
  },
  "cohorts.removeMember": {
    ...coachOnly(RUNNERS),
    call: (c, f) =>
      c.cohorts.removeMember({ cohortId: f.cohortId, userId: users.cohortMember!.id }),
  },
  "cohorts.mine": { allowed: ACTORS.slice(1), refused: {}, call: (c) => c.cohorts.mine() },
  "cohorts.forProgram": {
    allowed: ACTORS.slice(1),
    refused: {},
    call: (c, f) => c.cohorts.forProgram({ programId: f.programId }),
  },
  "cohorts.home": {
    allowed: ["cohortMember", ...RUNNERS],
    refused: { outsider: "NOT_FOUND", otherCoach: "NOT_FOUND" },
    call: (c, f) => c.cohorts.home({ slug: f.slug }),
  },
  "cohorts.invitation": {
    allowed: ACTORS.slice(1),
    refused: {},
    call: (c, f) => c.cohorts.invitation({ token: f.token }),
  },
  "cohorts.join": {
    allowed: ACTORS.slice(1),
    refused: {},
    call: (c, f) => c.cohorts.join({ cohortId: f.cohortId }),
  },
  "cohorts.joinByInvite": {
    allowed: ACTORS.slice(1),
    refused: {},
    call: (c, f) => c.cohorts.joinByInvite({ token: f.token }),
  },
  "cohorts.leave": {
    allowed: ["cohortMember"],
    refused: {
      outsider: "NOT_FOUND",
      facilitator: "NOT_FOUND",
      author: "NOT_FOUND",
      otherCoach: "NOT_FOUND",
      admin: "NOT_FOUND",
    },
    call: (c, f) => c.cohorts.leave({ cohortId: f.cohortId }),
  },
};

const inSpace = {
  allowed: ["cohortMember", ...RUNNERS] as Actor[],
  refused: { outsider: "NOT_FOUND", otherCoach: "NOT_FOUND" },
};
const notFoundBut = (allowed: Actor[], extra: Partial<Record<Actor, string>> = {}) => ({
  allowed,
  refused: { outsider: "NOT_FOUND", otherCoach: "NOT_FOUND", ...extra },
});

const sessionFields = () => ({
  title: "Call",
  date: localDay(new Date(Date.now() + 3 * 86_400_000), "UTC"),
  time: "18:00",
  durationMinutes: 60,
  joinUrl: "https://meet.example.org/x",
});

/** Subscribes, waits briefly for the stream to start (or be refused), and closes it. */
async function subscribeBriefly(c: Caller, cohortId: string) {
  const iterator = (await c.cohorts.live({ cohortId }))[Symbol.asyncIterator]();
  try {
    await Promise.race([iterator.next(), new Promise((r) => setTimeout(r, 200))]);
  } finally {
    await iterator.return?.();
  }
}

Object.assign(MATRIX, {
  "cohorts.comments": { ...inSpace, call: (c, f) => c.cohorts.comments({ postId: f.postId }) },
  "cohorts.members": { ...inSpace, call: (c, f) => c.cohorts.members({ cohortId: f.cohortId }) },
  "cohorts.feed": { ...inSpace, call: (c, f) => c.cohorts.feed({ cohortId: f.cohortId }) },
  "cohorts.post": {
    ...inSpace,
    call: (c, f) => c.cohorts.post({ cohortId: f.cohortId, body: "Hi" }),
  },
  "cohorts.deletePost": {
    ...notFoundBut(["cohortMember"], {
      facilitator: "FORBIDDEN",
      author: "FORBIDDEN",
      admin: "FORBIDDEN",
    }),
    call: (c, f) => c.cohorts.deletePost({ postId: f.postId }),
  },
  "cohorts.comment": {
    ...inSpace,
    call: (c, f) => c.cohorts.comment({ postId: f.postId, body: "Agreed" }),
  },
  "cohorts.deleteComment": {
    ...inSpace,
    call: (c, f) => c.cohorts.deleteComment({ commentId: f.commentId }),
  },
  "cohorts.react": {
    ...inSpace,
    call: (c, f) => c.cohorts.react({ postId: f.postId, kind: "THANKS" }),
  },
  // Authors cannot report their own post (they delete it).
  "cohorts.report": {
    ...notFoundBut(RUNNERS, { cohortMember: "BAD_REQUEST" }),
    call: (c, f) => c.cohorts.report({ postId: f.postId, reason: "" }),
  },
  "cohorts.moderate": {
    ...notFoundBut(RUNNERS, { cohortMember: "FORBIDDEN" }),
    call: (c, f) => c.cohorts.moderate({ postId: f.postId, action: "hide" }),
  },
  // Only one's own answers: the member's pass is NOT_FOUND to everyone else.
  "cohorts.shareAnswer": {
    ...notFoundBut(["cohortMember"], {
      facilitator: "NOT_FOUND",
      author: "NOT_FOUND",
      admin: "NOT_FOUND",
    }),
    call: (c, f) =>
      c.cohorts.shareAnswer({ cohortId: f.cohortId, passId: f.passId, consent: true }),
  },
  "cohorts.live": { ...inSpace, call: (c, f) => subscribeBriefly(c, f.cohortId) },
  "cohorts.addSession": {
    ...coachOnly(RUNNERS),
    call: (c, f) => c.cohorts.addSession({ cohortId: f.cohortId, ...sessionFields() }),
  },
  "cohorts.updateSession": {
    ...coachOnly(RUNNERS),
    call: (c, f) => c.cohorts.updateSession({ sessionId: f.sessionId, ...sessionFields() }),
  },
  "cohorts.cancelSession": {
    ...coachOnly(RUNNERS),
    call: (c, f) => c.cohorts.cancelSession({ sessionId: f.sessionId }),
  },
  "cohorts.nudge": {
    ...coachOnly(RUNNERS),
    call: (c, f) => c.cohorts.nudge({ cohortId: f.cohortId, userId: users.cohortMember!.id }),
  },
  "cohorts.calendar": { allowed: ACTORS.slice(1), refused: {}, call: (c) => c.cohorts.calendar() },
  "cohorts.resetCalendar": {
    allowed: ACTORS.slice(1),
    refused: {},
    call: (c) => c.cohorts.resetCalendar({ confirm: true }),
  },
} satisfies Record<string, Case>);

let app: TestApp;
let passId: string;
const users: Partial<Record<Exclude<Actor, "anonymous">, Session["user"]>> = {};
let programId: string;
let reflectionId: string;

beforeAll(async () => {
  app = await createTestApp();
  users.author = await app.createUser("COACH");
  users.facilitator = await app.createUser("COACH");
  users.otherCoach = await app.createUser("COACH");
  users.admin = await app.createUser("ADMIN");
  users.cohortMember = await app.createUser("MEMBER");
  users.outsider = await app.createUser("MEMBER");
  const seeded = await seedProgram(app.db, users.author.id, { pacing: "COHORT_PACED" });
  programId = seeded.program.id;
  reflectionId = seeded.ex.REFLECTION;
});
afterAll(() => app?.close());

/** A fresh cohort of the author's program, with its facilitator, one member and an invite. */
async function fixture(): Promise<Fixture> {
  const author = app.caller(users.author!);
  const cohort = await author.cohorts.create({
    programId,
    name: `Cohort ${Math.random().toString(36).slice(2, 8)}`,
    startDate: today(),
    timeZone: "UTC",
    capacity: 10,
  });
  await author.cohorts.addFacilitator({ cohortId: cohort.id, email: users.facilitator!.email });
  // One cohort per program per member: earlier fixtures' seats are given up first.
  await app.db.cohortMember.updateMany({
    where: { userId: { in: Object.values(users).map((u) => u.id) } },
    data: { status: "LEFT" },
  });
  const member = app.caller(users.cohortMember!);
  await member.cohorts.join({ cohortId: cohort.id });
  const { token } = await author.cohorts.createInvite({ cohortId: cohort.id });
  passId ??= (await member.player.submit({ exerciseId: reflectionId, content: ANSWERS.REFLECTION }))
    .passId;
  const post = await member.cohorts.post({ cohortId: cohort.id, body: "Hello" });
  const comment = await member.cohorts.comment({ postId: post.id, body: "And me" });
  const session = await author.cohorts.addSession({ cohortId: cohort.id, ...sessionFields() });
  return {
    cohortId: cohort.id,
    slug: cohort.slug,
    token,
    programId,
    postId: post.id,
    commentId: comment.id,
    passId,
    sessionId: session.id,
  };
}

const codeOf = async (promise: Promise<unknown>) => (await errorOf(() => promise)).code;

describe("cohorts authorization matrix", () => {
  it("lists every cohort procedure of the router, and only those", () => {
    const mine = Object.keys(appRouter._def.procedures).filter((p) => p.startsWith("cohorts."));
    expect([...mine].sort()).toEqual([...covered].sort());
    expect(Object.keys(MATRIX).sort()).toEqual([...covered].sort());
  });

  for (const [path, testCase] of Object.entries(MATRIX)) {
    for (const actor of ACTORS) {
      const allowed = testCase.allowed.includes(actor);
      const expected = allowed
        ? "OK"
        : actor === "anonymous"
          ? "UNAUTHORIZED"
          : (testCase.refused[actor] ?? "FORBIDDEN");
      it(`${path} as ${actor}: ${expected}`, async () => {
        const f = await fixture();
        const user = actor === "anonymous" ? null : users[actor]!;
        expect(await codeOf(testCase.call(app.caller(user), f))).toBe(expected);
      });
    }
  }

  it("never shows a coach the cohorts they do not run, nor a member's email to other members", async () => {
    const f = await fixture();
    const list = await app.caller(users.otherCoach!).cohorts.list();
    expect(list.cohorts.map((c) => c.id)).not.toContain(f.cohortId);
    const home = await app.caller(users.cohortMember!).cohorts.home({ slug: f.slug });
    expect(JSON.stringify(home)).not.toContain("@");
  });
});
