import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zonedInstant } from "@/lib/time-zone";
import type { SessionUser } from "@/server/auth/session";
import { DomainError } from "@/server/errors";
import { programOverview } from "@/server/player/catalog";
import { saveDraft } from "@/server/player/drafts";
import { enrol } from "@/server/player/enrol";
import { getStep, PASSES_SHOWN } from "@/server/player/step";
import { submitAnswer } from "@/server/player/submit";
import { ANSWERS, DUE_ON, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";
import { countingDb } from "../helpers/statements";

let app: TestApp;
let coach: SessionUser;

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
});
afterAll(() => app?.close());

const DAY = 24 * 60 * 60 * 1000;

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) {
      const cause = error.cause instanceof DomainError ? error.cause : undefined;
      return { code: error.code, message: error.message, fields: cause?.fieldErrors };
    }
    if (error instanceof DomainError) {
      return { code: error.code, message: error.message, fields: error.fieldErrors };
    }
    throw error;
  }
  return { code: "OK", message: "", fields: undefined };
}

async function enrolled(options: Parameters<typeof seedProgram>[2] = {}) {
  const fixture = await seedProgram(app.db, coach.id, options);
  const member = await app.createUser("MEMBER");
  await app.caller(member).player.enrol({ programId: fixture.program.id });
  return { ...fixture, member, api: app.caller(member) };
}

describe("enrolling", () => {
  it("enrols in a free program, idempotently, starting at the first step", async () => {
    const f = await seedProgram(app.db, coach.id);
    const member = await app.createUser("MEMBER");
    const first = await app.caller(member).player.enrol({ programId: f.program.id });
    const again = await app.caller(member).player.enrol({ programId: f.program.id });
    expect(again.id).toBe(first.id);
    expect(first.currentStepId).toBe(f.steps.a);
    expect(await app.db.enrolment.count({ where: { userId: member.id } })).toBe(1);
  });

  it("refuses a plans program without a comp, with the entitlement reason", async () => {
    const f = await seedProgram(app.db, coach.id, { accessRule: "PLANS" });
    const member = await app.createUser("MEMBER");
    const result = await failure(app.caller(member).player.enrol({ programId: f.program.id }));
    expect(result.code).toBe("FORBIDDEN");
    expect(result.message).toMatch(/membership plan/);
    expect(await app.db.enrolment.count({ where: { userId: member.id } })).toBe(0);
    const [card] = (await app.caller(member).player.catalog()).filter((p) => p.id === f.program.id);
    expect(card?.access).toMatchObject({ canOpen: false, reason: expect.stringMatching(/plan/) });
  });

  it("allows a plans program with a comp, and refuses again once the comp expired", async () => {
    const f = await seedProgram(app.db, coach.id, { accessRule: "PLANS" });
    const withComp = await app.createUser("MEMBER");
    await app.db.comp.create({ data: { userId: withComp.id, programId: f.program.id } });
    expect(
      (await failure(app.caller(withComp).player.enrol({ programId: f.program.id }))).code,
    ).toBe("OK");
    const [card] = (await app.caller(withComp).player.catalog()).filter(
      (p) => p.id === f.program.id,
    );
    expect(card).toMatchObject({ enrolled: true, access: { canOpen: true } });

    const expired = await app.createUser("MEMBER");
    await app.db.comp.create({
      data: { userId: expired.id, programId: null, expiresAt: new Date(Date.now() - DAY) },
    });
    expect(
      (await failure(app.caller(expired).player.enrol({ programId: f.program.id }))).code,
    ).toBe("FORBIDDEN");
  });

  it("hides draft programs from members (NOT_FOUND) and lists only published ones", async () => {
    const f = await seedProgram(app.db, coach.id, { status: "DRAFT" });
    const member = await app.createUser("MEMBER");
    expect((await failure(app.caller(member).player.enrol({ programId: f.program.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await failure(app.caller(member).player.program({ slug: f.program.slug }))).code).toBe(
      "NOT_FOUND",
    );
    const catalog = await app.caller(member).player.catalog();
    expect(catalog.map((p) => p.id)).not.toContain(f.program.id);
  });
});

describe("the step", () => {
  it("requires an enrolment, then returns the rendered body and only the caller's own data", async () => {
    const f = await enrolled();
    const other = await app.createUser("MEMBER");
    expect((await failure(app.caller(other).player.step({ stepId: f.steps.a }))).code).toBe(
      "PRECONDITION_FAILED",
    );
    await app.caller(other).player.enrol({ programId: f.program.id });
    await f.api.player.saveDraft({
      exerciseId: f.ex.REFLECTION,
      content: { text: "mine" },
      baseVersion: 0,
    });
    await f.api.player.submit({ exerciseId: f.ex.SCALE, content: ANSWERS.SCALE });
    await app.caller(other).player.saveDraft({
      exerciseId: f.ex.REFLECTION,
      content: { text: "theirs" },
      baseVersion: 0,
    });

    const mine = await f.api.player.step({ stepId: f.steps.a });
    expect(mine.step.bodyHtml).toBe("<p>Hello <strong>you</strong></p>");
    expect(mine.exercises.map((e) => e.kind)).toEqual([
      "REFLECTION",
      "LENSES",
      "SCALE",
      "PEOPLE",
      "COMMITMENT",
      "PRACTICE",
    ]);
    const byKind = Object.fromEntries(mine.exercises.map((e) => [e.kind, e]));
    expect(byKind.REFLECTION?.draft).toMatchObject({ content: { text: "mine" }, version: 1 });
    expect(byKind.SCALE?.passes).toHaveLength(1);
    expect(byKind.SCALE?.revisit).toMatchObject({ count: 1, canAnswerAgain: false });
    expect(mine.nextStepId).toBe(f.steps.b);
    // "Next" names where it goes (and is open: a self-paced program has no unlock date).
    expect(mine.next).toEqual({ id: f.steps.b, title: expect.any(String), unlockAt: null });
    expect(mine.next?.title.length).toBeGreaterThan(0);
    expect(mine.prevStepId).toBeNull();
    expect(mine.canAnswer).toBe(true);

    const theirs = await app.caller(other).player.step({ stepId: f.steps.a });
    const theirsByKind = Object.fromEntries(theirs.exercises.map((e) => [e.kind, e]));
    expect(theirsByKind.REFLECTION?.draft).toMatchObject({ content: { text: "theirs" } });
    expect(theirsByKind.SCALE?.passes).toEqual([]);
    expect(JSON.stringify(theirs)).not.toContain("mine");
  });

  it("turns read-only (canAnswer false, passes kept) when access is lost", async () => {
    const f = await seedProgram(app.db, coach.id, { accessRule: "PLANS" });
    const member = await app.createUser("MEMBER");
    const comp = await app.db.comp.create({ data: { userId: member.id, programId: f.program.id } });
    const api = app.caller(member);
    await api.player.enrol({ programId: f.program.id });
    await api.player.submit({ exerciseId: f.ex.SCALE, content: ANSWERS.SCALE });
    await app.db.comp.update({
      where: { id: comp.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const step = await api.player.step({ stepId: f.steps.a });
    expect(step.canAnswer).toBe(false);
    expect(step.reason).toMatch(/plan/);
    expect(step.exercises.find((e) => e.kind === "SCALE")?.passes).toHaveLength(1);
    expect(
      (
        await failure(
          api.player.submit({ exerciseId: f.ex.REFLECTION, content: ANSWERS.REFLECTION }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      (
        await failure(
          api.player.saveDraft({
            exerciseId: f.ex.REFLECTION,
            content: { text: "x" },
            baseVersion: 0,
          }),
        )
      ).code,
    ).toBe("FORBIDDEN");
  });
});

describe("drafts", () => {
  it("saves with versions and refuses a stale tab with CONFLICT, keeping the newer text", async () => {
    const f = await enrolled();
    const tabA = await f.api.player.saveDraft({
      exerciseId: f.ex.REFLECTION,
      content: { text: "one" },
      baseVersion: 0,
    });
    expect(tabA.version).toBe(1);
    const tabA2 = await f.api.player.saveDraft({
      exerciseId: f.ex.REFLECTION,
      content: { text: "two" },
      baseVersion: 1,
    });
    expect(tabA2.version).toBe(2);
    // Tab B still believes version 1 (or that there is no draft at all).
    for (const baseVersion of [1, 0, 5]) {
      const stale = await failure(
        f.api.player.saveDraft({
          exerciseId: f.ex.REFLECTION,
          content: { text: "old" },
          baseVersion,
        }),
      );
      expect(stale.code).toBe("CONFLICT");
      expect(stale.message).toMatch(/another tab/);
    }
    expect(await f.api.player.draft({ exerciseId: f.ex.REFLECTION })).toMatchObject({
      content: { text: "two" },
      version: 2,
    });
  });

  it("answers a save sent again after its first try landed as it did the first time", async () => {
    // The connection went away after the commit: the client never heard, and sends it again.
    const f = await enrolled();
    const save = (text: string, probes: string[], baseVersion: number) =>
      f.api.player.saveDraft({
        exerciseId: f.ex.REFLECTION,
        content: { probes, text },
        baseVersion,
      });
    expect((await save("first", ["a"], 0)).version).toBe(1);
    expect((await save("first", ["a"], 0)).version).toBe(1);
    expect((await save("second", ["b"], 1)).version).toBe(2);
    expect((await save("second", ["b"], 1)).version).toBe(2);
    // Other text on a base that is no longer current is still another tab's: CONFLICT.
    expect((await failure(save("other", ["b"], 1))).code).toBe("CONFLICT");
    expect((await failure(save("first", ["a"], 0))).code).toBe("CONFLICT");
    expect(await f.api.player.draft({ exerciseId: f.ex.REFLECTION })).toMatchObject({
      content: { text: "second", probes: ["b"] },
      version: 2,
    });
  });

  it("continues an editor's own saves after their answers were lost, and still refuses another tab's", async () => {
    // Saves 1 and 2 of editor A were recorded but A never heard (an outage after the commit):
    // A's next save still says version 0, with the text typed since.
    const f = await enrolled();
    const A = { id: "6f0c1b6e-3f43-4c53-9d3a-6b2b7a1f1c01", seq: 0 };
    const B = { id: "6f0c1b6e-3f43-4c53-9d3a-6b2b7a1f1c02", seq: 0 };
    const save = (
      writer: { id: string; seq: number },
      text: string,
      baseVersion: number,
      seq = ++writer.seq,
    ) =>
      f.api.player.saveDraft({
        exerciseId: f.ex.REFLECTION,
        content: { text },
        baseVersion,
        writer: { id: writer.id, seq },
      });
    expect((await save(A, "a", 0)).version).toBe(1);
    expect((await save(A, "a b", 1)).version).toBe(2);
    expect((await save(A, "a b c", 0)).version).toBe(3);
    // A first try that arrives after a later save of the same editor changes nothing.
    expect((await save(A, "a b", 1, 2)).version).toBe(3);
    expect(await f.api.player.draft({ exerciseId: f.ex.REFLECTION })).toMatchObject({
      content: { text: "a b c" },
      version: 3,
    });
    // Another tab (B) on an old version is refused; once B has written, A is the stale one.
    expect((await failure(save(B, "b", 1))).code).toBe("CONFLICT");
    expect((await save(B, "b", 3)).version).toBe(4);
    expect((await failure(save(A, "a b c d", 3))).code).toBe("CONFLICT");
    // A client that sends no writer is never taken for an editor that did.
    const anonymous = await failure(
      f.api.player.saveDraft({
        exerciseId: f.ex.REFLECTION,
        content: { text: "x" },
        baseVersion: 3,
      }),
    );
    expect(anonymous.code).toBe("CONFLICT");
    expect(await f.api.player.draft({ exerciseId: f.ex.REFLECTION })).toMatchObject({
      content: { text: "b" },
      version: 4,
    });
  });

  it("refuses a malformed editor id or save count with BAD_REQUEST and a specific message", async () => {
    const f = await enrolled();
    for (const [writer, message] of [
      [{ id: "not-a-uuid", seq: 1 }, "The editor id is not valid; reload the page."],
      [
        { id: "6f0c1b6e-3f43-4c53-9d3a-6b2b7a1f1c01", seq: 0 },
        "The save count must be at least 1.",
      ],
      [
        { id: "6f0c1b6e-3f43-4c53-9d3a-6b2b7a1f1c01", seq: 1.5 },
        "The save count must be a whole number.",
      ],
    ] as const) {
      const result = await errorOf(() =>
        f.api.player.saveDraft({
          exerciseId: f.ex.REFLECTION,
          content: { text: "x" },
          baseVersion: 0,
          writer: writer as { id: string; seq: number },
        }),
      );
      expect(result.code).toBe("BAD_REQUEST");
      expect(result.fields.writer).toEqual([message]);
    }
    expect(await app.db.answerDraft.count({ where: { userId: f.member.id } })).toBe(0);
  });

  it("refuses an oversized draft with BAD_REQUEST", async () => {
    const f = await enrolled();
    const result = await failure(
      f.api.player.saveDraft({
        exerciseId: f.ex.REFLECTION,
        content: { text: "x".repeat(210_000) },
        baseVersion: 0,
      }),
    );
    expect(result.code).toBe("BAD_REQUEST");
    expect(await app.db.answerDraft.count({ where: { userId: f.member.id } })).toBe(0);
  });
});

describe("submitting", () => {
  it("refuses invalid answers with field messages and stores nothing", async () => {
    const f = await enrolled();
    const cases: [string, unknown, string][] = [
      [f.ex.SCALE, { value: 0 }, "value"],
      [f.ex.SCALE, { value: 11 }, "value"],
      [f.ex.SCALE, { value: 4.5 }, "value"],
      [f.ex.REFLECTION, { text: "x".repeat(20_001) }, "text"],
      [f.ex.REFLECTION, { text: "   " }, "text"],
      [f.ex.COMMITMENT, { text: "Call Ana", dueOn: "2026-02-30" }, "dueOn"],
      [f.ex.COMMITMENT, { text: "Call Ana", dueOn: "tomorrow" }, "dueOn"],
      [f.ex.COMMITMENT, { text: "Call Ana", dueOn: "2020-01-01" }, "dueOn"],
      [f.ex.COMMITMENT, { text: "Call Ana", dueOn: "0000-01-01" }, "dueOn"],
      [
        f.ex.PEOPLE,
        { people: [{ name: "Ana", circle: "Friends", status: "KEEP", lastContact: "2999-01-01" }] },
        "people.0.lastContact",
      ],
      [
        f.ex.PEOPLE,
        { people: [{ name: "Ana", circle: "Work", status: "KEEP" }] },
        "people.0.circle",
      ],
      [f.ex.PEOPLE, { people: [{ name: "", circle: "Friends", status: "KEEP" }] }, "people.0.name"],
      [f.ex.LENSES, { answers: { Money: "x" } }, "answers.Money"],
      [f.ex.PRACTICE, { ticked: ["unknown"] }, "ticked"],
    ];
    for (const [exerciseId, content, field] of cases) {
      const result = await failure(
        f.api.player.submit({ exerciseId, content: content as Record<string, unknown> }),
      );
      expect(result.code, JSON.stringify(content).slice(0, 60)).toBe("BAD_REQUEST");
      expect(Object.keys(result.fields ?? {})).toContain(field);
    }
    expect(await app.db.answerPass.count({ where: { userId: f.member.id } })).toBe(0);
    expect(await app.db.commitment.count({ where: { userId: f.member.id } })).toBe(0);
    expect(await app.db.person.count({ where: { userId: f.member.id } })).toBe(0);
    expect(await app.db.practiceTick.count({ where: { userId: f.member.id } })).toBe(0);
  });

  it("numbers passes and gates answering again until the revisit is due", async () => {
    const f = await enrolled();
    const t0 = new Date();
    await saveDraft(
      app.db,
      f.member,
      { exerciseId: f.ex.REFLECTION, content: { text: "draft" }, baseVersion: 0 },
      t0,
    );
    const first = await submitAnswer(
      app.db,
      f.member,
      { exerciseId: f.ex.REFLECTION, content: ANSWERS.REFLECTION },
      t0,
    );
    expect(first.passNumber).toBe(1);
    // From the start of the member's (UTC) day 14 days later.
    const due = new Date(
      `${new Date(t0.getTime() + 14 * DAY).toISOString().slice(0, 10)}T00:00:00Z`,
    );
    expect(first.nextDueAt).toEqual(due);
    expect(await app.db.answerDraft.count({ where: { userId: f.member.id } })).toBe(0);

    const early = await failure(
      submitAnswer(
        app.db,
        f.member,
        { exerciseId: f.ex.REFLECTION, content: { text: "again" } },
        new Date(due.getTime() - 1000),
      ),
    );
    expect(early.code).toBe("PRECONDITION_FAILED");
    expect(early.message).toMatch(/^You can answer again on \d{1,2} \w+ \d{4}\.$/);

    const later = new Date(due.getTime() + 1000);
    const step = await getStep(app.db, f.member, f.steps.a, later);
    expect(step.exercises[0]?.revisit).toMatchObject({ count: 1, canAnswerAgain: true });
    const second = await submitAnswer(
      app.db,
      f.member,
      { exerciseId: f.ex.REFLECTION, content: { text: "again" } },
      later,
    );
    expect(second.passNumber).toBe(2);
    const passes = await app.db.answerPass.findMany({
      where: { userId: f.member.id, exerciseId: f.ex.REFLECTION },
      orderBy: { passNumber: "asc" },
    });
    expect(passes.map((p) => [p.passNumber, (p.content as { text: string }).text])).toEqual([
      [1, ANSWERS.REFLECTION.text],
      [2, "again"],
    ]);

    // An exercise without revisit days is answered once.
    await submitAnswer(
      app.db,
      f.member,
      { exerciseId: f.ex.COMMITMENT, content: ANSWERS.COMMITMENT },
      t0,
    );
    expect(
      (
        await failure(
          submitAnswer(
            app.db,
            f.member,
            {
              exerciseId: f.ex.COMMITMENT,
              content: { ...ANSWERS.COMMITMENT, dueOn: later.toISOString().slice(0, 10) },
            },
            later,
          ),
        )
      ).code,
    ).toBe("PRECONDITION_FAILED");
  });

  it("keeps the prompt as it read when answered after the coach edits the exercise", async () => {
    const f = await enrolled();
    const t0 = new Date();
    await submitAnswer(app.db, f.member, { exerciseId: f.ex.SCALE, content: ANSWERS.SCALE }, t0);
    await app.db.exercise.update({
      where: { id: f.ex.SCALE },
      data: {
        prompt: "A new wording",
        config: { minLabel: "Never", maxLabel: "Always", followUp: "New follow-up" },
        revision: { increment: 1 },
      },
    });
    await submitAnswer(
      app.db,
      f.member,
      { exerciseId: f.ex.SCALE, content: { value: 7 } },
      new Date(t0.getTime() + 8 * DAY),
    );
    const passes = await app.db.answerPass.findMany({
      where: { userId: f.member.id, exerciseId: f.ex.SCALE },
      orderBy: { passNumber: "asc" },
    });
    expect(passes.map((p) => p.scaleValue)).toEqual([4, 7]);
    expect(passes[0]?.promptSnapshot).toMatchObject({
      prompt: "The scale prompt",
      config: { minLabel: "Hard", maxLabel: "Easy" },
      revision: 1,
      stepTitle: "Who you are",
      programTitle: f.program.title,
    });
    expect(passes[1]?.promptSnapshot).toMatchObject({ prompt: "A new wording", revision: 2 });
  });

  it("creates people, a commitment and practice ticks, then completes the step", async () => {
    const f = await enrolled();
    const results: Record<string, { passId: string; stepDone: boolean }> = {};
    for (const kind of [
      "REFLECTION",
      "LENSES",
      "SCALE",
      "PEOPLE",
      "COMMITMENT",
      "PRACTICE",
    ] as const) {
      results[kind] = await f.api.player.submit({ exerciseId: f.ex[kind], content: ANSWERS[kind] });
    }
    // Names are sealed at rest: the database cannot order them, so the test does.
    const people = (await app.db.person.findMany({ where: { userId: f.member.id } })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    expect(people).toMatchObject([
      {
        name: "Ana",
        circle: "Friends",
        status: "RECONNECT",
        why: "Old friend",
        // The member's local day (UTC here), stored at local noon like the community map does.
        lastContactAt: new Date("2024-05-01T12:00:00Z"),
        sourcePassId: results.PEOPLE?.passId,
      },
      {
        name: "Ben",
        circle: "Family",
        status: "KEEP",
        lastContactAt: null,
        sourcePassId: results.PEOPLE?.passId,
      },
    ]);
    expect(await app.db.commitment.findMany({ where: { userId: f.member.id } })).toMatchObject([
      {
        text: "Text Ana today",
        dueOn: new Date(`${DUE_ON}T00:00:00Z`),
        sourcePassId: results.COMMITMENT?.passId,
        status: "OPEN",
      },
    ]);
    const ticks = await app.db.practiceTick.findMany({
      where: { userId: f.member.id },
      orderBy: { practiceKey: "asc" },
    });
    expect(ticks.map((t) => [t.exerciseId, t.practiceKey, t.note])).toEqual([
      [f.ex.PRACTICE, "be-open", "Felt good"],
      [f.ex.PRACTICE, "first-move", "Felt good"],
    ]);
    // Practices are repeatable (no revisit days), each time with new ticks.
    await f.api.player.submit({ exerciseId: f.ex.PRACTICE, content: { ticked: ["be-open"] } });
    expect(await app.db.practiceTick.count({ where: { userId: f.member.id } })).toBe(3);

    expect(results.SCALE?.stepDone).toBe(false);
    expect(results.PRACTICE?.stepDone).toBe(true);
    expect(
      await app.db.stepCompletion.count({ where: { userId: f.member.id, stepId: f.steps.a } }),
    ).toBe(1);
    const enrolment = await app.db.enrolment.findFirstOrThrow({ where: { userId: f.member.id } });
    expect(enrolment.currentStepId).toBe(f.steps.b);

    // A reading step is completed by hand; marking an answered step done changes nothing.
    expect(await f.api.player.completeStep({ stepId: f.steps.a })).toMatchObject({ done: true });
    expect(
      await app.db.stepCompletion.count({ where: { userId: f.member.id, stepId: f.steps.a } }),
    ).toBe(1);
    const done = await f.api.player.completeStep({ stepId: f.steps.b });
    await f.api.player.completeStep({ stepId: f.steps.b });
    expect(done.currentStepId).toBe(f.steps.c);
    const overview = await f.api.player.program({ slug: f.program.slug });
    expect(overview.progress).toEqual({ done: 2, total: 3 });
    expect(overview.currentStepId).toBe(f.steps.c);
    expect(overview.modules[0]?.steps.map((s) => s.done)).toEqual([true, true]);
  });

  it("answering a people exercise again updates the map instead of duplicating it", async () => {
    const f = await enrolled();
    const t0 = new Date();
    await submitAnswer(app.db, f.member, { exerciseId: f.ex.PEOPLE, content: ANSWERS.PEOPLE }, t0);
    await app.db.exercise.update({ where: { id: f.ex.PEOPLE }, data: { revisitAfterDays: 30 } });
    const later = new Date(t0.getTime() + 60 * DAY);
    await submitAnswer(
      app.db,
      f.member,
      {
        exerciseId: f.ex.PEOPLE,
        content: {
          people: [
            { name: "ana", circle: "Friends", status: "KEEP", why: "We talked again" },
            { name: "Cleo", circle: "Friends", status: "RECONNECT", why: "" },
          ],
        },
      },
      later,
    );
    // Names are sealed at rest: the database cannot order them, so the test does.
    const people = (await app.db.person.findMany({ where: { userId: f.member.id } })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    expect(people.map((p) => [p.name, p.status, p.why])).toEqual([
      ["Ana", "KEEP", "We talked again"],
      ["Ben", "KEEP", ""],
      ["Cleo", "RECONNECT", ""],
    ]);
  });

  it("turns a double submit into a CONFLICT, never two first passes", async () => {
    const f = await enrolled();
    const results = await Promise.all(
      [1, 2].map(() =>
        failure(f.api.player.submit({ exerciseId: f.ex.REFLECTION, content: ANSWERS.REFLECTION })),
      ),
    );
    const codes = results.map((r) => r.code);
    expect(codes.filter((c) => c === "OK")).toHaveLength(1);
    // Passes of one member in one program are serialised (the enrolment row lock), so the
    // second sees the first and the answered-once rule refuses it, on any database.
    expect(codes.filter((c) => c !== "OK")).toEqual(["PRECONDITION_FAILED"]);
    expect(await app.db.answerPass.count({ where: { userId: f.member.id } })).toBe(1);
  });
});

describe("pacing", () => {
  it("locks cohort-paced modules until the start of their unlock day, never self-paced ones", async () => {
    const f = await seedProgram(app.db, coach.id, { pacing: "COHORT_PACED", lockDays: 7 });
    const member = { ...(await app.createUser("MEMBER")), timeZone: "Europe/Berlin" };
    // Enrolled on the evening of 2026-03-25 in Berlin; DST starts on the 29th. Day 7 is
    // 2026-04-01, which starts at 00:00 +02 (22:00 UTC the evening before).
    const t0 = zonedInstant("2026-03-25", "Europe/Berlin", 21, 30);
    await enrol(app.db, member, f.program.id, t0);
    const overview = await programOverview(app.db, member, f.program.slug, t0);
    expect(overview.modules.map((m) => m.locked)).toEqual([false, true]);
    expect(overview.modules[1]?.unlockAt?.toISOString()).toBe("2026-03-31T22:00:00.000Z");

    const lastMinute = new Date(Date.parse("2026-03-31T22:00:00Z") - 60_000);
    for (const attempt of [
      () => getStep(app.db, member, f.steps.c, lastMinute),
      () =>
        saveDraft(
          app.db,
          member,
          { exerciseId: f.laterExerciseId, content: { text: "x" }, baseVersion: 0 },
          lastMinute,
        ),
      () =>
        submitAnswer(
          app.db,
          member,
          { exerciseId: f.laterExerciseId, content: { text: "x" } },
          lastMinute,
        ),
    ]) {
      const result = await failure(attempt());
      expect(result.code).toBe("PRECONDITION_FAILED");
      expect(result.message).toBe("This module opens on 1 April 2026.");
    }
    expect(await app.db.answerDraft.count({ where: { userId: member.id } })).toBe(0);

    // The morning of the day the page names: open (enrolment + 7 × 24 h would still refuse).
    const morning = zonedInstant("2026-04-01", "Europe/Berlin", 8);
    expect((await getStep(app.db, member, f.steps.c, morning)).step.id).toBe(f.steps.c);
    const submitted = await submitAnswer(
      app.db,
      member,
      { exerciseId: f.laterExerciseId, content: { text: "x" } },
      morning,
    );
    expect(submitted.passNumber).toBe(1);

    const selfPaced = await enrolled({ lockDays: 30 });
    expect((await selfPaced.api.player.step({ stepId: selfPaced.steps.c })).step.id).toBe(
      selfPaced.steps.c,
    );
  });

  it("lets a member answer again from the start of the day it says, in their zone", async () => {
    const f = await seedProgram(app.db, coach.id);
    const member = { ...(await app.createUser("MEMBER")), timeZone: "America/Santiago" };
    await enrol(app.db, member, f.program.id);
    // Scale revisits after 7 days. Answered at 23:00 on 2026-08-30 in Santiago; 2026-09-06's
    // midnight does not exist there, so that day starts at 01:00 -03 (04:00 UTC).
    const answered = zonedInstant("2026-08-30", "America/Santiago", 23);
    const first = await submitAnswer(
      app.db,
      member,
      { exerciseId: f.ex.SCALE, content: ANSWERS.SCALE },
      answered,
    );
    expect(first.nextDueAt?.toISOString()).toBe("2026-09-06T04:00:00.000Z");
    const tooEarly = await failure(
      submitAnswer(
        app.db,
        member,
        { exerciseId: f.ex.SCALE, content: ANSWERS.SCALE },
        new Date("2026-09-06T03:59:00Z"),
      ),
    );
    expect(tooEarly).toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "You can answer again on 6 September 2026.",
    });
    const again = await submitAnswer(
      app.db,
      member,
      { exerciseId: f.ex.SCALE, content: ANSWERS.SCALE },
      new Date("2026-09-06T04:00:00Z"),
    );
    expect(again.passNumber).toBe(2);
  });
});

describe("concurrency", () => {
  /** A step of `count` reflections, in a program with a second step after it. */
  async function stepOfReflections(count: number) {
    const f = await seedProgram(app.db, coach.id);
    const exercises = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        app.db.exercise.create({
          data: {
            stepId: f.steps.b,
            kind: "REFLECTION",
            prompt: `Parallel ${i}`,
            config: { probes: [] },
            position: i,
          },
        }),
      ),
    );
    return { ...f, exerciseIds: exercises.map((e) => e.id) };
  }

  it("never leaves a step stuck when its exercises are submitted at the same moment", async () => {
    const f = await stepOfReflections(4);
    const members = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const m = await app.createUser("MEMBER");
        await app.caller(m).player.enrol({ programId: f.program.id });
        return m;
      }),
    );
    // Every member submits all four exercises at once; all members at once too.
    const results = await Promise.all(
      members.flatMap((m) =>
        f.exerciseIds.map((exerciseId) =>
          failure(app.caller(m).player.submit({ exerciseId, content: { text: "now" } })),
        ),
      ),
    );
    expect(results.map((r) => r.code)).toEqual(results.map(() => "OK"));
    for (const m of members) {
      const done = await app.db.stepCompletion.count({
        where: { userId: m.id, stepId: f.steps.b },
      });
      expect(done, `step completed for ${m.id}`).toBe(1);
      const enrolment = await app.db.enrolment.findFirstOrThrow({
        where: { userId: m.id, programId: f.program.id },
      });
      // On to the next open step after it (not left on the finished step).
      expect(enrolment.currentStepId).toBe(f.steps.c);
    }
  });

  it("two steps completed at once move the enrolment past both", async () => {
    const f = await seedProgram(app.db, coach.id, { lockDays: 0 });
    const extra = await app.db.step.create({
      data: { moduleId: f.modules[0]!.id, title: "Also read", body: "More.", position: 2 },
    });
    for (let round = 0; round < 5; round++) {
      const m = await app.createUser("MEMBER");
      const api = app.caller(m);
      await api.player.enrol({ programId: f.program.id });
      const [one, two] = await Promise.all([
        api.player.completeStep({ stepId: f.steps.b }),
        api.player.completeStep({ stepId: extra.id }),
      ]);
      const enrolment = await app.db.enrolment.findFirstOrThrow({
        where: { userId: m.id, programId: f.program.id },
      });
      // Whichever finished last saw both completions, so it moved on past both, to step C;
      // before the lock, the other could land last and leave the member on a finished step.
      expect(enrolment.currentStepId).toBe(f.steps.c);
      expect([one.currentStepId, two.currentStepId]).toContain(f.steps.c);
    }
  });

  it("a step whose exercises all have answers can always be marked done", async () => {
    const f = await stepOfReflections(2);
    const member = await app.createUser("MEMBER");
    const api = app.caller(member);
    await api.player.enrol({ programId: f.program.id });
    for (const exerciseId of f.exerciseIds) {
      await api.player.submit({ exerciseId, content: { text: "x" } });
    }
    // As a step left incomplete by the race above would be, before this release.
    await app.db.stepCompletion.deleteMany({ where: { userId: member.id, stepId: f.steps.b } });
    const view = await api.player.step({ stepId: f.steps.b });
    expect(view.step).toMatchObject({ done: false, canMarkDone: true });
    expect(await api.player.completeStep({ stepId: f.steps.b })).toMatchObject({ done: true });
    expect((await api.player.step({ stepId: f.steps.b })).step).toMatchObject({
      done: true,
      canMarkDone: false,
    });
    // A step with an unanswered exercise still completes only by answering.
    expect((await failure(api.player.completeStep({ stepId: f.steps.a }))).code).toBe(
      "PRECONDITION_FAILED",
    );
  });
});

describe("efficiency", () => {
  it("reads a step with the same SQL statements for 1 and for 60 passes, showing the latest", async () => {
    const counting = countingDb(app.database.url);
    try {
      const measure = async (user: SessionUser, stepId: string) => {
        counting.reset();
        const view = await getStep(counting.db, user, stepId);
        return { count: counting.statements().length, view };
      };
      // Plans programs with a comp, so the entitlement read is part of the count.
      const withComp = async () => {
        const f = await seedProgram(app.db, coach.id, { accessRule: "PLANS" });
        const member = await app.createUser("MEMBER");
        await app.db.comp.create({ data: { userId: member.id, programId: f.program.id } });
        await app.caller(member).player.enrol({ programId: f.program.id });
        return { ...f, member };
      };
      const small = await withComp();
      const big = await withComp();
      const passes = (f: typeof small, count: number) =>
        app.db.answerPass.createMany({
          data: Array.from({ length: count }, (_, i) => ({
            userId: f.member.id,
            exerciseId: f.ex.PRACTICE,
            programId: f.program.id,
            passNumber: i + 1,
            kind: "PRACTICE" as const,
            content: { ticked: ["be-open"], note: "" },
            promptSnapshot: { prompt: "p" },
            createdAt: new Date(Date.now() - (count - i) * 3_600_000),
          })),
        });
      await passes(small, 1);
      await passes(big, 60);
      for (const kind of ["REFLECTION", "LENSES", "PEOPLE"] as const) {
        await app.db.answerDraft.create({
          data: { userId: big.member.id, exerciseId: big.ex[kind], content: { text: "d" } },
        });
      }
      const a = await measure(small.member, small.steps.a);
      const b = await measure(big.member, big.steps.a);
      // Step with exercises, drafts and latest passes; the program outline; the comp.
      expect(a.count).toBe(b.count);
      expect(a.count).toBeLessThanOrEqual(15);
      const practice = b.view.exercises.find((e) => e.kind === "PRACTICE")!;
      expect(practice.passes).toHaveLength(PASSES_SHOWN);
      expect(practice.passCount).toBe(60);
      expect(practice.passes[0]!.passNumber).toBe(60);
    } finally {
      await counting.close();
    }
  });
});
