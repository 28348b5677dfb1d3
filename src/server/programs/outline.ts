import type { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";
import { requireModule, requireProgram, requireStep, type Tx } from "./ownership";
import type { addModuleInput, addStepInput, updateModuleInput, updateStepInput } from "./schemas";

/** Modules and steps of a program: add, edit, move and delete. */
export async function addModule(
  db: Db,
  actor: SignedInUser,
  input: z.infer<typeof addModuleInput>,
) {
  await requireProgram(db, actor, input.programId);
  const last = await db.module.aggregate({
    where: { programId: input.programId },
    _max: { position: true },
  });
  return db.module.create({
    data: {
      programId: input.programId,
      title: input.title,
      position: (last._max.position ?? -1) + 1,
    },
  });
}

export async function updateModule(
  db: Db,
  actor: SignedInUser,
  input: z.infer<typeof updateModuleInput>,
) {
  await requireModule(db, actor, input.id);
  const { id, ...data } = input;
  return db.module.update({ where: { id }, data });
}

export async function addStep(db: Db, actor: SignedInUser, input: z.infer<typeof addStepInput>) {
  await requireModule(db, actor, input.moduleId);
  const last = await db.step.aggregate({
    where: { moduleId: input.moduleId },
    _max: { position: true },
  });
  return db.step.create({
    data: {
      moduleId: input.moduleId,
      title: input.title,
      position: (last._max.position ?? -1) + 1,
    },
  });
}

export async function updateStep(
  db: Db,
  actor: SignedInUser,
  input: z.infer<typeof updateStepInput>,
) {
  await requireStep(db, actor, input.id);
  const { id, ...data } = input;
  // Stored verbatim; src/lib/markdown.ts renders it safely (raw HTML off) on every read.
  return db.step.update({ where: { id }, data });
}

/** Moves a step to the end of another module of the same program. */
export async function moveStep(db: Db, actor: SignedInUser, id: string, moduleId: string) {
  const step = await requireStep(db, actor, id);
  const target = await requireModule(db, actor, moduleId);
  if (target.programId !== step.module.programId)
    throw new DomainError("BAD_REQUEST", "A step can only move within its program.");
  if (step.moduleId === moduleId) return step;
  const last = await db.step.aggregate({ where: { moduleId }, _max: { position: true } });
  return db.step.update({
    where: { id },
    data: { moduleId, position: (last._max.position ?? -1) + 1 },
  });
}

export const answeredExercise: Prisma.ExerciseWhereInput = {
  OR: [{ passes: { some: {} } }, { ticks: { some: {} } }],
};

/**
 * Members' answers must survive, and an answered exercise row is what keeps them in the journal,
 * so a step or module holding one cannot be deleted. Unanswered exercises go with it.
 */
async function deleteSteps(tx: Tx, where: Prisma.StepWhereInput, what: string) {
  const answered = await tx.exercise.count({ where: { step: where, ...answeredExercise } });
  if (answered > 0) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      `Members have answered ${answered === 1 ? "an exercise" : `${answered} exercises`} in this ${what}, so it cannot be deleted: their answers must stay in their journals. Rename or reword it instead, or delete the other parts.`,
    );
  }
  await tx.exercise.deleteMany({ where: { step: where } });
  await tx.step.deleteMany({ where });
}

export async function deleteStep(db: Db, actor: SignedInUser, id: string) {
  await requireStep(db, actor, id);
  await db.$transaction((tx) => deleteSteps(tx, { id }, "step"));
  return { id };
}

export async function deleteModule(db: Db, actor: SignedInUser, id: string) {
  await requireModule(db, actor, id);
  await db.$transaction(async (tx) => {
    await deleteSteps(tx, { moduleId: id }, "module");
    await tx.module.delete({ where: { id } });
  });
  return { id };
}
