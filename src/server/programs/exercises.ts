import type { Prisma } from "@/generated/prisma/client";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";
import { answeredExercise } from "./outline";
import { requireExercise, requireStep } from "./ownership";
import type { AddExerciseInput, UpdateExerciseInput } from "./schemas";

export async function addExercise(db: Db, actor: SignedInUser, input: AddExerciseInput) {
  await requireStep(db, actor, input.stepId);
  const last = await db.exercise.aggregate({
    where: { stepId: input.stepId },
    _max: { position: true },
  });
  return db.exercise.create({
    data: {
      stepId: input.stepId,
      kind: input.kind,
      prompt: input.prompt,
      config: input.config as Prisma.InputJsonObject,
      revisitAfterDays: input.revisitAfterDays,
      position: (last._max.position ?? -1) + 1,
    },
  });
}

export async function updateExercise(db: Db, actor: SignedInUser, input: UpdateExerciseInput) {
  const exercise = await requireExercise(db, actor, input.id);
  if (exercise.kind !== input.kind) {
    throw new DomainError("BAD_REQUEST", "The kind of an exercise cannot change.", {
      kind: ["The kind of an exercise cannot change. Add a new exercise instead."],
    });
  }
  const program = exercise.step.module.program;
  const changed =
    exercise.prompt !== input.prompt ||
    JSON.stringify(exercise.config) !== JSON.stringify(input.config);
  // Once members may have seen it, a new wording is a new revision; their passes keep the
  // prompt snapshot they answered.
  const bump = changed && (program.status !== "DRAFT" || program.publishedAt !== null);
  return db.exercise.update({
    where: { id: input.id },
    data: {
      prompt: input.prompt,
      config: input.config as Prisma.InputJsonObject,
      revisitAfterDays: input.revisitAfterDays,
      ...(bump ? { revision: { increment: 1 } } : {}),
    },
  });
}

/** Answered exercises are soft-deleted so their answers stay in the journal. */
export async function deleteExercise(db: Db, actor: SignedInUser, id: string) {
  await requireExercise(db, actor, id);
  return db.$transaction(async (tx) => {
    const answered = await tx.exercise.count({ where: { id, ...answeredExercise } });
    if (answered) {
      await tx.exercise.update({ where: { id }, data: { deletedAt: new Date() } });
      return { id, softDeleted: true };
    }
    await tx.exercise.delete({ where: { id } });
    return { id, softDeleted: false };
  });
}
