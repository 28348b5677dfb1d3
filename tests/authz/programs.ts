import type { Db } from "@/server/db";

/** Procedures covered by tests/integration/programs-authz.test.ts. */
export const covered = [
  "programs.list",
  "programs.get",
  "programs.create",
  "programs.update",
  "programs.setCatalogPosition",
  "programs.publish",
  "programs.archive",
  "programs.unarchive",
  "programs.duplicate",
  "programs.addModule",
  "programs.updateModule",
  "programs.deleteModule",
  "programs.addStep",
  "programs.updateStep",
  "programs.moveStep",
  "programs.deleteStep",
  "programs.addExercise",
  "programs.updateExercise",
  "programs.deleteExercise",
  "programs.reorder",
];

let n = 0;

/** A complete, publishable program written straight to the database: two modules, one exercise. */
export async function seedAuthoredProgram(
  db: Db,
  authorId: string,
  status: "DRAFT" | "ARCHIVED" = "DRAFT",
) {
  n += 1;
  const program = await db.program.create({
    data: { slug: `authz-${n}-${Date.now()}`, title: `Authz ${n}`, authorId, status },
  });
  const m1 = await db.module.create({ data: { programId: program.id, title: "One", position: 0 } });
  const m2 = await db.module.create({ data: { programId: program.id, title: "Two", position: 1 } });
  const s1 = await db.step.create({
    data: { moduleId: m1.id, title: "Step", body: "Read me.", position: 0 },
  });
  await db.step.create({ data: { moduleId: m2.id, title: "Step 2", body: "More.", position: 0 } });
  const e1 = await db.exercise.create({
    data: {
      stepId: s1.id,
      kind: "REFLECTION",
      prompt: "Why?",
      config: { probes: [] },
      position: 0,
    },
  });
  return { programId: program.id, slug: program.slug, m1: m1.id, m2: m2.id, s1: s1.id, e1: e1.id };
}
