import type { z } from "zod";
import type { PersonStatus, Prisma } from "@/generated/prisma/client";
import { addDays, localDay, zonedInstant } from "@/lib/time-zone";
import { recordActivity } from "../activity/service";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/errors";
import { DomainError } from "../errors";
import type { addPersonInput, logReachOutInput, updatePersonInput } from "./schemas";

/** Who the map belongs to: every query is scoped to this user's id. */

export const STATUS_ORDER: PersonStatus[] = ["KEEP", "RECONNECT", "MOVE_ON"];
const EARLIEST_DAY = "1900-01-01";

/** Date-only inputs are stored at local noon: the same calendar day from either side of a DST change. */
export const dayToInstant = (day: string, timeZone: string) => zonedInstant(day, timeZone, 12);

function badFields(fieldErrors: Record<string, string[]>): never {
  throw new DomainError("BAD_REQUEST", "Please correct the highlighted fields.", fieldErrors);
}

/** Date rules need "today" in the member's zone, so they live here rather than in zod. */
function checkDates(
  input: { lastContactAt?: string | null; plannedReachOutAt?: string | null; at?: string },
  today: string,
) {
  const errors: Record<string, string[]> = {};
  for (const key of ["lastContactAt", "at"] as const) {
    const day = input[key];
    if (!day) continue;
    if (day > today) errors[key] = ["This date cannot be in the future."];
    else if (day < EARLIEST_DAY) errors[key] = ["This date is too far in the past."];
  }
  const planned = input.plannedReachOutAt;
  if (planned) {
    if (planned > addDays(today, 730)) {
      errors.plannedReachOutAt = ["Plan a reach-out within the next two years."];
    } else if (planned < addDays(today, -365)) {
      errors.plannedReachOutAt = ["A planned reach-out cannot be more than a year ago."];
    }
  }
  if (Object.keys(errors).length > 0) badFields(errors);
}

const personSelect = {
  id: true,
  name: true,
  circle: true,
  status: true,
  why: true,
  lastContactAt: true,
  plannedReachOutAt: true,
  sourcePassId: true,
  createdAt: true,
  _count: { select: { reachOuts: true } },
  reachOuts: {
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: 1,
    select: { at: true, note: true },
  },
} satisfies Prisma.PersonSelect;

type PersonRow = Prisma.PersonGetPayload<{ select: typeof personSelect }>;

function present(row: PersonRow, timeZone: string, today: string) {
  const plannedDay = row.plannedReachOutAt ? localDay(row.plannedReachOutAt, timeZone) : null;
  return {
    id: row.id,
    name: row.name,
    circle: row.circle,
    status: row.status,
    why: row.why,
    lastContactAt: row.lastContactAt,
    lastContactDay: row.lastContactAt ? localDay(row.lastContactAt, timeZone) : null,
    plannedReachOutAt: row.plannedReachOutAt,
    plannedDay,
    plannedDue: plannedDay !== null && plannedDay <= today,
    fromExercise: row.sourcePassId !== null,
    reachOutCount: row._count.reachOuts,
    latestReachOut: row.reachOuts[0] ?? null,
  };
}
export type MapPerson = ReturnType<typeof present>;

async function findOwned(db: Db | Prisma.TransactionClient, owner: SignedInUser, id: string) {
  const row = await db.person.findFirst({ where: { id, userId: owner.id }, select: personSelect });
  if (!row) throw new DomainError("NOT_FOUND", "No such person in your map.");
  return row;
}

/**
 * `rows` (already in their groups' order) with each group's people ordered by name, then id:
 * what `ORDER BY <group>, name, id` gave before names were sealed.
 */
export function byNameWithinGroups<T extends { id: string; name: string }>(
  rows: T[],
  groupOf: (row: T) => string,
): T[] {
  const group = new Map<string, number>();
  for (const row of rows) {
    const key = groupOf(row);
    if (!group.has(key)) group.set(key, group.size);
  }
  return rows
    .map((row) => ({ row, g: group.get(groupOf(row)) ?? 0 }))
    .sort(
      (a, b) =>
        a.g - b.g ||
        a.row.name.localeCompare(b.row.name, "en") ||
        (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0),
    )
    .map((x) => x.row);
}

/** People per page of the map: each comes with a reach-out form, so a page stays light. */
export const PEOPLE_PAGE = 50;

/**
 * One page of the map, grouped by circle (alphabetical) then status (keep first), with the
 * totals of the whole map: the page, the count per status and the list of circles are three
 * bounded reads whatever the size of the map.
 */
export async function listPeople(
  db: Db,
  owner: SignedInUser,
  input: { page: number } = { page: 0 },
  now = new Date(),
) {
  const today = localDay(now, owner.timeZone);
  const [order, byStatus, circleNames] = await Promise.all([
    // Names are sealed (crypto/sealing.ts): the database orders by circle and status, the names
    // within each are ordered here, then the page's people are read in full.
    db.person.findMany({
      where: { userId: owner.id },
      select: { id: true, circle: true, status: true, name: true },
      orderBy: [{ circle: "asc" }, { status: "asc" }, { id: "asc" }],
    }),
    db.person.groupBy({ by: ["status"], where: { userId: owner.id }, _count: { _all: true } }),
    listCircles(db, owner),
  ]);
  const ids = byNameWithinGroups(order, (p) => `${p.circle}\u0000${p.status}`)
    .slice(input.page * PEOPLE_PAGE, (input.page + 1) * PEOPLE_PAGE + 1)
    .map((p) => p.id);
  const found = await db.person.findMany({
    where: { userId: owner.id, id: { in: ids } },
    select: personSelect,
  });
  const at = new Map(ids.map((id, i) => [id, i]));
  const rows = found.sort((a, b) => (at.get(a.id) ?? 0) - (at.get(b.id) ?? 0));
  const page = rows.slice(0, PEOPLE_PAGE);
  const circles = new Map<string, { circle: string; people: MapPerson[] }>();
  for (const row of page) {
    // Circles typed in different cases are the same circle.
    const key = row.circle.trim().toLocaleLowerCase();
    let entry = circles.get(key);
    if (!entry) {
      entry = { circle: row.circle.trim(), people: [] };
      circles.set(key, entry);
    }
    entry.people.push(present(row, owner.timeZone, today));
  }
  const counts = { KEEP: 0, RECONNECT: 0, MOVE_ON: 0 } as Record<PersonStatus, number>;
  for (const g of byStatus) counts[g.status] = g._count._all;
  return {
    today,
    total: counts.KEEP + counts.RECONNECT + counts.MOVE_ON,
    counts,
    page: input.page,
    hasMore: rows.length > PEOPLE_PAGE,
    circleNames,
    circles: [...circles.values()]
      .sort((a, b) => a.circle.localeCompare(b.circle))
      .map(({ circle, people }) => ({
        circle,
        groups: STATUS_ORDER.map((status) => ({
          status,
          people: people.filter((p) => p.status === status),
        })).filter((g) => g.people.length > 0),
      })),
  };
}

/** The circles the member uses (for the circle field's suggestions), one per spelling ignoring case. */
export async function listCircles(db: Db, owner: SignedInUser): Promise<string[]> {
  const rows = await db.person.groupBy({
    by: ["circle"],
    where: { userId: owner.id },
    orderBy: { circle: "asc" },
    take: 200,
  });
  const seen = new Map<string, string>();
  for (const { circle } of rows) {
    const key = circle.trim().toLocaleLowerCase();
    if (!seen.has(key)) seen.set(key, circle.trim());
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

export async function addPerson(
  db: Db,
  owner: SignedInUser,
  input: z.infer<typeof addPersonInput>,
  now = new Date(),
) {
  const today = localDay(now, owner.timeZone);
  checkDates(input, today);
  // A retry of a press whose first try was recorded (its answer lost) gets that person back.
  const earlier = await addedBy(db, owner, input.requestId);
  if (earlier) return present(earlier, owner.timeZone, today);
  let created: Prisma.PersonGetPayload<{ select: typeof personSelect }>;
  try {
    created = await db.person.create({
      data: {
        userId: owner.id,
        requestId: input.requestId,
        name: input.name,
        circle: input.circle,
        status: input.status,
        why: input.why,
        lastContactAt: input.lastContactAt
          ? dayToInstant(input.lastContactAt, owner.timeZone)
          : null,
        plannedReachOutAt: input.plannedReachOutAt
          ? dayToInstant(input.plannedReachOutAt, owner.timeZone)
          : null,
      },
      select: personSelect,
    });
  } catch (error) {
    // The same press twice at once: the first one's person is the answer to both.
    const raced = isUniqueViolation(error) ? await addedBy(db, owner, input.requestId) : null;
    if (!raced) throw error;
    created = raced;
  }
  return present(created, owner.timeZone, today);
}

function addedBy(db: Db, owner: SignedInUser, requestId: string | undefined) {
  if (!requestId) return null;
  return db.person.findUnique({
    where: { userId_requestId: { userId: owner.id, requestId } },
    select: personSelect,
  });
}

export async function updatePerson(
  db: Db,
  owner: SignedInUser,
  input: z.infer<typeof updatePersonInput>,
  now = new Date(),
) {
  const today = localDay(now, owner.timeZone);
  checkDates(input, today);
  const toInstant = (day: string | null | undefined) =>
    day === undefined ? undefined : day === null ? null : dayToInstant(day, owner.timeZone);
  const { count } = await db.person.updateMany({
    where: { id: input.id, userId: owner.id },
    data: {
      name: input.name,
      circle: input.circle,
      status: input.status,
      why: input.why,
      lastContactAt: toInstant(input.lastContactAt),
      plannedReachOutAt: toInstant(input.plannedReachOutAt),
    },
  });
  if (count === 0) throw new DomainError("NOT_FOUND", "No such person in your map.");
  return present(await findOwned(db, owner, input.id), owner.timeZone, today);
}

export async function removePerson(db: Db, owner: SignedInUser, id: string) {
  const { count } = await db.person.deleteMany({ where: { id, userId: owner.id } });
  if (count === 0) throw new DomainError("NOT_FOUND", "No such person in your map.");
  return { id };
}

/**
 * "I reached out": a log entry, the last contact moves forward (never back, when an older
 * contact is logged late), and a planned reach-out that was due is done.
 */
export async function logReachOut(
  db: Db,
  owner: SignedInUser,
  input: z.infer<typeof logReachOutInput>,
  now = new Date(),
) {
  const today = localDay(now, owner.timeZone);
  checkDates({ at: input.at }, today);
  const at = !input.at || input.at === today ? now : dayToInstant(input.at, owner.timeZone);
  try {
    return await recordReachOut(db, owner, input, { now, today, at });
  } catch (error) {
    // The same press twice at once: the first one's reach-out is the answer to both.
    if (!isUniqueViolation(error) || !input.requestId) throw error;
    return recordReachOut(db, owner, input, { now, today, at });
  }
}

const REACH_OUT_SELECT = { id: true, at: true, note: true } as const;

function recordReachOut(
  db: Db,
  owner: SignedInUser,
  input: z.infer<typeof logReachOutInput>,
  { now, today, at }: { now: Date; today: string; at: Date },
) {
  return db.$transaction(async (tx) => {
    const person = await findOwned(tx, owner, input.personId);
    // A retry of a press whose first try was recorded (its answer lost) gets that entry back.
    if (input.requestId) {
      const earlier = await tx.reachOut.findUnique({
        where: { userId_requestId: { userId: owner.id, requestId: input.requestId } },
        select: REACH_OUT_SELECT,
      });
      if (earlier) return { reachOut: earlier, person: present(person, owner.timeZone, today) };
    }
    const reachOut = await tx.reachOut.create({
      data: {
        personId: person.id,
        userId: owner.id,
        note: input.note,
        at,
        requestId: input.requestId,
      },
      select: REACH_OUT_SELECT,
    });
    // Showing up is when the member logs it, whatever day the contact itself was.
    await recordActivity(tx, owner.id, now, owner.timeZone);
    const plannedDone =
      person.plannedReachOutAt !== null &&
      localDay(person.plannedReachOutAt, owner.timeZone) <= today;
    const updated = await tx.person.update({
      where: { id: person.id },
      data: {
        lastContactAt:
          !person.lastContactAt || person.lastContactAt < at ? at : person.lastContactAt,
        ...(plannedDone ? { plannedReachOutAt: null } : {}),
      },
      select: personSelect,
    });
    return { reachOut, person: present(updated, owner.timeZone, today) };
  });
}

const HISTORY_LIMIT = 200;

export async function personHistory(
  db: Db,
  owner: SignedInUser,
  personId: string,
  now = new Date(),
) {
  const today = localDay(now, owner.timeZone);
  const person = await findOwned(db, owner, personId);
  const reachOuts = await db.reachOut.findMany({
    where: { personId: person.id, userId: owner.id },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: HISTORY_LIMIT,
    select: { id: true, at: true, note: true },
  });
  return {
    today,
    person: present(person, owner.timeZone, today),
    reachOuts: reachOuts.map((r) => ({ ...r, day: localDay(r.at, owner.timeZone) })),
  };
}
