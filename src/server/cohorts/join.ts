import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import type { Queue } from "../jobs/queue";
import { NO_COHORT } from "./access";
import { tellSeated } from "./notify";
import { cohortIdForToken } from "./reads";
import { releaseSeat, takeSeat } from "./seats";

/**
 * Joining goes through the entitlement service like enrolling does (billing plugs paid seats
 * in there): a member who may not answer in the program cannot take a seat. A cohort of a
 * program the caller may not see is NOT_FOUND.
 */
async function joinable(db: Db, user: SignedInUser, cohortId: string, now: Date) {
  const cohort = await db.cohort.findUnique({
    where: { id: cohortId },
    select: {
      id: true,
      slug: true,
      program: { select: { id: true, status: true, accessRule: true, authorId: true } },
    },
  });
  if (!cohort) throw new DomainError("NOT_FOUND", NO_COHORT);
  const access = await programAccess(db, user, cohort.program, now);
  if (!access.canAnswer) {
    if (!access.canOpen && cohort.program.status !== "PUBLISHED") {
      throw new DomainError("NOT_FOUND", NO_COHORT);
    }
    throw new DomainError("FORBIDDEN", access.reason ?? "You do not have access to this program.");
  }
  return cohort;
}

export async function joinCohort(db: Db, user: SignedInUser, cohortId: string, now = new Date()) {
  const cohort = await joinable(db, user, cohortId, now);
  return { slug: cohort.slug, ...(await takeSeat(db, user.id, cohort.id, "program", now)) };
}

export async function joinByInvite(db: Db, user: SignedInUser, token: string, now = new Date()) {
  const cohort = await joinable(db, user, await cohortIdForToken(db, token), now);
  return { slug: cohort.slug, ...(await takeSeat(db, user.id, cohort.id, "invite", now)) };
}

/** Leaving is always allowed; the freed seat goes to the first person waiting. */
export async function leaveCohort(
  db: Db,
  queue: () => Promise<Queue>,
  user: SignedInUser,
  cohortId: string,
  now = new Date(),
) {
  const exists = await db.cohortMember.findUnique({
    where: { cohortId_userId: { cohortId, userId: user.id } },
    select: { id: true },
  });
  if (!exists) throw new DomainError("NOT_FOUND", NO_COHORT);
  const promoted = await releaseSeat(db, user.id, cohortId, "LEFT", now);
  await tellSeated(await queue(), cohortId, promoted);
  return { left: true };
}
