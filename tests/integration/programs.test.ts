import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/markdown";
import type { Session } from "@/server/auth/session";
import { createTestApp, type TestApp } from "../helpers/app";

let app: TestApp;
let coach: Session["user"];
let otherCoach: Session["user"];
let admin: Session["user"];
let member: Session["user"];

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
  otherCoach = await app.createUser("COACH");
  admin = await app.createUser("ADMIN");
  member = await app.createUser("MEMBER");
});
afterAll(() => app?.close());

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const lensesConfig = { lenses: ["Career", "Family"] };

/** A complete, publishable program: one module, one step, one reflection exercise. */
async function completeProgram(title = "Building community") {
  const c = app.caller(coach);
  const program = await c.programs.create({ title });
  const mod = await c.programs.addModule({ programId: program.id, title: "Who I am" });
  const step = await c.programs.addStep({ moduleId: mod.id, title: "Start here" });
  const exercise = await c.programs.addExercise({
    stepId: step.id,
    kind: "REFLECTION",
    prompt: "What does community mean to you?",
    config: { probes: ["Why?"] },
    revisitAfterDays: 14,
  });
  return { program, mod, step, exercise };
}

async function addPass(exerciseId: string, programId: string) {
  return app.db.answerPass.create({
    data: {
      userId: member.id,
      exerciseId,
      programId,
      passNumber: 1,
      kind: "REFLECTION",
      content: { text: "My answer", probes: [] },
      promptSnapshot: { prompt: "What does community mean to you?", revision: 1 },
    },
  });
}

describe("programs: create and details", () => {
  it("generates a unique slug from the title", async () => {
    const c = app.caller(coach);
    const a = await c.programs.create({ title: "Ça marche: Friends & Family!" });
    const b = await c.programs.create({ title: "Ça marche: Friends & Family!" });
    const d = await c.programs.create({ title: "Ça marche: Friends & Family!" });
    expect([a.slug, b.slug, d.slug]).toEqual([
      "ca-marche-friends-family",
      "ca-marche-friends-family-2",
      "ca-marche-friends-family-3",
    ]);
    expect(a.status).toBe("DRAFT");
    expect(a.authorId).toBe(coach.id);
  });

  it("updates details; a taken or malformed slug is refused with a field error", async () => {
    const c = app.caller(coach);
    const a = await c.programs.create({ title: "Slug owner" });
    const b = await c.programs.create({ title: "Slug wanter" });
    const base = {
      id: b.id,
      title: "Slug wanter",
      summary: "A summary",
      pacing: "SELF_PACED" as const,
      accessRule: "FREE" as const,
    };
    const conflict = await failure(c.programs.update({ ...base, slug: a.slug }));
    expect(conflict.code).toBe("CONFLICT");
    expect(
      (conflict.cause as { fieldErrors?: Record<string, string[]> }).fieldErrors?.slug,
    ).toBeTruthy();

    for (const slug of ["Has Caps", "double--dash", "-lead", "x".repeat(81), "naïve"]) {
      expect((await failure(c.programs.update({ ...base, slug }))).code).toBe("BAD_REQUEST");
    }
    const ok = await c.programs.update({
      ...base,
      slug: "my-new-address-2",
      pacing: "COHORT_PACED",
      accessRule: "PLANS",
      coverImage: `/api/uploads/${"a".repeat(32)}.png`,
    });
    expect(ok).toMatchObject({ slug: "my-new-address-2", pacing: "COHORT_PACED" });
    expect(ok.coverImage).toBe(`/api/uploads/${"a".repeat(32)}.png`);
    // A cover from elsewhere is not accepted.
    expect(
      (
        await failure(
          c.programs.update({
            ...base,
            slug: "my-new-address-2",
            coverImage: "https://evil/x.png",
          }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
  });

  it("refuses over-long fields and changes nothing", async () => {
    const c = app.caller(coach);
    const { program, mod, step, exercise } = await completeProgram("Limits");
    expect((await failure(c.programs.create({ title: "t".repeat(121) }))).code).toBe("BAD_REQUEST");
    expect(
      (
        await failure(
          c.programs.update({
            id: program.id,
            title: "Limits",
            slug: program.slug,
            summary: "s".repeat(2001),
            pacing: "SELF_PACED",
            accessRule: "FREE",
          }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    expect(
      (
        await failure(
          c.programs.updateModule({ id: mod.id, title: "m".repeat(121), unlockDayOffset: 0 }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    expect(
      (await failure(c.programs.updateModule({ id: mod.id, title: "M", unlockDayOffset: 400 })))
        .code,
    ).toBe("BAD_REQUEST");
    expect(
      (await failure(c.programs.updateStep({ id: step.id, title: "S", body: "b".repeat(20_001) })))
        .code,
    ).toBe("BAD_REQUEST");
    const tooLongPrompt = await failure(
      c.programs.updateExercise({
        id: exercise.id,
        kind: "REFLECTION",
        prompt: "p".repeat(1001),
        config: { probes: [] },
        revisitAfterDays: null,
      }),
    );
    expect(tooLongPrompt.code).toBe("BAD_REQUEST");
    expect(
      (
        await failure(
          c.programs.updateExercise({
            id: exercise.id,
            kind: "REFLECTION",
            prompt: "Fine",
            config: { probes: [] },
            revisitAfterDays: 366,
          }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
    const outline = await c.programs.get({ id: program.id });
    expect(outline.summary).toBe("");
    expect(outline.modules[0]!.title).toBe("Who I am");
    expect(outline.modules[0]!.steps[0]!.exercises[0]).toMatchObject({
      prompt: "What does community mean to you?",
      revisitAfterDays: 14,
    });
  });
});

describe("programs: exercises", () => {
  it("validates config per kind and refuses unknown kinds", async () => {
    const c = app.caller(coach);
    const { step } = await completeProgram("Kinds");
    const add = (kind: string, config: unknown) =>
      c.programs.addExercise({
        stepId: step.id,
        kind: kind as "LENSES",
        prompt: "Prompt",
        config,
        revisitAfterDays: null,
      });
    const unknown = await failure(add("POLL", {}));
    expect(unknown.code).toBe("BAD_REQUEST");
    const oneLens = await failure(add("LENSES", { lenses: ["Career"] }));
    expect(oneLens.code).toBe("BAD_REQUEST");
    expect(JSON.stringify((oneLens.cause as Error).message)).toContain("at least two lenses");
    expect((await failure(add("SCALE", { minLabel: "", maxLabel: "High" }))).code).toBe(
      "BAD_REQUEST",
    );
    expect((await failure(add("COMMITMENT", { dueInDays: 91 }))).code).toBe("BAD_REQUEST");
    expect(
      (await failure(add("PRACTICE", { practices: [{ key: "Bad Key", label: "x" }] }))).code,
    ).toBe("BAD_REQUEST");

    const scale = await add("SCALE", { minLabel: "Not at all", maxLabel: "Completely" });
    expect(scale.config).toEqual({
      minLabel: "Not at all",
      maxLabel: "Completely",
      followUp: "What would make it a 10?",
    });
    await add("LENSES", lensesConfig);
    await add("PEOPLE", { circles: ["Family", "Friends"] });
    await add("COMMITMENT", { dueInDays: 1 });
    await add("PRACTICE", { practices: [{ key: "be-open", label: "Be open" }] });
    const outline = await c.programs.get({
      id: (
        await app.db.step.findUniqueOrThrow({ where: { id: step.id }, include: { module: true } })
      ).module.programId,
    });
    expect(outline.modules[0]!.steps[0]!.exercises.map((e) => e.kind)).toEqual([
      "REFLECTION",
      "SCALE",
      "LENSES",
      "PEOPLE",
      "COMMITMENT",
      "PRACTICE",
    ]);
    // The kind of an existing exercise cannot change.
    expect(
      (
        await failure(
          c.programs.updateExercise({
            id: scale.id,
            kind: "LENSES",
            prompt: "Prompt",
            config: lensesConfig,
            revisitAfterDays: null,
          }),
        )
      ).code,
    ).toBe("BAD_REQUEST");
  });

  it("editing a published program's exercise increments its revision; drafts do not", async () => {
    const c = app.caller(coach);
    const { program, exercise } = await completeProgram("Revisions");
    const edit = (prompt: string) =>
      c.programs.updateExercise({
        id: exercise.id,
        kind: "REFLECTION",
        prompt,
        config: { probes: ["Why?"] },
        revisitAfterDays: 14,
      });
    expect((await edit("Draft wording")).revision).toBe(1);
    await c.programs.publish({ id: program.id });
    const pass = await addPass(exercise.id, program.id);
    expect((await edit("Published wording")).revision).toBe(2);
    // Saving without a change is not a new revision.
    expect((await edit("Published wording")).revision).toBe(2);
    const reconfigured = await c.programs.updateExercise({
      id: exercise.id,
      kind: "REFLECTION",
      prompt: "Published wording",
      config: { probes: ["Why?", "And why is that?"] },
      revisitAfterDays: 14,
    });
    expect(reconfigured.revision).toBe(3);
    // The answer keeps the prompt it answered.
    const stored = await app.db.answerPass.findUniqueOrThrow({ where: { id: pass.id } });
    expect(stored.promptSnapshot).toEqual({
      prompt: "What does community mean to you?",
      revision: 1,
    });
  });

  it("deleting an answered exercise soft-deletes it and keeps the pass; unanswered is removed", async () => {
    const c = app.caller(coach);
    const { program, step, exercise } = await completeProgram("Deletes");
    const spare = await c.programs.addExercise({
      stepId: step.id,
      kind: "LENSES",
      prompt: "Through which lens?",
      config: lensesConfig,
      revisitAfterDays: null,
    });
    const pass = await addPass(exercise.id, program.id);

    expect(await c.programs.deleteExercise({ id: exercise.id })).toMatchObject({
      softDeleted: true,
    });
    const row = await app.db.exercise.findUniqueOrThrow({ where: { id: exercise.id } });
    expect(row.deletedAt).not.toBeNull();
    expect(await app.db.answerPass.findUnique({ where: { id: pass.id } })).not.toBeNull();

    expect(await c.programs.deleteExercise({ id: spare.id })).toMatchObject({ softDeleted: false });
    expect(await app.db.exercise.findUnique({ where: { id: spare.id } })).toBeNull();

    const outline = await c.programs.get({ id: program.id });
    expect(outline.modules[0]!.steps[0]!.exercises).toEqual([]);
    // A deleted exercise is gone for editing too.
    expect((await failure(c.programs.deleteExercise({ id: exercise.id }))).code).toBe("NOT_FOUND");
  });

  it("a step or module holding answers cannot be deleted; an empty one can", async () => {
    const c = app.caller(coach);
    const { program, mod, step, exercise } = await completeProgram("Step deletes");
    await addPass(exercise.id, program.id);
    await c.programs.deleteExercise({ id: exercise.id });
    const refused = await failure(c.programs.deleteStep({ id: step.id }));
    expect(refused.code).toBe("PRECONDITION_FAILED");
    expect(refused.message).toMatch(/answered/);
    expect((await failure(c.programs.deleteModule({ id: mod.id }))).code).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await app.db.step.findUnique({ where: { id: step.id } })).not.toBeNull();

    const other = await c.programs.addModule({ programId: program.id, title: "Other" });
    const otherStep = await c.programs.addStep({ moduleId: other.id, title: "Other step" });
    await c.programs.addExercise({
      stepId: otherStep.id,
      kind: "COMMITMENT",
      prompt: "Your first step",
      config: { dueInDays: 0 },
      revisitAfterDays: null,
    });
    await c.programs.deleteModule({ id: other.id });
    expect(await app.db.module.findUnique({ where: { id: other.id } })).toBeNull();
    expect(await app.db.step.findUnique({ where: { id: otherStep.id } })).toBeNull();
  });
});

describe("programs: markdown bodies", () => {
  it("stores a script in a step body verbatim and renders it escaped", async () => {
    const c = app.caller(coach);
    const { program, step } = await completeProgram("Injection");
    const body =
      '# Hello\n\n<script>alert("x")</script> <img src=x onerror=alert(1)> [a](javascript:alert(1))';
    await c.programs.updateStep({ id: step.id, title: "Start here", body });
    const stored = (await c.programs.get({ id: program.id })).modules[0]!.steps[0]!.body;
    expect(stored).toBe(body);
    const html = renderMarkdown(stored);
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("javascript:");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("<h2>Hello</h2>");
  });
});

describe("programs: reorder", () => {
  it("reorders modules, steps and exercises; refuses stale or foreign orders", async () => {
    const c = app.caller(coach);
    const { program, mod, step, exercise } = await completeProgram("Order");
    const mod2 = await c.programs.addModule({ programId: program.id, title: "Second" });
    const step2 = await c.programs.addStep({ moduleId: mod.id, title: "Second step" });
    const ex2 = await c.programs.addExercise({
      stepId: step.id,
      kind: "LENSES",
      prompt: "Lens",
      config: lensesConfig,
      revisitAfterDays: null,
    });

    await c.programs.reorder({
      parentId: program.id,
      kind: "modules",
      orderedIds: [mod2.id, mod.id],
    });
    await c.programs.reorder({ parentId: mod.id, kind: "steps", orderedIds: [step2.id, step.id] });
    await c.programs.reorder({
      parentId: step.id,
      kind: "exercises",
      orderedIds: [ex2.id, exercise.id],
    });
    const outline = await c.programs.get({ id: program.id });
    expect(outline.modules.map((m) => m.id)).toEqual([mod2.id, mod.id]);
    expect(outline.modules[1]!.steps.map((s) => s.id)).toEqual([step2.id, step.id]);
    expect(outline.modules[1]!.steps[1]!.exercises.map((e) => e.id)).toEqual([ex2.id, exercise.id]);

    // Another tab added a module: the old order is stale.
    const mod3 = await c.programs.addModule({ programId: program.id, title: "Third" });
    const stale = await failure(
      c.programs.reorder({ parentId: program.id, kind: "modules", orderedIds: [mod.id, mod2.id] }),
    );
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toBe("The order changed in another tab; reload.");
    // Duplicates and ids from another list are stale too.
    for (const orderedIds of [
      [mod.id, mod.id, mod3.id],
      [mod.id, mod2.id, step.id],
    ]) {
      expect(
        (await failure(c.programs.reorder({ parentId: program.id, kind: "modules", orderedIds })))
          .code,
      ).toBe("CONFLICT");
    }
    const after = await c.programs.get({ id: program.id });
    expect(after.modules.map((m) => m.id)).toEqual([mod2.id, mod.id, mod3.id]);
  });

  it("moves a step to another module of the same program only", async () => {
    const c = app.caller(coach);
    const { program, step } = await completeProgram("Move");
    const target = await c.programs.addModule({ programId: program.id, title: "Target" });
    await c.programs.moveStep({ id: step.id, moduleId: target.id });
    const outline = await c.programs.get({ id: program.id });
    expect(outline.modules[1]!.steps.map((s) => s.id)).toEqual([step.id]);
    const elsewhere = await completeProgram("Elsewhere");
    expect(
      (await failure(c.programs.moveStep({ id: step.id, moduleId: elsewhere.mod.id }))).code,
    ).toBe("BAD_REQUEST");
  });
});

describe("programs: publish, archive, duplicate", () => {
  it("lists every problem at once and publishes nothing", async () => {
    const c = app.caller(coach);
    const empty = await c.programs.create({ title: "Empty" });
    const none = await failure(c.programs.publish({ id: empty.id }));
    expect(none.code).toBe("BAD_REQUEST");
    expect(
      (none.cause as unknown as { fieldErrors: { publish: string[] } }).fieldErrors.publish,
    ).toEqual(["Add at least one module."]);

    const { program, mod, step } = await completeProgram("Incomplete");
    await c.programs.addModule({ programId: program.id, title: "No steps" });
    await c.programs.addStep({ moduleId: mod.id, title: "" });
    // An invalid config written around the editor (e.g. by an old version) is caught too.
    const bad = await c.programs.addExercise({
      stepId: step.id,
      kind: "LENSES",
      prompt: "Lens",
      config: lensesConfig,
      revisitAfterDays: null,
    });
    await app.db.exercise.update({ where: { id: bad.id }, data: { config: { lenses: ["One"] } } });

    const error = await failure(c.programs.publish({ id: program.id }));
    const problems = (error.cause as unknown as { fieldErrors: { publish: string[] } }).fieldErrors
      .publish;
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/4 problems/);
    expect(problems).toEqual([
      "Module 1 “Who I am”, step 1 “Start here”, exercise 2 (lenses): Pick at least two lenses.",
      "Module 1 “Who I am”, step 2 needs a title.",
      "Module 1 “Who I am”, step 2 needs a body or at least one exercise.",
      "Module 2 “No steps” has no steps.",
    ]);
    expect((await app.db.program.findUniqueOrThrow({ where: { id: program.id } })).status).toBe(
      "DRAFT",
    );
  });

  it("publishes a complete program, archives, unarchives, with audit entries", async () => {
    const c = app.caller(coach);
    const { program } = await completeProgram("Lifecycle");
    const published = await c.programs.publish({ id: program.id });
    expect(published.status).toBe("PUBLISHED");
    expect(published.publishedAt).toBeInstanceOf(Date);
    expect((await c.programs.archive({ id: program.id })).status).toBe("ARCHIVED");
    expect((await c.programs.unarchive({ id: program.id })).status).toBe("DRAFT");
    const actions = (
      await app.db.auditLog.findMany({
        where: { targetId: program.id },
        orderBy: { createdAt: "asc" },
      })
    ).map((a) => [a.action, a.actorId]);
    expect(actions).toEqual([
      ["program.published", coach.id],
      ["program.archived", coach.id],
      ["program.unarchived", coach.id],
    ]);
  });

  it("duplicates deeply as a draft, without answers or deleted exercises", async () => {
    const c = app.caller(coach);
    const { program, mod, step, exercise } = await completeProgram("Original");
    await c.programs.updateStep({ id: step.id, title: "Start here", body: "Read **this**." });
    await c.programs.updateModule({ id: mod.id, title: "Who I am", unlockDayOffset: 3 });
    const gone = await c.programs.addExercise({
      stepId: step.id,
      kind: "SCALE",
      prompt: "How easy is asking?",
      config: { minLabel: "Hard", maxLabel: "Easy" },
      revisitAfterDays: 7,
    });
    const kept = await c.programs.addExercise({
      stepId: step.id,
      kind: "LENSES",
      prompt: "Lens",
      config: lensesConfig,
      revisitAfterDays: null,
    });
    await addPass(gone.id, program.id);
    await c.programs.deleteExercise({ id: gone.id });
    await c.programs.publish({ id: program.id });
    await addPass(exercise.id, program.id);

    const copy = await c.programs.duplicate({ id: program.id });
    expect(copy).toMatchObject({ title: "Original (copy)", status: "DRAFT", authorId: coach.id });
    expect(copy.slug).toBe("original-copy");
    const outline = await c.programs.get({ id: copy.id });
    expect(outline.modules).toHaveLength(1);
    expect(outline.modules[0]).toMatchObject({ title: "Who I am", unlockDayOffset: 3 });
    expect(outline.modules[0]!.steps[0]).toMatchObject({
      title: "Start here",
      body: "Read **this**.",
    });
    const exercises = outline.modules[0]!.steps[0]!.exercises;
    expect(exercises.map((e) => [e.kind, e.prompt, e.revision])).toEqual([
      ["REFLECTION", "What does community mean to you?", 1],
      ["LENSES", "Lens", 1],
    ]);
    expect(exercises[1]!.config).toEqual(lensesConfig);
    expect(exercises.map((e) => e.id)).not.toContain(kept.id);
    expect(await app.db.answerPass.count({ where: { programId: copy.id } })).toBe(0);
    expect(
      await app.db.auditLog.count({ where: { action: "program.duplicated", targetId: copy.id } }),
    ).toBe(1);
    expect((await c.programs.duplicate({ id: program.id })).slug).toBe("original-copy-2");
  });
});

describe("programs: ownership", () => {
  it("another coach gets NOT_FOUND for every id of someone else's program; admins may", async () => {
    const { program, mod, step, exercise } = await completeProgram("Mine");
    const other = app.caller(otherCoach);
    const calls = [
      () => other.programs.get({ id: program.id }),
      () => other.programs.publish({ id: program.id }),
      () => other.programs.addModule({ programId: program.id, title: "x" }),
      () => other.programs.updateModule({ id: mod.id, title: "x", unlockDayOffset: 0 }),
      () => other.programs.addStep({ moduleId: mod.id, title: "x" }),
      () => other.programs.updateStep({ id: step.id, title: "x", body: "" }),
      () => other.programs.deleteExercise({ id: exercise.id }),
      () =>
        other.programs.reorder({ parentId: step.id, kind: "exercises", orderedIds: [exercise.id] }),
    ];
    for (const call of calls) expect((await failure(call())).code).toBe("NOT_FOUND");
    expect((await other.programs.list()).map((p) => p.id)).not.toContain(program.id);
    expect(await app.db.module.count({ where: { programId: program.id } })).toBe(1);

    const asAdmin = app.caller(admin);
    expect((await asAdmin.programs.list()).map((p) => p.id)).toContain(program.id);
    await asAdmin.programs.updateStep({ id: step.id, title: "Edited by admin", body: "" });
    expect(
      (await app.caller(coach).programs.get({ id: program.id })).modules[0]!.steps[0]!.title,
    ).toBe("Edited by admin");
  });
});
