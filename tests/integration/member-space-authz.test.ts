import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { appRouter } from "@/server/trpc/root";
import { covered } from "../authz/member-space";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * Every procedure of the member's space x every actor x (own resource, someone else's). The map,
 * commitments and ticks are private: only their owner reaches them; anyone else gets NOT_FOUND
 * for an id (so ids cannot be probed) and lists that never contain another member's rows.
 */
type Actor = "anonymous" | "owner" | "otherMember" | "coachOfProgram" | "otherCoach" | "admin";
const ACTORS: Actor[] = [
  "anonymous",
  "owner",
  "otherMember",
  "coachOfProgram",
  "otherCoach",
  "admin",
];
type Caller = ReturnType<TestApp["caller"]>;
type Resources = {
  marker: string;
  personId: string;
  commitmentId: string;
  tickId: string;
  exerciseId: string;
};
type Case = {
  /**
   * "list": answers with the caller's own rows, checked for markers instead of NOT_FOUND.
   * "create": takes no id; it always creates for the caller, never for anyone else.
   */
  kind?: "list" | "create";
  call: (c: Caller, r: Resources) => Promise<unknown>;
};

const today = () => new Date().toISOString().slice(0, 10);

const MATRIX: Record<string, Case> = {
  "community.list": { kind: "list", call: (c) => c.community.list() },
  "community.circles": { kind: "list", call: (c) => c.community.circles() },
  "community.add": {
    kind: "create",
    call: (c) => c.community.add({ name: "Added", circle: "F", status: "KEEP", why: "" }),
  },
  "community.update": { call: (c, r) => c.community.update({ id: r.personId, name: "Renamed" }) },
  "community.remove": { call: (c, r) => c.community.remove({ id: r.personId }) },
  "community.logReachOut": {
    call: (c, r) => c.community.logReachOut({ personId: r.personId, note: "hi" }),
  },
  "community.history": { call: (c, r) => c.community.history({ personId: r.personId }) },
  "commitments.list": { kind: "list", call: (c) => c.commitments.list() },
  "commitments.create": {
    kind: "create",
    call: (c) => c.commitments.create({ text: "Created", dueOn: today() }),
  },
  "commitments.checkIn": {
    call: (c, r) => c.commitments.checkIn({ id: r.commitmentId, outcome: "DONE", note: "" }),
  },
  "commitments.history": { call: (c, r) => c.commitments.history({ id: r.commitmentId }) },
  "practices.list": { kind: "list", call: (c) => c.practices.list() },
  "practices.tick": {
    call: (c, r) => c.practices.tick({ exerciseId: r.exerciseId, practiceKey: "be-open" }),
  },
  "practices.untick": { call: (c, r) => c.practices.untick({ tickId: r.tickId }) },
  "dashboard.today": { kind: "list", call: (c) => c.dashboard.today() },
};

let app: TestApp;
const users: Partial<Record<Actor, Session["user"]>> = {};
let seq = 0;

beforeAll(async () => {
  app = await createTestApp();
  users.owner = await app.createUser("MEMBER");
  users.otherMember = await app.createUser("MEMBER");
  users.coachOfProgram = await app.createUser("COACH");
  users.otherCoach = await app.createUser("COACH");
  users.admin = await app.createUser("ADMIN");
});
afterAll(() => app?.close());

/**
 * A fresh set of rows owned by one user: a person with a reach-out planned today, a commitment
 * due today, and a tick in a program written by the coach of the program that only this user
 * is enrolled in.
 */
async function resourcesOf(userId: string): Promise<Resources> {
  seq += 1;
  const marker = `m${seq}x${Math.random().toString(36).slice(2, 8)}`;
  const program = await app.db.program.create({
    data: {
      slug: `authz-${marker}`,
      title: `Program ${marker}`,
      status: "PUBLISHED",
      authorId: users.coachOfProgram!.id,
      modules: {
        create: {
          title: "M",
          position: 0,
          steps: {
            create: {
              title: "S",
              position: 0,
              exercises: {
                create: {
                  kind: "PRACTICE",
                  prompt: `Practices ${marker}`,
                  position: 0,
                  config: { practices: [{ key: "be-open", label: "Be open" }] },
                },
              },
            },
          },
        },
      },
    },
    include: { modules: { include: { steps: { include: { exercises: true } } } } },
  });
  const exerciseId = program.modules[0]!.steps[0]!.exercises[0]!.id;
  await app.db.enrolment.create({ data: { userId, programId: program.id } });
  const person = await app.db.person.create({
    // The circle carries the marker too: the map and its circles are listed a page at a time.
    data: {
      userId,
      name: `Person ${marker}`,
      circle: `C ${marker}`,
      plannedReachOutAt: new Date(),
    },
  });
  await app.db.reachOut.create({ data: { userId, personId: person.id, note: `Note ${marker}` } });
  const commitment = await app.db.commitment.create({
    // Each newer one is due a day earlier, so it sorts first on the first page of the list.
    data: {
      userId,
      text: `Commitment ${marker}`,
      dueOn: new Date(Date.parse(`${today()}T00:00:00Z`) - seq * 86_400_000),
    },
  });
  const tick = await app.db.practiceTick.create({
    data: { userId, exerciseId, practiceKey: "be-open" },
  });
  return { marker, personId: person.id, commitmentId: commitment.id, tickId: tick.id, exerciseId };
}

async function rowsOf(userId: string) {
  return Promise.all([
    app.db.person.findMany({
      where: { userId },
      include: { reachOuts: true },
      orderBy: { id: "asc" },
    }),
    app.db.commitment.findMany({
      where: { userId },
      include: { checkIns: true },
      orderBy: { id: "asc" },
    }),
    app.db.practiceTick.findMany({ where: { userId }, orderBy: { id: "asc" } }),
  ]);
}

async function outcome(call: () => Promise<unknown>) {
  try {
    return { code: "OK", value: await call() };
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, value: undefined };
    throw error;
  }
}

describe("member space authorization matrix", () => {
  it("lists every member-space procedure of the router, and only those", () => {
    const mine = Object.keys(appRouter._def.procedures).filter((p) =>
      /^(community|commitments|practices|dashboard)\./.test(p),
    );
    expect([...mine].sort()).toEqual([...covered].sort());
    expect(Object.keys(MATRIX).sort()).toEqual([...covered].sort());
  });

  for (const [path, testCase] of Object.entries(MATRIX)) {
    for (const actor of ACTORS) {
      it(`${path} as ${actor} on their own rows`, async () => {
        const user = users[actor as Exclude<Actor, "anonymous">] ?? null;
        const own = user ? await resourcesOf(user.id) : await resourcesOf(users.owner!.id);
        const result = await outcome(() => testCase.call(app.caller(user), own));
        if (!user) {
          expect(result.code).toBe("UNAUTHORIZED");
          return;
        }
        expect(result.code).toBe("OK");
        // A list shows the caller's own rows (so the "someone else's" check below can fail).
        if (testCase.kind === "list") expect(JSON.stringify(result.value)).toContain(own.marker);
      });

      it(`${path} as ${actor} on someone else's rows`, async () => {
        const user = users[actor as Exclude<Actor, "anonymous">] ?? null;
        // The owner's rows, or for the owner, the other member's.
        const victim = actor === "owner" ? users.otherMember! : users.owner!;
        const theirs = await resourcesOf(victim.id);
        const before = await rowsOf(victim.id);
        const result = await outcome(() => testCase.call(app.caller(user), theirs));
        if (!user) expect(result.code).toBe("UNAUTHORIZED");
        else if (testCase.kind) {
          expect(result.code).toBe("OK");
          const text = JSON.stringify(result.value);
          for (const id of [
            theirs.marker,
            theirs.personId,
            theirs.commitmentId,
            theirs.exerciseId,
          ]) {
            expect(text).not.toContain(id);
          }
        } else expect(result.code).toBe("NOT_FOUND");
        // Creating rows for oneself aside, nothing of the victim's changed.
        expect(await rowsOf(victim.id)).toEqual(before);
      });
    }
  }
});
