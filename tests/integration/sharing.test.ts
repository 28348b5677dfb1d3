import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { createTestApp, type TestApp } from "../helpers/app";
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
    expect(before).toEqual([]);

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
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({
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
    expect(await app.caller(coach).coaching.sharedAnswers({ programId: fx.program.id })).toEqual(
      [],
    );
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
