import type { z } from "zod";
import type { CommitmentStatus, Prisma } from "@/generated/prisma/client";
import { addDays, dateColumnDay, dayToDateColumn, localDay } from "@/lib/time-zone";
import { recordActivity } from "../activity/service";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/errors";
import { DomainError } from "../errors";
import type { checkInInput, createCommitmentInput } from "./schemas";

const MAX_AHEAD_DAYS = 730;
const DONE_LIMIT = 50;

const commitmentSelect = {
  id: true,
  text: true,
  dueOn: true,
  status: true,
  sourcePassId: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.CommitmentSelect;
type Row = Prisma.CommitmentGetPayload<{ select: typeof commitmentSelect }>;

export type Timing = "open" | "due" | "overdue" | "done";

/** "Due" is today and "overdue" before today, both in the member's own calendar. */
export function timingOf(status: CommitmentStatus, dueDay: string, today: string): Timing {
  if (status === "DONE") return "done";
  if (dueDay < today) return "overdue";
  if (dueDay === today) return "due";
  return "open";
}

function present(row: Row, today: string) {
  const dueDay = dateColumnDay(row.dueOn);
  return { ...row, dueDay, timing: timingOf(row.status, dueDay, today) };
}
export type CommitmentView = ReturnType<typeof present>;

function checkDueDay(field: string, day: string, today: string) {
  const message =
    day < today
      ? "Pick today or a later day."
      : day > addDays(today, MAX_AHEAD_DAYS)
        ? "Pick a day within the next two years."
        : null;
  if (message) {
    throw new DomainError("BAD_REQUEST", "Please correct the highlighted fields.", {
      [field]: [message],
    });
  }
}

/** Commitments still to do, a page at a time (soonest due first). */
export const ACTIVE_PAGE = 50;

/**
 * Overdue, due and open commitments (a page of them, soonest due first) and the latest done
 * ones: two bounded queries whatever the history.
 */
export async function listCommitments(
  db: Db,
  owner: SignedInUser,
  input: { page: number } = { page: 0 },
  now = new Date(),
) {
  const today = localDay(now, owner.timeZone);
  const [activeRows, done] = await Promise.all([
    db.commitment.findMany({
      where: { userId: owner.id, status: { not: "DONE" } },
      orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      skip: input.page * ACTIVE_PAGE,
      take: ACTIVE_PAGE + 1,
      select: commitmentSelect,
    }),
    db.commitment.findMany({
      where: { userId: owner.id, status: "DONE" },
      orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
      take: DONE_LIMIT,
      select: commitmentSelect,
    }),
  ]);
  const views = activeRows.slice(0, ACTIVE_PAGE).map((r) => present(r, today));
  return {
    today,
    page: input.page,
    hasMore: activeRows.length > ACTIVE_PAGE,
    overdue: views.filter((v) => v.timing === "overdue"),
    due: views.filter((v) => v.timing === "due"),
    open: views.filter((v) => v.timing === "open"),
    done: done.map((r) => present(r, today)),
  };
}

export async function createCommitment(
  db: Db,
  owner: SignedInUser,
  input: z.infer<typeof createCommitmentInput>,
  now = new Date(),
) {
  const today = localDay(now, owner.timeZone);
  checkDueDay("dueOn", input.dueOn, today);
  const row = await db.commitment.create({
    data: { userId: owner.id, text: input.text, dueOn: dayToDateColumn(input.dueOn) },
    select: commitmentSelect,
  });
  return present(row, today);
}

/**
 * A check-in records the outcome with its note and becomes the commitment's status. "Not yet"
 * may move the due day forward; "changed" may also reword it. A done commitment is closed.
 */
export async function checkIn(
  db: Db,
  owner: SignedInUser,
  input: z.infer<typeof checkInInput>,
  now = new Date(),
) {
  const today = localDay(now, owner.timeZone);
  if (input.newDueOn) checkDueDay("newDueOn", input.newDueOn, today);
  try {
    return await recordCheckIn(db, owner, input, now, today);
  } catch (error) {
    // The same press twice at once: the first one's check-in is the answer to both.
    if (!isUniqueViolation(error) || !input.requestId) throw error;
    return recordCheckIn(db, owner, input, now, today);
  }
}

const CHECK_IN_SELECT = { id: true, outcome: true, note: true, createdAt: true } as const;

async function recordCheckIn(
  db: Db,
  owner: SignedInUser,
  input: z.infer<typeof checkInInput>,
  now: Date,
  today: string,
) {
  return db.$transaction(async (tx) => {
    const current = await tx.commitment.findFirst({
      where: { id: input.id, userId: owner.id },
      select: { id: true, status: true },
    });
    if (!current) throw new DomainError("NOT_FOUND", "No such commitment.");
    // A retry of a press whose first try was recorded (its answer lost on the way) gets that
    // check-in back, even when it closed the commitment.
    if (input.requestId) {
      const earlier = await tx.commitmentCheckIn.findUnique({
        where: {
          commitmentId_requestId: { commitmentId: current.id, requestId: input.requestId },
        },
        select: CHECK_IN_SELECT,
      });
      if (earlier) {
        const row = await tx.commitment.findUniqueOrThrow({
          where: { id: current.id },
          select: commitmentSelect,
        });
        return { checkIn: earlier, commitment: present(row, today) };
      }
    }
    if (current.status === "DONE") {
      throw new DomainError("PRECONDITION_FAILED", "This commitment is already done.");
    }
    const checkInRow = await tx.commitmentCheckIn.create({
      data: {
        commitmentId: current.id,
        outcome: input.outcome,
        note: input.note,
        createdAt: now,
        requestId: input.requestId,
      },
      select: CHECK_IN_SELECT,
    });
    await recordActivity(tx, owner.id, now, owner.timeZone);
    const row = await tx.commitment.update({
      where: { id: current.id },
      data: {
        status: input.outcome,
        ...(input.newDueOn ? { dueOn: dayToDateColumn(input.newDueOn) } : {}),
        ...(input.outcome === "CHANGED" && input.newText ? { text: input.newText } : {}),
      },
      select: commitmentSelect,
    });
    return { checkIn: checkInRow, commitment: present(row, today) };
  });
}

export async function commitmentHistory(db: Db, owner: SignedInUser, id: string, now = new Date()) {
  const row = await db.commitment.findFirst({
    where: { id, userId: owner.id },
    select: {
      ...commitmentSelect,
      checkIns: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true, outcome: true, note: true, createdAt: true },
      },
    },
  });
  if (!row) throw new DomainError("NOT_FOUND", "No such commitment.");
  const { checkIns, ...commitment } = row;
  const today = localDay(now, owner.timeZone);
  return { today, commitment: present(commitment, today), checkIns };
}
