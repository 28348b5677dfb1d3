import type { Prisma } from "@/generated/prisma/client";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";

/**
 * Coach authoring. A coach may touch only programs they author; admins any. Someone else's
 * program, module, step or exercise is NOT_FOUND so ids cannot be probed.
 */
export type Tx = Prisma.TransactionClient;

export const NOT_FOUND = "No such program.";

/** Prisma filter for "a program this actor may author". */
export const ownProgram = (actor: SignedInUser): Prisma.ProgramWhereInput =>
  actor.role === "ADMIN" ? {} : { authorId: actor.id };

export async function requireProgram(db: Db | Tx, actor: SignedInUser, id: string) {
  const program = await db.program.findFirst({ where: { id, ...ownProgram(actor) } });
  if (!program) throw new DomainError("NOT_FOUND", NOT_FOUND);
  return program;
}

export async function requireModule(db: Db | Tx, actor: SignedInUser, id: string) {
  const row = await db.module.findFirst({
    where: { id, program: ownProgram(actor) },
    include: { program: { select: { id: true, status: true, publishedAt: true } } },
  });
  if (!row) throw new DomainError("NOT_FOUND", "No such module.");
  return row;
}

export async function requireStep(db: Db | Tx, actor: SignedInUser, id: string) {
  const row = await db.step.findFirst({
    where: { id, module: { program: ownProgram(actor) } },
    include: { module: { select: { programId: true } } },
  });
  if (!row) throw new DomainError("NOT_FOUND", "No such step.");
  return row;
}

export async function requireExercise(db: Db | Tx, actor: SignedInUser, id: string) {
  const row = await db.exercise.findFirst({
    where: { id, deletedAt: null, step: { module: { program: ownProgram(actor) } } },
    include: {
      step: {
        select: {
          module: { select: { program: { select: { status: true, publishedAt: true } } } },
        },
      },
    },
  });
  if (!row) throw new DomainError("NOT_FOUND", "No such exercise.");
  return row;
}
