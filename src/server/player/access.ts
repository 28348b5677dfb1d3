import type { Prisma } from "@/generated/prisma/client";
import { formatDate } from "@/lib/format-date";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { type Access, programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import type { ExerciseKindName } from "../programs/exercise-kinds";
import { type CohortSchedule, moduleUnlockAt, nextIncompleteStep } from "./logic";

/**
 * What every player action reads first: the program's facts, the caller's enrolment and the
 * entitlement decision. Rows of the caller (drafts, passes, completions) are always filtered by
 * `user.id`, never by an id from outside alone, so nobody reads or writes another member's
 * answers.
 */
export const programFacts = {
  id: true,
  slug: true,
  title: true,
  status: true,
  pacing: true,
  accessRule: true,
  authorId: true,
} as const;

export type ProgramFacts = Prisma.ProgramGetPayload<{ select: typeof programFacts }>;
export type EnrolmentFacts = {
  createdAt: Date;
  currentStepId: string | null;
  completedAt: Date | null;
  cohort: CohortSchedule | null;
};

export const enrolmentOf = (userId: string) =>
  ({
    where: { userId },
    select: {
      createdAt: true,
      currentStepId: true,
      completedAt: true,
      cohort: { select: { startDate: true, timeZone: true } },
    },
  }) as const;

/** The whole program's modules and steps with the caller's completions: one bounded read. */
export const outlineOf = (userId: string) =>
  ({
    orderBy: { position: "asc" },
    select: {
      id: true,
      title: true,
      unlockDayOffset: true,
      steps: {
        orderBy: { position: "asc" },
        select: {
          id: true,
          title: true,
          _count: { select: { exercises: { where: { deletedAt: null } } } },
          completions: { where: { userId }, select: { completedAt: true } },
        },
      },
    },
  }) as const;

type OutlineModule = {
  id: string;
  title: string;
  unlockDayOffset: number;
  steps: {
    id: string;
    title: string;
    _count: { exercises: number };
    completions: { completedAt: Date }[];
  }[];
};

/** Modules and steps with done / locked flags, progress and the step to work on. */
export function outline(
  program: ProgramFacts,
  modules: OutlineModule[],
  enrolment: EnrolmentFacts | null,
  now: Date,
  timeZone: string,
) {
  const shaped = modules.map((m) => {
    const unlockAt = moduleUnlockAt(program.pacing, m.unlockDayOffset, enrolment, now, timeZone);
    return {
      id: m.id,
      title: m.title,
      unlockAt,
      locked: unlockAt !== null,
      steps: m.steps.map((s) => ({
        id: s.id,
        title: s.title,
        done: s.completions.length > 0,
        locked: unlockAt !== null,
        unlockAt,
        exerciseCount: s._count.exercises,
      })),
    };
  });
  const steps = shaped.flatMap((m) => m.steps);
  const done = steps.filter((s) => s.done).length;
  return {
    modules: shaped,
    steps,
    progress: { done, total: steps.length },
    currentStepId: enrolment?.currentStepId ?? nextIncompleteStep(steps, null),
  };
}

export const publicAccess = (a: Access) => ({
  canOpen: a.canOpen,
  canAnswer: a.canAnswer,
  reason: a.reason ?? null,
});

const NO_ACCESS = "You do not have access to this program.";

/**
 * Who may see what: without an enrolment only the program's public outline; an enrolled member
 * keeps reading (read-only) after losing access; writing needs `canAnswer`. A program that is
 * not published is NOT_FOUND to everyone who may not open it, so its ids cannot be probed.
 */
export function gate(
  access: Access,
  program: ProgramFacts,
  enrolment: EnrolmentFacts | null,
  mode: "read" | "write",
): asserts enrolment is EnrolmentFacts {
  if (!enrolment) {
    if (!access.canOpen && program.status !== "PUBLISHED") {
      throw new DomainError("NOT_FOUND", "We could not find that.");
    }
    if (!access.canOpen) throw new DomainError("FORBIDDEN", access.reason ?? NO_ACCESS);
    throw new DomainError("PRECONDITION_FAILED", `Enrol in “${program.title}” to open its steps.`);
  }
  if (mode === "write" && !access.canAnswer) {
    throw new DomainError("FORBIDDEN", access.reason ?? NO_ACCESS);
  }
}

export function refuseLocked(unlockAt: Date | null, user: SignedInUser): void {
  if (unlockAt) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      `This module opens on ${formatDate(unlockAt, user.timeZone, "long")}.`,
    );
  }
}

/** One exercise with its step, module and program, gated for the caller. */
export async function loadExercise(
  db: Db,
  user: SignedInUser,
  exerciseId: string,
  mode: "read" | "write",
  now: Date,
) {
  const exercise = await db.exercise.findUnique({
    where: { id: exerciseId },
    select: {
      id: true,
      kind: true,
      prompt: true,
      config: true,
      revision: true,
      revisitAfterDays: true,
      deletedAt: true,
      step: {
        select: {
          id: true,
          title: true,
          module: {
            select: {
              unlockDayOffset: true,
              program: { select: { ...programFacts, enrolments: enrolmentOf(user.id) } },
            },
          },
        },
      },
    },
  });
  if (!exercise || exercise.deletedAt) {
    throw new DomainError("NOT_FOUND", "We could not find that exercise.");
  }
  const program = exercise.step.module.program;
  const enrolment = program.enrolments[0] ?? null;
  const access = await programAccess(db, user, program, now);
  gate(access, program, enrolment, mode);
  refuseLocked(
    moduleUnlockAt(
      program.pacing,
      exercise.step.module.unlockDayOffset,
      enrolment,
      now,
      user.timeZone,
    ),
    user,
  );
  return { exercise, program, enrolment, kind: exercise.kind as ExerciseKindName };
}

/**
 * Serialises a member's writes in one program: the first statement of every transaction that
 * records a pass or completes a step. Without it, two exercises of one step submitted at once
 * each miss the other's answer (READ COMMITTED) and the step never completes, and two
 * completions can overwrite each other's current step. After the lock, every read in the
 * transaction sees what the other finished.
 */
export async function lockEnrolment(
  tx: Prisma.TransactionClient,
  userId: string,
  programId: string,
): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Enrolment" WHERE "userId" = ${userId} AND "programId" = ${programId}
    FOR UPDATE`;
  if (rows.length === 0) throw new DomainError("NOT_FOUND", "You are not enrolled any more.");
}
