import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/server/auth/session";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";

/**
 * Issue 13, item 3: the member's browser resends a submit after an outage with the id it made
 * for it. Whether or not the first try was recorded, there is one pass, and the answer to every
 * try is that pass.
 */
let app: TestApp;
let coach: SessionUser;

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
});
afterAll(() => app?.close());

async function enrolled() {
  const fixture = await seedProgram(app.db, coach.id);
  const member = await app.createUser("MEMBER");
  await app.caller(member).player.enrol({ programId: fixture.program.id });
  return { ...fixture, member, api: app.caller(member) };
}

/** The tRPC code a call ends with ("OK" when it succeeds). */
const codeOf = async (promise: Promise<unknown>) => (await errorOf(() => promise)).code;

describe("a submit sent again with the same submission id", () => {
  it("records one pass and answers both tries with it", async () => {
    const f = await enrolled();
    const submissionId = randomUUID();
    const input = { exerciseId: f.ex.REFLECTION, content: ANSWERS.REFLECTION, submissionId };
    const first = await f.api.player.submit(input);
    const again = await f.api.player.submit(input);
    expect(again).toEqual(first);
    const passes = await app.db.answerPass.findMany({
      where: { userId: f.member.id, exerciseId: f.ex.REFLECTION },
    });
    expect(passes).toHaveLength(1);
    expect(passes[0]).toMatchObject({ id: first.passId, submissionId, passNumber: 1 });
    expect(passes[0]?.content).toMatchObject({ text: ANSWERS.REFLECTION.text });
  });

  it("applies the pass's side effects once (a practice's ticks, a commitment)", async () => {
    const f = await enrolled();
    for (const kind of ["PRACTICE", "COMMITMENT"] as const) {
      const input = { exerciseId: f.ex[kind], content: ANSWERS[kind], submissionId: randomUUID() };
      const first = await f.api.player.submit(input);
      expect(await f.api.player.submit(input)).toEqual(first);
    }
    expect(await app.db.answerPass.count({ where: { userId: f.member.id } })).toBe(2);
    expect(await app.db.practiceTick.count({ where: { userId: f.member.id } })).toBe(
      ANSWERS.PRACTICE.ticked.length,
    );
    expect(await app.db.commitment.count({ where: { userId: f.member.id } })).toBe(1);
  });

  it("records one pass when both tries arrive at once", async () => {
    const f = await enrolled();
    const input = {
      exerciseId: f.ex.REFLECTION,
      content: ANSWERS.REFLECTION,
      submissionId: randomUUID(),
    };
    const [a, b] = await Promise.all([f.api.player.submit(input), f.api.player.submit(input)]);
    expect(b).toEqual(a);
    expect(await app.db.answerPass.count({ where: { userId: f.member.id } })).toBe(1);
  });

  it("still refuses a second pass sent with a new id, as before", async () => {
    const f = await enrolled();
    const input = { exerciseId: f.ex.REFLECTION, content: ANSWERS.REFLECTION };
    await f.api.player.submit({ ...input, submissionId: randomUUID() });
    expect(await codeOf(f.api.player.submit({ ...input, submissionId: randomUUID() }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await app.db.answerPass.count({ where: { userId: f.member.id } })).toBe(1);
  });

  it("refuses the id of one answer for another exercise, recording nothing", async () => {
    const f = await enrolled();
    const submissionId = randomUUID();
    await f.api.player.submit({
      exerciseId: f.ex.REFLECTION,
      content: ANSWERS.REFLECTION,
      submissionId,
    });
    expect(
      await codeOf(
        f.api.player.submit({ exerciseId: f.ex.SCALE, content: ANSWERS.SCALE, submissionId }),
      ),
    ).toBe("CONFLICT");
    expect(await app.db.answerPass.count({ where: { userId: f.member.id } })).toBe(1);
  });

  it("gives another member nothing of the pass whose id they send: they record their own", async () => {
    const f = await enrolled();
    const submissionId = randomUUID();
    const mine = await f.api.player.submit({
      exerciseId: f.ex.REFLECTION,
      content: ANSWERS.REFLECTION,
      submissionId,
    });
    const other = await app.createUser("MEMBER");
    const theirApi = app.caller(other);
    await theirApi.player.enrol({ programId: f.program.id });
    const theirs = await theirApi.player.submit({
      exerciseId: f.ex.REFLECTION,
      content: { text: "Their own words.", probes: [] },
      submissionId,
    });
    expect(theirs.passId).not.toBe(mine.passId);
    const stored = await app.db.answerPass.findUniqueOrThrow({ where: { id: theirs.passId } });
    expect(stored).toMatchObject({ userId: other.id, submissionId });
    expect(stored.content).toMatchObject({ text: "Their own words." });
    // And a member with no access to the program is refused before any lookup by the id.
    const stranger = app.caller(await app.createUser("MEMBER"));
    expect(
      await codeOf(
        stranger.player.submit({
          exerciseId: f.ex.REFLECTION,
          content: ANSWERS.REFLECTION,
          submissionId,
        }),
      ),
    ).not.toBe("OK");
    expect(await app.db.answerPass.count({ where: { exerciseId: f.ex.REFLECTION } })).toBe(2);
  });

  it("refuses a submission id that is not a uuid", async () => {
    const f = await enrolled();
    expect(
      await codeOf(
        f.api.player.submit({
          exerciseId: f.ex.REFLECTION,
          content: ANSWERS.REFLECTION,
          submissionId: "not-a-uuid",
        }),
      ),
    ).toBe("BAD_REQUEST");
  });
});

describe("a practice tick or a check-in sent again with the same request id", () => {
  it("records one tick and answers both tries with it, also when both arrive at once", async () => {
    const f = await enrolled();
    const input = { exerciseId: f.ex.PRACTICE, practiceKey: "be-open", requestId: randomUUID() };
    const first = await f.api.practices.tick(input);
    expect(await f.api.practices.tick(input)).toEqual(first);
    expect(
      await app.db.practiceTick.count({
        where: { userId: f.member.id, exerciseId: f.ex.PRACTICE },
      }),
    ).toBe(1);
    // Twice at once (both tries in flight): still one.
    const racing = { ...input, requestId: randomUUID() };
    const [a, b] = await Promise.all([f.api.practices.tick(racing), f.api.practices.tick(racing)]);
    expect(a).toEqual(b);
    expect(
      await app.db.practiceTick.count({
        where: { userId: f.member.id, exerciseId: f.ex.PRACTICE },
      }),
    ).toBe(2);
    // Without an id every press is a tick of its own, as before.
    await f.api.practices.tick({ exerciseId: f.ex.PRACTICE, practiceKey: "be-open" });
    await f.api.practices.tick({ exerciseId: f.ex.PRACTICE, practiceKey: "be-open" });
    expect(
      await app.db.practiceTick.count({
        where: { userId: f.member.id, exerciseId: f.ex.PRACTICE },
      }),
    ).toBe(4);
    // The id of one practice's press on another practice is a mistake, not a replay.
    expect(await codeOf(f.api.practices.tick({ ...input, practiceKey: "first-move" }))).toBe(
      "CONFLICT",
    );
  });

  it("records one check-in, even one that closed the commitment, and answers both tries with it", async () => {
    const f = await enrolled();
    const commitment = await app.db.commitment.create({
      data: { userId: f.member.id, text: "Call Ana", dueOn: new Date(Date.now() + 3 * 86_400_000) },
    });
    const input = {
      id: commitment.id,
      outcome: "DONE" as const,
      note: "We talked for an hour.",
      requestId: randomUUID(),
    };
    const first = await f.api.commitments.checkIn(input);
    // The retry finds the commitment done by its own first try: the same answer, not a refusal.
    const again = await f.api.commitments.checkIn(input);
    expect(again.checkIn).toEqual(first.checkIn);
    expect(again.commitment.status).toBe("DONE");
    expect(await app.db.commitmentCheckIn.count({ where: { commitmentId: commitment.id } })).toBe(
      1,
    );
    // A new press on a done commitment is still refused.
    expect(await codeOf(f.api.commitments.checkIn({ ...input, requestId: randomUUID() }))).toBe(
      "PRECONDITION_FAILED",
    );
  });

  it("finds nothing of another member's by their request id", async () => {
    const f = await enrolled();
    const other = await enrolled();
    const requestId = randomUUID();
    await f.api.practices.tick({ exerciseId: f.ex.PRACTICE, practiceKey: "be-open", requestId });
    // The other member's press with the same id is their own tick, not the first member's.
    const theirs = await other.api.practices.tick({
      exerciseId: other.ex.PRACTICE,
      practiceKey: "be-open",
      requestId,
    });
    expect(theirs.exerciseId).toBe(other.ex.PRACTICE);
    expect(await app.db.practiceTick.count({ where: { requestId } })).toBe(2);
  });
});

describe("a person or a reach-out sent again with the same request id", () => {
  it("adds one person and answers both tries with them, also when both arrive at once", async () => {
    const f = await enrolled();
    const input = { name: "Ana", circle: "Friends", requestId: randomUUID() };
    const first = await f.api.community.add(input);
    expect(await f.api.community.add(input)).toEqual(first);
    const racing = { name: "Ben", circle: "Work", requestId: randomUUID() };
    const [a, b] = await Promise.all([f.api.community.add(racing), f.api.community.add(racing)]);
    expect(a).toEqual(b);
    expect(
      (await app.db.person.findMany({ where: { userId: f.member.id } })).map((p) => p.name).sort(),
    ).toEqual(["Ana", "Ben"]);
    // Without an id every press adds someone, as before (two people may share a name).
    await f.api.community.add({ name: "Ana", circle: "Friends" });
    expect(
      (await app.db.person.findMany({ where: { userId: f.member.id } })).filter(
        (p) => p.name === "Ana",
      ),
    ).toHaveLength(2);
  });

  it("logs one reach-out and answers both tries with it, also when both arrive at once", async () => {
    const f = await enrolled();
    const person = await f.api.community.add({ name: "Ana", circle: "Friends" });
    const input = { personId: person.id, note: "Coffee on Sunday.", requestId: randomUUID() };
    const first = await f.api.community.logReachOut(input);
    const again = await f.api.community.logReachOut(input);
    expect(again.reachOut).toEqual(first.reachOut);
    const racing = { personId: person.id, note: "A call.", requestId: randomUUID() };
    const [a, b] = await Promise.all([
      f.api.community.logReachOut(racing),
      f.api.community.logReachOut(racing),
    ]);
    expect(a.reachOut).toEqual(b.reachOut);
    expect(
      (
        await app.db.reachOut.findMany({ where: { personId: person.id }, orderBy: { at: "asc" } })
      ).map((r) => r.note),
    ).toEqual(["Coffee on Sunday.", "A call."]);
  });

  it("finds nothing of another member's by their request id", async () => {
    const f = await enrolled();
    const other = await enrolled();
    const requestId = randomUUID();
    const mine = await f.api.community.add({ name: "Ana", circle: "Friends", requestId });
    const theirs = await other.api.community.add({ name: "Cleo", circle: "Family", requestId });
    expect(theirs.id).not.toBe(mine.id);
    expect(theirs.name).toBe("Cleo");
    // A reach-out id reused on another member's person is refused as not theirs, not replayed.
    const reach = { personId: mine.id, note: "Hi", requestId: randomUUID() };
    await f.api.community.logReachOut(reach);
    expect(await codeOf(other.api.community.logReachOut(reach))).toBe("NOT_FOUND");
    expect(await app.db.reachOut.count({ where: { requestId: reach.requestId } })).toBe(1);
  });

  it("refuses a malformed request id with BAD_REQUEST on its field", async () => {
    const f = await enrolled();
    const result = await errorOf(() =>
      f.api.community.add({ name: "Ana", circle: "Friends", requestId: "not-a-uuid" }),
    );
    expect(result.code).toBe("BAD_REQUEST");
    expect(result.fields.requestId).toEqual(["The request id is not valid; reload the page."]);
    expect(await app.db.person.count({ where: { userId: f.member.id } })).toBe(0);
  });
});
