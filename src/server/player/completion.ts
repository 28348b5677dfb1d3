import type { Prisma } from "@/generated/prisma/client";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import { enrolmentOf, gate, lockEnrolment, programFacts, refuseLocked } from "./access";
import { moduleUnlockAt, nextIncompleteStep } from "./logic";

/**
 * Idempotent completion; moves the enrolment on to the next step not done yet. Runs inside a
 * transaction that holds the enrolment's row lock (`lockEnrolment`), so the steps it reads as
 * done include every completion committed before it.
 */
export async function markComplete(
  tx: Prisma.TransactionClient,
  userId: string,
  stepId: string,
  programId: string,
  now: Date,
): Promise<string | null> {
  await tx.stepCompletion.createMany({
    data: [{ userId, stepId, completedAt: now }],
    skipDuplicates: true,
  });
  const steps = await tx.step.findMany({
    where: { module: { programId } },
    orderBy: [{ module: { position: "asc" } }, { position: "asc" }],
    select: { id: true, completions: { where: { userId }, select: { id: true } } },
  });
  const next = nextIncompleteStep(
    steps.map((s) => ({ id: s.id, done: s.completions.length > 0 })),
    stepId,
  );
  const enrolment = await tx.enrolment.findUniqueOrThrow({
    where: { userId_programId: { userId, programId } },
    select: { completedAt: true },
  });
  await tx.enrolment.update({
    where: { userId_programId: { userId, programId } },
    data: { currentStepId: next, completedAt: next ? null : (enrolment.completedAt ?? now) },
  });
  return next;
}

/**
 * Marks a step done by hand: reading steps (no exercises), and a step whose every exercise
 * already has an answer (so completion always converges, whatever happened before).
 */
export async function completeStep(db: Db, user: SignedInUser, stepId: string, now = new Date()) {
  const step = await db.step.findUnique({
    where: { id: stepId },
    select: {
      id: true,
      completions: { where: { userId: user.id }, select: { id: true } },
      exercises: {
        where: { deletedAt: null },
        select: { passes: { where: { userId: user.id }, select: { id: true }, take: 1 } },
      },
      module: {
        select: {
          unlockDayOffset: true,
          program: { select: { ...programFacts, enrolments: enrolmentOf(user.id) } },
        },
      },
    },
  });
  if (!step) throw new DomainError("NOT_FOUND", "We could not find that step.");
  const program = step.module.program;
  const enrolment = program.enrolments[0] ?? null;
  const access = await programAccess(db, user, program, now);
  gate(access, program, enrolment, "write");
  refuseLocked(
    moduleUnlockAt(program.pacing, step.module.unlockDayOffset, enrolment, now, user.timeZone),
    user,
  );
  // Already done: nothing moves (marking an earlier step again must not pull the member back).
  if (step.completions.length > 0) {
    return {
      stepId: step.id,
      done: true,
      currentStepId: enrolment.currentStepId,
      completed: enrolment.completedAt !== null,
    };
  }
  if (step.exercises.some((e) => e.passes.length === 0)) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Answer every exercise of this step; it completes itself then.",
    );
  }
  const currentStepId = await db.$transaction(async (tx) => {
    await lockEnrolment(tx, user.id, program.id);
    return markComplete(tx, user.id, step.id, program.id, now);
  });
  // No step left to do: the whole program is complete.
  return { stepId: step.id, done: true, currentStepId, completed: currentStepId === null };
}
