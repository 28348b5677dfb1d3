import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/generated/prisma/client";
import { rebuildAggregates } from "@/server/activity/service";
import type { Session } from "@/server/auth/session";
import {
  PROGRESS_PAGE,
  programProgress,
  SHARED_PAGE,
  sharedAnswers,
} from "@/server/sharing/service";
import { createTestApp, type TestApp } from "../helpers/app";
import { countingDb } from "../helpers/statements";
import { addPass, daysAgo, type Fixture, makeProgram } from "./journal-fixtures";

let app: TestApp;
let coach: Session["user"];
let otherCoach: Session["user"];
let admin: Session["user"];
let maya: Session["user"];
let sam: Session["user"];
let fx: Fixture;
let privatePassId: string;
let sharedPassId: string;
let samPassId: string;

const PRIVATE = "PRIVATE-I-feel-alone-at-work";
const TO_SHARE = "SHARE-ME-asking-got-easier";

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
  otherCoach = await app.createUser("COACH");
  admin = await app.createUser("ADMIN");
  maya = await app.createUser("MEMBER", { name: "Maya Lind" });
  sam = await app.createUser("MEMBER", { name: "Sam" });
  fx = await makeProgram(app, coach.id);
  await makeProgram(app, otherCoach.id);

  for (const user of [maya, sam]) {
    await app.db.enrolment.create({
      data: { userId: user.id, programId: fx.program.id, createdAt: daysAgo(10) },
    });
  }
  // Maya: both steps of module 1 done, none of module 2.
  for (const step of fx.steps.slice(0, 2)) {
    await app.db.stepCompletion.create({
      data: { userId: maya.id, stepId: step.id, completedAt: daysAgo(3) },
    });
  }
  privatePassId = (
    await addPass(
      app,
      fx,
      maya.id,
      fx.reflection,
      1,
      { text: PRIVATE, probes: [PRIVATE] },
      { at: daysAgo(3) },
    )
  ).id;
  sharedPassId = (
    await addPass(
      app,
      fx,
      maya.id,
      fx.scale,
      1,
      { value: 7, followUp: TO_SHARE, why: "" },
      {
        at: daysAgo(2),
      },
    )
  ).id;
  samPassId = (
    await addPass(app, fx, sam.id, fx.reflection, 1, { text: "Sam's own words", probes: [] })
  ).id;
});
afterAll(() => app?.close());

describe("coach progress", () => {
  it("shows counts per module, passes and last active — never answer text", async () => {
    const progress = await app.caller(coach).coaching.progress({ programId: fx.program.id });
    expect(progress.modules.map((m) => m.steps)).toEqual([2, 1]);
    const row = progress.members.find((m) => m.userId === maya.id)!;
    expect(row).toMatchObject({ name: "Maya Lind", passes: 2 });
    expect(row.modules.map((m) => [m.done, m.total])).toEqual([
      [2, 2],
      [0, 1],
    ]);
    expect(row.lastActiveAt.getTime()).toBeGreaterThan(daysAgo(2.5).getTime());
    const samRow = progress.members.find((m) => m.userId === sam.id)!;
    expect(samRow.modules.map((m) => m.done)).toEqual([0, 0]);
    expect(samRow.passes).toBe(1);

    const json = JSON.stringify(progress);
    expect(json).not.toContain(PRIVATE);
    expect(json).not.toContain(TO_SHARE);
    expect(json).not.toContain("Sam's own words");
  });

  it("admins see progress but neither private text nor shared snapshots; other coaches and members see nothing", async () => {
    const progress = await app.caller(admin).coaching.progress({ programId: fx.program.id });
    expect(progress.members).toHaveLength(2);
    expect(progress).toMatchObject({ total: 2, completed: 0, hasMore: false });
    expect(JSON.stringify(progress)).not.toContain(PRIVATE);
    // The member shared with the coach, not with the business.
    expect(
      await codeOf(app.caller(admin).coaching.sharedAnswers({ programId: fx.program.id })),
    ).toBe("NOT_FOUND");

    expect(
      await codeOf(app.caller(otherCoach).coaching.progress({ programId: fx.program.id })),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(app.caller(otherCoach).coaching.sharedAnswers({ programId: fx.program.id })),
    ).toBe("NOT_FOUND");
    expect(await codeOf(app.caller(coach).coaching.progress({ programId: "missing" }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(app.caller(maya).coaching.progress({ programId: fx.program.id }))).toBe(
      "FORBIDDEN",
    );
  });
});

describe("sharing one pass", () => {
  it("the coach sees the snapshot a member shared, and it disappears when un-shared", async () => {
    const before = await app.caller(coach).coaching.sharedAnswers({ programId: fx.program.id });
    expect(before).toMatchObject({ items: [], total: 0, hasMore: false });

    const share = await app
      .caller(maya)
      .coaching.share({ passId: sharedPassId, audience: "COACH" });
    // Idempotent while active.
    const again = await app
      .caller(maya)
      .coaching.share({ passId: sharedPassId, audience: "COACH" });
    expect(again.id).toBe(share.id);
    expect(await app.db.share.count({ where: { passId: sharedPassId } })).toBe(1);

    const shared = await app.caller(coach).coaching.sharedAnswers({ programId: fx.program.id });
    expect(shared).toMatchObject({ page: 0, total: 1, hasMore: false });
    expect(shared.items).toHaveLength(1);
    expect(shared.items[0]).toMatchObject({
      memberName: "Maya Lind",
      snapshot: {
        kind: "SCALE",
        prompt: { prompt: fx.scale.prompt },
        content: { value: 7, followUp: TO_SHARE },
      },
    });
    const json = JSON.stringify(shared);
    expect(json).not.toContain(PRIVATE);
    expect(json).not.toContain(maya.email);

    // The snapshot is frozen: editing the pass afterwards does not change what the coach sees.
    await app.db.answerPass.update({
      where: { id: sharedPassId },
      data: { content: { value: 7, followUp: "changed later", why: "" } },
    });
    const frozen = await app.caller(coach).coaching.sharedAnswers({ programId: fx.program.id });
    expect(JSON.stringify(frozen)).toContain(TO_SHARE);

    expect((await app.caller(maya).coaching.myShares()).map((s) => s.id)).toEqual([share.id]);
    const timeline = await app.caller(maya).journal.timeline({ exerciseId: fx.scale.id });
    expect(timeline.passes[0]!.share?.id).toBe(share.id);

    const revoked = await app.caller(maya).coaching.unshare({ shareId: share.id });
    expect(revoked.revokedAt).not.toBeNull();
    expect(
      await app.caller(coach).coaching.sharedAnswers({ programId: fx.program.id }),
    ).toMatchObject({ items: [], total: 0 });
    expect(await app.caller(maya).coaching.myShares()).toEqual([]);
    // The withdrawn words are gone from the database too, not just hidden.
    const row = await app.db.share.findUniqueOrThrow({ where: { id: share.id } });
    expect(JSON.stringify(row.snapshot)).not.toContain(TO_SHARE);
    // Unsharing twice is harmless; sharing again makes a fresh snapshot.
    await app.caller(maya).coaching.unshare({ shareId: share.id });
    const fresh = await app
      .caller(maya)
      .coaching.share({ passId: sharedPassId, audience: "COACH" });
    expect(fresh.id).not.toBe(share.id);
    await app.caller(maya).coaching.unshare({ shareId: fresh.id });
  });

  it("a member cannot share or unshare someone else's answer", async () => {
    expect(
      await codeOf(app.caller(sam).coaching.share({ passId: privatePassId, audience: "COACH" })),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(app.caller(coach).coaching.share({ passId: privatePassId, audience: "COACH" })),
    ).toBe("NOT_FOUND");
    expect(await app.db.share.count({ where: { passId: privatePassId } })).toBe(0);

    const samShare = await app.caller(sam).coaching.share({ passId: samPassId, audience: "COACH" });
    expect(await codeOf(app.caller(maya).coaching.unshare({ shareId: samShare.id }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(app.caller(admin).coaching.unshare({ shareId: samShare.id }))).toBe(
      "NOT_FOUND",
    );
    const row = await app.db.share.findUniqueOrThrow({ where: { id: samShare.id } });
    expect(row.revokedAt).toBeNull();
    expect(await app.caller(maya).coaching.myShares()).toEqual([]);
  });

  it("accepts only the coach audience for now", async () => {
    expect(
      await codeOf(
        app
          .caller(maya)
          .coaching.share({ passId: privatePassId, audience: "COHORT" as unknown as "COACH" }),
      ),
    ).toBe("BAD_REQUEST");
    expect(await app.db.share.count({ where: { passId: privatePassId } })).toBe(0);
  });
});

describe("coach pages of a large program", () => {
  const MEMBERS = 120;
  const SHARES = 12;
  let bigCoach: Session["user"];
  let big: Fixture;
  /** Members in enrolment order (createdAt, then id), as the pages must show them. */
  let roster: { userId: string; createdAt: Date; completed: boolean; done: number }[];
  /** Active shares newest first (createdAt desc, then id desc). */
  let shareOrder: string[];
  /** Members with two passes (one private, one shared). */
  let passers: Set<string>;
  const sharedText = (i: number) => `SHARED-${i}-words`;
  const privateText = (i: number) => `PRIVATE-${i}-words`;

  beforeAll(async () => {
    bigCoach = await app.createUser("COACH");
    big = await makeProgram(app, bigCoach.id, { title: "Large program" });
    const users = await app.db.user.createManyAndReturn({
      data: Array.from({ length: MEMBERS }, (_, i) => ({
        email: `roster-${i}-${Date.now()}@test.local`,
        name: `Roster ${String(i).padStart(3, "0")}`,
      })),
      select: { id: true },
    });
    const base = daysAgo(30).getTime();
    // Members enrol in pairs at the same instant, so the id must break ties; created out of
    // order, so insertion order is not the answer either.
    const enrolments = await app.db.enrolment.createManyAndReturn({
      data: users
        .map((u, i) => ({
          userId: u.id,
          programId: big.program.id,
          createdAt: new Date(base + Math.floor(i / 2) * 60_000),
          completedAt: i % 4 === 0 ? daysAgo(1) : null,
        }))
        .reverse(),
      select: { id: true, userId: true, createdAt: true, completedAt: true },
    });
    // Member i has done i % 3 steps of module 1.
    const doneBy = new Map(users.map((u, i) => [u.id, i % 3]));
    await app.db.stepCompletion.createMany({
      data: users.flatMap((u, i) =>
        big.steps.slice(0, i % 3).map((step) => ({ userId: u.id, stepId: step.id })),
      ),
    });
    roster = enrolments
      .sort((a, b) =>
        a.createdAt.getTime() !== b.createdAt.getTime()
          ? a.createdAt.getTime() - b.createdAt.getTime()
          : a.id < b.id
            ? -1
            : 1,
      )
      .map((e) => ({
        userId: e.userId,
        createdAt: e.createdAt,
        completed: e.completedAt !== null,
        done: doneBy.get(e.userId)!,
      }));

    // The first 12 members (+1 revoked) each answered once privately and shared one other pass.
    const passes = await app.db.answerPass.createManyAndReturn({
      data: users.slice(0, SHARES + 1).flatMap((u, i) =>
        [big.reflection, big.scale].map((exercise) => ({
          userId: u.id,
          exerciseId: exercise.id,
          programId: big.program.id,
          passNumber: 1,
          kind: exercise.kind,
          content:
            exercise.kind === "SCALE"
              ? { value: 5, followUp: sharedText(i), why: "" }
              : { text: privateText(i), probes: [] },
          scaleValue: exercise.kind === "SCALE" ? 5 : null,
          promptSnapshot: {
            prompt: exercise.prompt,
            config: {},
            revision: 1,
            stepTitle: "Step",
            programTitle: big.program.title,
          },
        })),
      ),
      select: { id: true, userId: true, kind: true, content: true, createdAt: true },
    });
    passers = new Set(passes.map((p) => p.userId));
    // Written around the services, so the aggregates they keep are rebuilt as a migration would.
    await rebuildAggregates(app.db);
    const now = Date.now();
    const shares = await app.db.share.createManyAndReturn({
      data: passes
        .filter((p) => p.kind === "SCALE")
        .map((p, i) => ({
          passId: p.id,
          userId: p.userId,
          programId: big.program.id,
          audience: "COACH" as const,
          snapshot: {
            kind: "SCALE",
            passNumber: 1,
            answeredAt: p.createdAt.toISOString(),
            prompt: { prompt: "How easy?", stepTitle: "Step", programTitle: "Large", config: {} },
            content: p.content as Prisma.InputJsonObject,
          },
          // Shared in threes at the same instant: the id breaks ties here too.
          createdAt: new Date(now - Math.floor(i / 3) * 60_000),
          // The last one was withdrawn: neither listed nor counted.
          revokedAt: i === SHARES ? new Date() : null,
        })),
      select: { id: true, createdAt: true, revokedAt: true },
    });
    shareOrder = shares
      .filter((s) => s.revokedAt === null)
      .sort((a, b) =>
        a.createdAt.getTime() !== b.createdAt.getTime()
          ? b.createdAt.getTime() - a.createdAt.getTime()
          : a.id < b.id
            ? 1
            : -1,
      )
      .map((s) => s.id);
  }, 60_000);

  it("progress comes 25 members a page in enrolment order, with the program's totals, in the same statements", async () => {
    const counting = countingDb(app.database.url);
    try {
      const measure = async (programId: string, page: number, as = bigCoach) => {
        counting.reset();
        const result = await programProgress(counting.db, as, { programId, page });
        return { result, statements: counting.statements().length };
      };
      const pages = [await measure(big.program.id, 0)];
      while (pages.at(-1)!.result.hasMore) {
        pages.push(await measure(big.program.id, pages.length));
      }
      expect(pages.map((p) => p.result.members.length)).toEqual([25, 25, 25, 25, 20]);
      for (const { result } of pages) {
        expect(result).toMatchObject({
          pageSize: PROGRESS_PAGE,
          total: MEMBERS,
          completed: MEMBERS / 4,
        });
      }
      expect(pages.map((p) => p.result.hasMore)).toEqual([true, true, true, true, false]);

      // Every member exactly once, in enrolment order, with their own counts.
      const shown = pages.flatMap((p) => p.result.members);
      expect(shown.map((m) => m.userId)).toEqual(roster.map((r) => r.userId));
      expect(new Set(shown.map((m) => m.userId)).size).toBe(MEMBERS);
      expect(shown.map((m) => m.modules[0]!.done)).toEqual(roster.map((r) => r.done));
      expect(shown.map((m) => m.completedAt !== null)).toEqual(roster.map((r) => r.completed));
      expect(shown.map((m) => m.passes)).toEqual(
        roster.map((r) => (passers.has(r.userId) ? 2 : 0)),
      );

      // The cost of a page depends neither on the page nor on the size of the program: page 0
      // and page 4 of 120 members, and the 2 members of the small program, in as many
      // statements.
      const small = await measure(fx.program.id, 0, coach);
      expect(small.result.members).toHaveLength(2);
      expect(pages[0]!.statements).toBe(pages[4]!.statements);
      expect(pages[1]!.statements).toBe(pages[0]!.statements);
      expect(small.statements).toBe(pages[0]!.statements);

      // Counts only: not a word of any answer, shared or not.
      const json = JSON.stringify(pages.map((p) => p.result));
      expect(json).not.toMatch(/SHARED-|PRIVATE-/);

      // Past the end: an empty page with the totals, no further page.
      const past = await measure(big.program.id, 5);
      expect(past.result).toMatchObject({ members: [], total: MEMBERS, hasMore: false });
    } finally {
      await counting.close();
    }
  });

  it("shared answers come 5 a page, newest first, in the same statements", async () => {
    const counting = countingDb(app.database.url);
    try {
      const measure = async (page: number) => {
        counting.reset();
        const result = await sharedAnswers(counting.db, bigCoach, {
          programId: big.program.id,
          page,
        });
        return { result, statements: counting.statements().length };
      };
      const pages = [await measure(0)];
      while (pages.at(-1)!.result.hasMore) pages.push(await measure(pages.length));
      expect(pages.map((p) => p.result.items.length)).toEqual([5, 5, 2]);
      for (const { result } of pages) {
        expect(result).toMatchObject({ pageSize: SHARED_PAGE, total: SHARES });
      }
      const shown = pages.flatMap((p) => p.result.items.map((i) => i.id));
      expect(shown).toEqual(shareOrder);
      expect(new Set(shown).size).toBe(SHARES);
      expect(pages[0]!.statements).toBe(pages[2]!.statements);
      expect(pages[1]!.statements).toBe(pages[0]!.statements);

      // Only what was shared: never the private passes.
      const json = JSON.stringify(pages.map((p) => p.result));
      expect(json).toContain(sharedText(0));
      expect(json).not.toContain("PRIVATE-");
      expect(json).not.toContain(sharedText(SHARES));
    } finally {
      await counting.close();
    }
  });

  it("reads a page of shared answers in index order, without sorting the program's shares", async () => {
    // Enough shares that PostgreSQL would rather sort them all than walk an index that does not
    // hold the order (the coach's page then cost 4-8 ms in PostgreSQL at 1,500 shares).
    const crowded = await makeProgram(app, bigCoach.id, { title: "Crowded program" });
    await app.db.$executeRaw`
      INSERT INTO "Share" (id, "passId", "userId", "programId", audience, snapshot, "createdAt", "revokedAt")
      SELECT 'plan-' || g, ${sharedPassId}, ${maya.id}, ${crowded.program.id}, 'COACH', '{}'::jsonb,
             now() - g * interval '1 minute', CASE WHEN g % 3 = 0 THEN now() END
      FROM generate_series(1, 1500) AS g`;
    await app.db.$executeRaw`ANALYZE "Share"`;
    // The service's filter and order (sharedAnswers), one page.
    const plan = await app.db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
      `EXPLAIN SELECT s.id, u.name FROM "Share" s LEFT JOIN "User" u ON u.id = s."userId"
       WHERE s."programId" = $1 AND s.audience = 'COACH' AND s."revokedAt" IS NULL
       ORDER BY s."createdAt" DESC, s.id DESC LIMIT ${SHARED_PAGE + 1}`,
      crowded.program.id,
    );
    const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
    expect(text).toContain('Index Scan Backward using "Share_programId_audience_createdAt_id_idx"');
    expect(text).not.toMatch(/\bSort\b/);
    const first = await app.caller(bigCoach).coaching.sharedAnswers({
      programId: crowded.program.id,
    });
    expect(first.total).toBe(1000);
    expect(first.items.map((i) => i.id)).toEqual([
      "plan-1",
      "plan-2",
      "plan-4",
      "plan-5",
      "plan-7",
    ]);
  });

  it("the procedures take a page and refuse anything else", async () => {
    const caller = app.caller(bigCoach);
    const programId = big.program.id;
    const second = await caller.coaching.progress({ programId, page: 1 });
    expect(second.members.map((m) => m.userId)).toEqual(
      roster.slice(PROGRESS_PAGE, 2 * PROGRESS_PAGE).map((r) => r.userId),
    );
    expect((await caller.coaching.progress({ programId })).page).toBe(0);
    const lastShared = await caller.coaching.sharedAnswers({ programId, page: 2 });
    expect(lastShared.items.map((i) => i.id)).toEqual(shareOrder.slice(2 * SHARED_PAGE));
    for (const page of [-1, 1.5, 10_001, "1"]) {
      expect(await codeOf(caller.coaching.progress({ programId, page: page as number }))).toBe(
        "BAD_REQUEST",
      );
      expect(await codeOf(caller.coaching.sharedAnswers({ programId, page: page as number }))).toBe(
        "BAD_REQUEST",
      );
    }
    const extra = { programId, page: 0, pageSize: 500 } as { programId: string; page: number };
    expect(await codeOf(caller.coaching.progress(extra))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.coaching.sharedAnswers(extra))).toBe("BAD_REQUEST");
    // The admin sees the counts of any program, still not the shared snapshots.
    expect(
      (await app.caller(admin).coaching.progress({ programId, page: 4 })).members,
    ).toHaveLength(20);
    expect(await codeOf(app.caller(admin).coaching.sharedAnswers({ programId, page: 1 }))).toBe(
      "NOT_FOUND",
    );
  });
});
