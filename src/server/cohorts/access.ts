import type { Prisma } from "@/generated/prisma/client";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";

export type Tx = Prisma.TransactionClient;

export const NO_COHORT = "We could not find that cohort.";

/**
 * Who runs a cohort: the program's author, the cohort's facilitators, and admins. Anyone else
 * gets NOT_FOUND for its id, so cohort ids cannot be probed.
 */
export const managedBy = (actor: SignedInUser): Prisma.CohortWhereInput =>
  actor.role === "ADMIN"
    ? {}
    : {
        OR: [{ program: { authorId: actor.id } }, { facilitators: { some: { userId: actor.id } } }],
      };

export const cohortFacts = {
  id: true,
  programId: true,
  name: true,
  slug: true,
  startDate: true,
  timeZone: true,
  capacity: true,
  enrolmentOpen: true,
  inviteToken: true,
  scheduleVersion: true,
  finishedAt: true,
  program: { select: { id: true, title: true, slug: true, authorId: true, pacing: true } },
} as const;

export async function requireManaged(db: Db | Tx, actor: SignedInUser, cohortId: string) {
  const cohort = await db.cohort.findFirst({
    where: { id: cohortId, ...managedBy(actor) },
    select: cohortFacts,
  });
  if (!cohort) throw new DomainError("NOT_FOUND", NO_COHORT);
  return cohort;
}

/** Only the program's author and admins choose who facilitates. */
export function requireOwner(actor: SignedInUser, cohort: { program: { authorId: string } }) {
  if (actor.role !== "ADMIN" && cohort.program.authorId !== actor.id) {
    throw new DomainError("FORBIDDEN", "Only the program's author chooses the facilitators.");
  }
}

/** Serialises every change of a cohort's seats: the first statement of those transactions. */
export async function lockCohort(tx: Tx, cohortId: string) {
  const rows = await tx.$queryRaw<
    { capacity: number; finishedAt: Date | null; enrolmentOpen: boolean; programId: string }[]
  >`SELECT "capacity", "finishedAt", "enrolmentOpen", "programId"
      FROM "Cohort" WHERE "id" = ${cohortId} FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new DomainError("NOT_FOUND", NO_COHORT);
  return row;
}
