import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { dateColumnDay, dayToDateColumn, localDay } from "@/lib/time-zone";
import { recordAudit } from "../audit/service";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/errors";
import type { Env } from "../env";
import { DomainError } from "../errors";
import type { Queue } from "../jobs/queue";
import { queueNudge } from "../nudges/send";
import { ownProgram } from "../programs/ownership";
import { slugify } from "../programs/slugs";
import { managedBy, requireManaged, requireOwner } from "./access";
import { tellRescheduled, tellSeated } from "./notify";
import { cohortStatus } from "./pace";
import { nudgeKey } from "./reads";
import type { createCohortInput, updateCohortInput } from "./schemas";
import { COHORT_LIMITS } from "./schemas";
import { changeCapacity, fillSeats, releaseSeat } from "./seats";

/** Why a coach's nudge was not sent, in words a coach can act on. */
const NUDGE_REASONS: Partial<Record<string, string>> = {
  "already-queued": "Already nudged today.",
  off: "They turned off notes from coaches.",
  suppressed: "Their address is not receiving email.",
  "quiet-weeks": "They are taking a few quiet weeks.",
  capped: "They already had an email from Kindred today.",
  inactive: "Their account is not active.",
};

/** Coaches running cohorts: create, edit, reschedule, close, invite links, facilitators. */

const fieldError = (field: string, message: string) =>
  new DomainError("BAD_REQUEST", "Please correct the highlighted fields.", { [field]: [message] });

function refusePast(startDate: string, timeZone: string, now: Date) {
  if (startDate < localDay(now, timeZone)) {
    throw fieldError(
      "startDate",
      "Choose today or a later day: a cohort cannot start in the past.",
    );
  }
}

async function freeSlug(db: Db, base: string): Promise<string> {
  const taken = new Set(
    (
      await db.cohort.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })
    ).map((c) => c.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

const slugTaken = () => fieldError("slug", "Another cohort has that address; choose another.");

export async function createCohort(
  db: Db,
  actor: SignedInUser,
  input: z.infer<typeof createCohortInput>,
  now = new Date(),
) {
  const program = await db.program.findFirst({
    where: { id: input.programId, ...ownProgram(actor) },
    select: { id: true, status: true, title: true },
  });
  if (!program) throw new DomainError("NOT_FOUND", "No such program.");
  if (program.status === "ARCHIVED") {
    throw new DomainError("PRECONDITION_FAILED", "This program is archived; restore it first.");
  }
  refusePast(input.startDate, input.timeZone, now);
  for (let attempt = 0; ; attempt++) {
    const slug =
      input.slug ?? (await freeSlug(db, slugify(input.name).slice(0, COHORT_LIMITS.slug - 6)));
    try {
      return await db.$transaction(async (tx) => {
        const cohort = await tx.cohort.create({
          data: {
            programId: program.id,
            name: input.name,
            slug,
            startDate: dayToDateColumn(input.startDate),
            timeZone: input.timeZone,
            capacity: input.capacity,
            enrolmentOpen: input.enrolmentOpen,
            createdById: actor.id,
            facilitators: { create: { userId: actor.id } },
          },
          select: { id: true, slug: true },
        });
        await recordAudit(tx, {
          actorId: actor.id,
          action: "cohort.create",
          targetType: "cohort",
          targetId: cohort.id,
          details: { programId: program.id, name: input.name, startDate: input.startDate },
        });
        return cohort;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (input.slug || attempt >= 4) throw slugTaken();
    }
  }
}

export async function updateCohort(
  db: Db,
  queue: () => Promise<Queue>,
  actor: SignedInUser,
  input: z.infer<typeof updateCohortInput>,
  now = new Date(),
) {
  const cohort = await requireManaged(db, actor, input.cohortId);
  if (cohort.finishedAt) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "This cohort has finished; its settings are kept as they were.",
    );
  }
  const startDate = input.startDate ?? dateColumnDay(cohort.startDate);
  const timeZone = input.timeZone ?? cohort.timeZone;
  const moved = startDate !== dateColumnDay(cohort.startDate) || timeZone !== cohort.timeZone;
  if (input.startDate && startDate !== dateColumnDay(cohort.startDate)) {
    refusePast(startDate, timeZone, now);
  }
  let result: { version: number; promoted: string[] };
  try {
    result = await db.$transaction(async (tx) => {
      if (input.capacity !== undefined) await changeCapacity(tx, cohort.id, input.capacity);
      const updated = await tx.cohort.update({
        where: { id: cohort.id },
        data: {
          name: input.name,
          slug: input.slug,
          capacity: input.capacity,
          enrolmentOpen: input.enrolmentOpen,
          ...(moved
            ? {
                startDate: dayToDateColumn(startDate),
                timeZone,
                scheduleVersion: { increment: 1 },
              }
            : {}),
        },
        select: { scheduleVersion: true },
      });
      if (moved) {
        await recordAudit(tx, {
          actorId: actor.id,
          action: "cohort.reschedule",
          targetType: "cohort",
          targetId: cohort.id,
          details: {
            from: { startDate: dateColumnDay(cohort.startDate), timeZone: cohort.timeZone },
            to: { startDate, timeZone },
          },
        });
      }
      const promoted =
        input.capacity !== undefined && input.capacity > cohort.capacity
          ? await fillSeats(tx, cohort.id, now)
          : [];
      return { version: updated.scheduleVersion, promoted };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw slugTaken();
    throw error;
  }
  const q = await queue();
  if (moved) await tellRescheduled(q, cohort.id, result.version);
  await tellSeated(q, cohort.id, result.promoted);
  return { id: cohort.id, rescheduled: moved };
}

/** Finishes a cohort: no more joining, no invite link; its space and members stay readable. */
export async function closeCohort(db: Db, actor: SignedInUser, cohortId: string, now = new Date()) {
  const cohort = await requireManaged(db, actor, cohortId);
  if (cohort.finishedAt) return { id: cohort.id, finishedAt: cohort.finishedAt };
  return db.$transaction(async (tx) => {
    const done = await tx.cohort.update({
      where: { id: cohort.id },
      data: { finishedAt: now, enrolmentOpen: false, inviteToken: null },
      select: { id: true, finishedAt: true },
    });
    // Nobody waits for a seat in a cohort that is over.
    await tx.cohortMember.updateMany({
      where: { cohortId: cohort.id, status: "WAITLISTED" },
      data: { status: "LEFT", leftAt: now },
    });
    await recordAudit(tx, {
      actorId: actor.id,
      action: "cohort.close",
      targetType: "cohort",
      targetId: cohort.id,
    });
    return done;
  });
}

/** A new invite link (the old one stops working). */
export async function createInvite(db: Db, actor: SignedInUser, cohortId: string) {
  const cohort = await requireManaged(db, actor, cohortId);
  if (cohort.finishedAt) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "This cohort has finished; it takes no new members.",
    );
  }
  const token = randomBytes(24).toString("base64url");
  await db.cohort.update({ where: { id: cohort.id }, data: { inviteToken: token } });
  return { token };
}

export async function revokeInvite(db: Db, actor: SignedInUser, cohortId: string) {
  const cohort = await requireManaged(db, actor, cohortId);
  await db.cohort.update({ where: { id: cohort.id }, data: { inviteToken: null } });
  return { revoked: true };
}

export async function addFacilitator(
  db: Db,
  actor: SignedInUser,
  input: { cohortId: string; email: string },
) {
  const cohort = await requireManaged(db, actor, input.cohortId);
  requireOwner(actor, cohort);
  const coach = await db.user.findFirst({
    where: {
      email: { equals: input.email, mode: "insensitive" },
      role: { in: ["COACH", "ADMIN"] },
      deactivatedAt: null,
    },
    select: { id: true, name: true, email: true },
  });
  if (!coach) throw fieldError("email", "No coach has that email address.");
  await db.cohortFacilitator.upsert({
    where: { cohortId_userId: { cohortId: cohort.id, userId: coach.id } },
    create: { cohortId: cohort.id, userId: coach.id },
    update: {},
  });
  return { userId: coach.id, name: coach.name ?? coach.email };
}

export async function removeFacilitator(
  db: Db,
  actor: SignedInUser,
  input: { cohortId: string; userId: string },
) {
  const cohort = await requireManaged(db, actor, input.cohortId);
  requireOwner(actor, cohort);
  const { count } = await db.cohortFacilitator.deleteMany({
    where: { cohortId: cohort.id, userId: input.userId },
  });
  if (count === 0)
    throw new DomainError("NOT_FOUND", "That coach does not facilitate this cohort.");
  return { removed: true };
}

export async function removeMember(
  db: Db,
  queue: () => Promise<Queue>,
  actor: SignedInUser,
  input: { cohortId: string; userId: string },
  now = new Date(),
) {
  const cohort = await requireManaged(db, actor, input.cohortId);
  const promoted = await releaseSeat(db, input.userId, cohort.id, "REMOVED", now, (tx) =>
    recordAudit(tx, {
      actorId: actor.id,
      action: "cohort.remove-member",
      targetType: "cohort",
      targetId: cohort.id,
      targetUserId: input.userId,
    }),
  );
  await tellSeated(await queue(), cohort.id, promoted);
  return { removed: true };
}

export const COACH_LIST_LIMIT = 100;

/** The cohorts a coach runs (all of them for admins), newest start first. */
export async function coachCohorts(db: Db, actor: SignedInUser, now = new Date()) {
  const rows = await db.cohort.findMany({
    where: managedBy(actor),
    orderBy: [{ startDate: "desc" }, { id: "asc" }],
    take: COACH_LIST_LIMIT,
    select: {
      id: true,
      name: true,
      slug: true,
      startDate: true,
      timeZone: true,
      capacity: true,
      enrolmentOpen: true,
      finishedAt: true,
      program: { select: { id: true, title: true } },
    },
  });
  const counts = rows.length
    ? await db.cohortMember.groupBy({
        by: ["cohortId", "status"],
        where: {
          cohortId: { in: rows.map((r) => r.id) },
          status: { in: ["ACTIVE", "WAITLISTED"] },
        },
        _count: { _all: true },
      })
    : [];
  const count = (id: string, status: string) =>
    counts.find((c) => c.cohortId === id && c.status === status)?._count._all ?? 0;
  const programs = await db.program.findMany({
    where: { ...ownProgram(actor), status: { not: "ARCHIVED" } },
    orderBy: { title: "asc" },
    take: 200,
    select: { id: true, title: true },
  });
  return {
    cohorts: rows.map((r) => ({
      ...r,
      startDay: dateColumnDay(r.startDate),
      status: cohortStatus(r, now),
      members: count(r.id, "ACTIVE"),
      waitlisted: count(r.id, "WAITLISTED"),
    })),
    programs,
  };
}

/**
 * A kind email from the coach to one member, through the mailer's queue. At most one per member,
 * cohort and day: the dedupe key names the day, so a second click (or two coaches at once) sends
 * nothing new and says so.
 */
export async function nudgeMember(
  db: Db,
  queue: () => Promise<Queue>,
  env: Env,
  actor: SignedInUser,
  input: { cohortId: string; userId: string },
  now = new Date(),
) {
  const cohort = await requireManaged(db, actor, input.cohortId);
  const seat = await db.cohortMember.findUnique({
    where: { cohortId_userId: { cohortId: cohort.id, userId: input.userId } },
    select: { status: true, user: { select: { email: true, name: true } } },
  });
  if (seat?.status !== "ACTIVE") {
    throw new DomainError("NOT_FOUND", "That member is not in this cohort.");
  }
  const coach = await db.user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { name: true },
  });
  // A nudge like any other: the member's preferences, quiet hours and daily cap decide.
  const outcome = await queueNudge(db, env, await queue(), {
    userId: input.userId,
    category: "cohort-nudge",
    dedupeKey: nudgeKey(cohort.id, input.userId, now, cohort.timeZone),
    now,
    template: (links, member) => ({
      kind: "cohort-nudge",
      name: member.name,
      coachName: coach.name ?? "Your coach",
      cohortName: cohort.name,
      url: `${env.appUrl}/app/cohorts/${cohort.slug}`,
      appUrl: env.appUrl,
      links,
    }),
  });
  const created = outcome.status === "queued";
  if (created) {
    await recordAudit(db, {
      actorId: actor.id,
      action: "cohort.nudge",
      targetType: "cohort",
      targetId: cohort.id,
      targetUserId: input.userId,
    });
  }
  return { sent: created, reason: NUDGE_REASONS[outcome.status] ?? null };
}
