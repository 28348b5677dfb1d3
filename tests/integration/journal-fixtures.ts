import type { ExerciseKind, Prisma } from "@/generated/prisma/client";
import { recordPass } from "@/server/activity/progress";
import type { TestApp } from "../helpers/app";

/**
 * Rows for journal and sharing tests, written directly (the player writes them in the app).
 * A program with two modules: module 1 has a reflection step and a lenses step, module 2 a
 * scale step, plus `extraReflections` more reflection steps in module 2.
 */
export type Fixture = Awaited<ReturnType<typeof makeProgram>>;

let seq = 0;

export async function makeProgram(
  app: TestApp,
  authorId: string,
  options: { extraReflections?: number; title?: string } = {},
) {
  seq += 1;
  const title = options.title ?? `Program ${seq}`;
  const program = await app.db.program.create({
    data: { slug: `p-${seq}-${Date.now()}`, title, authorId, status: "PUBLISHED" },
  });
  const module1 = await app.db.module.create({
    data: { programId: program.id, title: "Who is your community?", position: 0 },
  });
  const module2 = await app.db.module.create({
    data: { programId: program.id, title: "Asking and reaching out", position: 1 },
  });
  const step = async (moduleId: string, position: number, stepTitle: string) =>
    app.db.step.create({ data: { moduleId, title: stepTitle, position } });
  const exercise = async (
    stepId: string,
    kind: ExerciseKind,
    prompt: string,
    config: Prisma.InputJsonObject,
  ) =>
    app.db.exercise.create({
      data: { stepId, kind, prompt, config, position: 0, revisitAfterDays: 7 },
    });

  const s1 = await step(module1.id, 0, "What community means to you");
  const s2 = await step(module1.id, 1, "Where is something missing?");
  const s3 = await step(module2.id, 0, "Asking for support");
  const reflection = await exercise(s1.id, "REFLECTION", "Who do you see in your community?", {
    probes: ["Why does that matter?"],
  });
  const lenses = await exercise(s2.id, "LENSES", "What is missing for you right now?", {
    lenses: ["Work", "Friendships", "Family"],
  });
  const scale = await exercise(s3.id, "SCALE", "How easy is it to ask for support?", {
    minLabel: "Very hard",
    maxLabel: "Easy",
    followUp: "What would make it a 10?",
  });
  const extra = [];
  for (let i = 0; i < (options.extraReflections ?? 0); i++) {
    const s = await step(module2.id, i + 1, `Extra step ${i + 1}`);
    extra.push(await exercise(s.id, "REFLECTION", `Extra prompt ${i + 1}?`, { probes: [] }));
  }
  const stepTitles = new Map([
    [reflection.id, s1.title],
    [lenses.id, s2.title],
    [scale.id, s3.title],
  ]);
  return {
    program,
    modules: [module1, module2],
    steps: [s1, s2, s3],
    reflection,
    lenses,
    scale,
    extra,
    stepTitle: (exerciseId: string) => stepTitles.get(exerciseId) ?? "Extra step",
  };
}

type ExerciseRow = Fixture["reflection"];

export async function addPass(
  app: TestApp,
  fx: Fixture,
  userId: string,
  exercise: ExerciseRow,
  passNumber: number,
  content: Prisma.InputJsonObject,
  options: { at?: Date; prompt?: string } = {},
) {
  const row = await app.db.answerPass.create({
    data: {
      userId,
      exerciseId: exercise.id,
      programId: fx.program.id,
      passNumber,
      kind: exercise.kind,
      content,
      scaleValue: exercise.kind === "SCALE" ? (content.value as number) : null,
      promptSnapshot: {
        prompt: options.prompt ?? exercise.prompt,
        config: exercise.config as Prisma.InputJsonObject,
        revision: exercise.revision,
        stepTitle: fx.stepTitle(exercise.id),
        programTitle: fx.program.title,
      },
      ...(options.at ? { createdAt: options.at } : {}),
    },
  });
  // The per-prompt aggregate the app keeps with every pass.
  await recordPass(app.db, row);
  return row;
}

export const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
