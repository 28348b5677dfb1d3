import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import type { SearchResult } from "@/server/search/service";
import { appRouter } from "@/server/trpc/root";
import { seedProgram } from "../authz/player";
import { covered } from "../authz/search";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * search.query x every actor x (their own private rows, someone else's). Anyone signed in may
 * search; what comes back is theirs: an actor finds their own private answer and map person, and
 * never the owner's. A visitor is refused.
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

let app: TestApp;
let programId: string;
let exerciseId: string;
const users: Partial<Record<Actor, Session["user"]>> = {};
let seq = 0;

beforeAll(async () => {
  app = await createTestApp();
  users.owner = await app.createUser("MEMBER");
  users.otherMember = await app.createUser("MEMBER");
  users.coachOfProgram = await app.createUser("COACH");
  users.otherCoach = await app.createUser("COACH");
  users.admin = await app.createUser("ADMIN");
  const seeded = await seedProgram(app.db, users.coachOfProgram.id);
  programId = seeded.program.id;
  exerciseId = seeded.ex.REFLECTION;
});
afterAll(() => app?.close());

/** A private answer and a map person of this user, both carrying a fresh marker word. */
async function privateRowsOf(user: Session["user"]) {
  seq += 1;
  const marker = `zq${seq}${Math.random().toString(36).slice(2, 8)}`;
  // Written directly: the player would not take a second pass of one prompt the same day.
  await app.db.answerPass.create({
    data: {
      userId: user.id,
      exerciseId,
      programId,
      passNumber: seq,
      kind: "REFLECTION",
      content: { text: `Private ${marker}`, probes: [] },
      promptSnapshot: { prompt: "The reflection prompt", config: {}, revision: 1 },
    },
  });
  await app.caller(user).community.add({ name: `Friend ${marker}`, circle: "Friends" });
  return marker;
}

async function outcome(call: () => Promise<unknown>) {
  try {
    return { code: "OK", value: await call() };
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, value: undefined };
    throw error;
  }
}

describe("search authorization matrix", () => {
  it("lists every search procedure of the router, and only those", () => {
    const mine = Object.keys(appRouter._def.procedures).filter((p) => p.startsWith("search."));
    expect(mine.sort()).toEqual([...covered].sort());
  });

  for (const actor of ACTORS) {
    it(`search.query as ${actor} on their own rows`, async () => {
      const user = users[actor as Exclude<Actor, "anonymous">] ?? null;
      const marker = await privateRowsOf(user ?? users.owner!);
      const result = await outcome(() => app.caller(user).search.query({ q: marker }));
      if (!user) {
        expect(result.code).toBe("UNAUTHORIZED");
        return;
      }
      expect(result.code).toBe("OK");
      const { groups } = result.value as SearchResult;
      const hits = (key: string) => groups.find((g) => g.key === key)!.hits;
      expect(hits("journal").map((h) => h.snippet)).toEqual([
        { before: "Private ", match: marker, after: "" },
      ]);
      expect(hits("people").map((h) => h.title)).toEqual([`Friend ${marker}`]);
    });

    it(`search.query as ${actor} on someone else's rows`, async () => {
      const user = users[actor as Exclude<Actor, "anonymous">] ?? null;
      const victim = actor === "owner" ? users.otherMember! : users.owner!;
      const marker = await privateRowsOf(victim);
      const result = await outcome(() => app.caller(user).search.query({ q: marker }));
      if (!user) {
        expect(result.code).toBe("UNAUTHORIZED");
        return;
      }
      expect(result.code).toBe("OK");
      // Nothing shown (the query itself is echoed back, so only the groups are read).
      const { groups, total } = result.value as SearchResult;
      expect(total).toBe(0);
      expect(JSON.stringify(groups)).not.toContain(marker);
      // The victim's own search finds both: the marker is there to be found.
      const own = await app.caller(victim).search.query({ q: marker });
      expect(own.total).toBe(2);
    });
  }
});
