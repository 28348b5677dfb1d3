import type { Db } from "../db";
import { DomainError } from "../errors";
import { ensureNudgeSettings } from "../nudges/preferences";
import { lockCohort, NO_COHORT, type Tx } from "./access";

/**
 * Seats. Every change of a cohort's membership runs in a transaction that first locks the
 * cohort's row (`lockCohort`), so the count of ACTIVE members read after it is exact: a cohort
 * never holds more than its capacity, however many members race for the last seat, and the
 * waitlist is served in the order its members arrived under that lock.
 */

export type SeatOutcome = { status: "ACTIVE" | "WAITLISTED"; position: number | null };

const TX = { maxWait: 15_000, timeout: 15_000 } as const;

/** The first step of a program, where a new enrolment starts. */
async function firstStepId(tx: Tx, programId: string): Promise<string | null> {
  const step = await tx.step.findFirst({
    where: { module: { programId } },
    orderBy: [{ module: { position: "asc" } }, { position: "asc" }],
    select: { id: true },
  });
  return step?.id ?? null;
}

/** Enrols (or moves an existing enrolment) onto the cohort's schedule. */
async function seat(tx: Tx, userId: string, cohortId: string, programId: string, now: Date) {
  await tx.enrolment.upsert({
    where: { userId_programId: { userId, programId } },
    create: {
      userId,
      programId,
      cohortId,
      currentStepId: await firstStepId(tx, programId),
      createdAt: now,
    },
    update: { cohortId },
  });
  await ensureNudgeSettings(tx, userId, now);
}

async function unseat(tx: Tx, userId: string, cohortId: string, programId: string) {
  await tx.enrolment.updateMany({
    where: { userId, programId, cohortId },
    data: { cohortId: null },
  });
}

async function activeCount(tx: Tx, cohortId: string) {
  return tx.cohortMember.count({ where: { cohortId, status: "ACTIVE" } });
}

async function waitlistPosition(tx: Tx, cohortId: string, queuePosition: number) {
  return (
    (await tx.cohortMember.count({
      where: { cohortId, status: "WAITLISTED", queuePosition: { lt: queuePosition } },
    })) + 1
  );
}

/**
 * Promotes waitlisted members, in order, into the seats free now (after someone left, was
 * removed, or the capacity grew). Returns who got a seat, so the caller can tell them.
 */
export async function fillSeats(tx: Tx, cohortId: string, now: Date): Promise<string[]> {
  const cohort = await lockCohort(tx, cohortId);
  if (cohort.finishedAt) return [];
  const free = cohort.capacity - (await activeCount(tx, cohortId));
  if (free <= 0) return [];
  const next = await tx.cohortMember.findMany({
    where: { cohortId, status: "WAITLISTED" },
    orderBy: { queuePosition: "asc" },
    take: free,
    select: { id: true, userId: true },
  });
  for (const m of next) {
    await tx.cohortMember.update({
      where: { id: m.id },
      data: { status: "ACTIVE", joinedAt: now },
    });
    await seat(tx, m.userId, cohortId, cohort.programId, now);
  }
  return next.map((m) => m.userId);
}

/**
 * Takes a seat, or a place on the waitlist when the cohort is full. Idempotent: joining again
 * returns the place already held. A member is in at most one cohort of a program at a time.
 */
export async function takeSeat(
  db: Db,
  userId: string,
  cohortId: string,
  via: "program" | "invite",
  now: Date,
): Promise<SeatOutcome> {
  return db.$transaction(async (tx) => {
    const cohort = await lockCohort(tx, cohortId);
    if (cohort.finishedAt) {
      throw new DomainError("PRECONDITION_FAILED", "This cohort has finished.");
    }
    const mine = await tx.cohortMember.findUnique({
      where: { cohortId_userId: { cohortId, userId } },
      select: { id: true, status: true, queuePosition: true },
    });
    if (mine?.status === "ACTIVE") return { status: "ACTIVE", position: null };
    if (mine?.status === "WAITLISTED") {
      return {
        status: "WAITLISTED",
        position: await waitlistPosition(tx, cohortId, mine.queuePosition),
      };
    }
    if (mine?.status === "REMOVED") {
      throw new DomainError("FORBIDDEN", "A coach removed you from this cohort.");
    }
    if (via === "program" && !cohort.enrolmentOpen) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        "Enrolment in this cohort is closed. Ask its coach for an invite link.",
      );
    }
    // One cohort per program: checked under a lock on the member and program, so two joins of
    // two cohorts at once cannot both pass.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`cohort-member:${userId}:${cohort.programId}`}, 0))`;
    const elsewhere = await tx.cohortMember.findFirst({
      where: {
        userId,
        status: { in: ["ACTIVE", "WAITLISTED"] },
        cohortId: { not: cohortId },
        cohort: { programId: cohort.programId },
      },
      select: { cohort: { select: { name: true } } },
    });
    if (elsewhere) {
      throw new DomainError(
        "CONFLICT",
        `You are already in “${elsewhere.cohort.name}” for this program. Leave it first to join another.`,
      );
    }
    const last = await tx.cohortMember.aggregate({
      where: { cohortId },
      _max: { queuePosition: true },
    });
    const queuePosition = (last._max.queuePosition ?? 0) + 1;
    const full = (await activeCount(tx, cohortId)) >= cohort.capacity;
    const status = full ? "WAITLISTED" : "ACTIVE";
    const data = { status, queuePosition, joinedAt: full ? null : now, leftAt: null } as const;
    if (mine) await tx.cohortMember.update({ where: { id: mine.id }, data });
    else await tx.cohortMember.create({ data: { cohortId, userId, ...data, createdAt: now } });
    if (!full) {
      await seat(tx, userId, cohortId, cohort.programId, now);
      return { status: "ACTIVE", position: null };
    }
    return { status: "WAITLISTED", position: await waitlistPosition(tx, cohortId, queuePosition) };
  }, TX);
}

/**
 * Gives a seat (or a waitlist place) up: the member leaves, or a coach removes them. The
 * member's answers stay theirs; their enrolment goes back to their own pace. Returns who was
 * promoted into the freed seat.
 */
export async function releaseSeat(
  db: Db,
  userId: string,
  cohortId: string,
  to: "LEFT" | "REMOVED",
  now: Date,
  audit?: (tx: Tx) => Promise<void>,
): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const cohort = await lockCohort(tx, cohortId);
    const mine = await tx.cohortMember.findUnique({
      where: { cohortId_userId: { cohortId, userId } },
      select: { id: true, status: true },
    });
    if (!mine || mine.status === "LEFT" || mine.status === "REMOVED") {
      if (to === "LEFT") return [];
      throw new DomainError("NOT_FOUND", "That member is not in this cohort.");
    }
    await tx.cohortMember.update({ where: { id: mine.id }, data: { status: to, leftAt: now } });
    if (mine.status === "ACTIVE") await unseat(tx, userId, cohortId, cohort.programId);
    await audit?.(tx);
    return mine.status === "ACTIVE" ? fillSeats(tx, cohortId, now) : [];
  }, TX);
}

export async function changeCapacity(tx: Tx, cohortId: string, capacity: number) {
  await lockCohort(tx, cohortId);
  const active = await activeCount(tx, cohortId);
  if (capacity < active) {
    throw new DomainError("BAD_REQUEST", "Please correct the highlighted fields.", {
      capacity: [
        `${active} ${active === 1 ? "member has" : "members have"} a seat; the capacity cannot be lower.`,
      ],
    });
  }
}

export { NO_COHORT };
