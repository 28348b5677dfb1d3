import { Prisma } from "@/generated/prisma/client";
import { dateColumnDay, localDay } from "@/lib/time-zone";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import { cohortDayStart, moduleUnlockAt } from "../player/logic";
import { type RequestReads, readOnce } from "../trpc/request-reads";
import { cohortFacts, NO_COHORT, requireManaged } from "./access";
import { catchUpPlan, cohortStatus, DRIFT, driftNeedsRecent, driftOf } from "./pace";
import { COHORT_LIMITS } from "./schemas";

const INVITE_GONE = "This invite link is not valid any more. Ask your coach for a new one.";

async function seatCounts(db: Db, cohortId: string) {
  const rows = await db.cohortMember.groupBy({
    by: ["status"],
    where: { cohortId, status: { in: ["ACTIVE", "WAITLISTED"] } },
    _count: { _all: true },
  });
  const of = (s: string) => rows.find((r) => r.status === s)?._count._all ?? 0;
  return { members: of("ACTIVE"), waitlisted: of("WAITLISTED") };
}

export const SESSIONS_SHOWN = 20;

/** Live sessions from a day ago on (so today's stays visible while it runs), soonest first. */
function upcomingSessions(db: Db, cohortId: string, now: Date, withCancelled: boolean) {
  return db.liveSession.findMany({
    where: {
      cohortId,
      startsAt: { gte: new Date(now.getTime() - 86_400_000) },
      ...(withCancelled ? {} : { cancelledAt: null }),
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: SESSIONS_SHOWN,
    select: {
      id: true,
      title: true,
      startsAt: true,
      durationMinutes: true,
      joinUrl: true,
      cancelledAt: true,
    },
  });
}

/**
 * The cohort a coach manages, read once for the request's queries (the coach's cohort page asks
 * for its settings and its roster together).
 */
function managedOnce(db: Db, actor: SignedInUser, cohortId: string, reads?: RequestReads) {
  return readOnce(reads, `managed:${actor.id}:${cohortId}`, () =>
    requireManaged(db, actor, cohortId),
  );
}

/** The coach's settings view of one cohort. */
export async function manageCohort(
  db: Db,
  actor: SignedInUser,
  cohortId: string,
  { now = new Date(), reads }: { now?: Date; reads?: RequestReads } = {},
) {
  const cohort = await managedOnce(db, actor, cohortId, reads);
  const [facilitators, counts, modules, sessions] = await Promise.all([
    db.cohortFacilitator.findMany({
      where: { cohortId },
      orderBy: { createdAt: "asc" },
      select: { user: { select: { id: true, name: true, email: true } } },
    }),
    seatCounts(db, cohortId),
    programModules(db, cohort.programId, reads),
    upcomingSessions(db, cohortId, now, true),
  ]);
  return {
    ...cohort,
    sessions,
    startDay: dateColumnDay(cohort.startDate),
    status: cohortStatus(cohort, now),
    canChooseFacilitators: actor.role === "ADMIN" || cohort.program.authorId === actor.id,
    facilitators: facilitators.map((f) => ({
      userId: f.user.id,
      name: f.user.name ?? f.user.email,
      email: f.user.email,
    })),
    ...counts,
    schedule: modules.map((m) => {
      const offset = Math.max(0, m.unlockDayOffset);
      return { id: m.id, title: m.title, day: offset, opensAt: cohortDayStart(cohort, offset) };
    }),
  };
}

/** The later of the activity aggregate's instant and the last completed step. */
function latestAt(activity: Date | null | undefined, stepAt: number | undefined): Date | null {
  const t = Math.max(activity?.getTime() ?? 0, stepAt ?? 0);
  return t > 0 ? new Date(t) : null;
}

/** The later of the activity aggregate's day and the last completed step's day (cohort's zone). */
function latestDay(activityDay: string | null, stepAt: number | undefined, zone: string) {
  const stepDay = stepAt ? localDay(new Date(stepAt), zone) : null;
  if (!activityDay) return stepDay;
  if (!stepDay) return activityDay;
  return stepDay > activityDay ? stepDay : activityDay;
}

export type RosterSort = "joined" | "name" | "lastActive" | "progress";
export type RosterFilter = "all" | "drifting" | "waitlisted";

type RosterCohort = { id: string; programId: string; timeZone: string };

/**
 * Everyone in the cohort (members, then the waitlist) with the facts every sort, filter and
 * count needs, in one statement over the counts kept on write (ProgramProgress: steps done and
 * answers in the program, the last step's time; MemberActivity: the last active day): one small
 * row per member, none of their history read. Steps done count for members only, as on the
 * roster since it exists: a waitlisted member's are not shown. Then the recent actions of the
 * members whose drifting flag depends on them (`driftNeedsRecent`), through the window's indexes.
 */
async function rosterRows(db: Db, cohort: RosterCohort, now: Date) {
  const rows = await db.$queryRaw<
    {
      userId: string;
      status: "ACTIVE" | "WAITLISTED";
      since: Date;
      name: string | null;
      email: string;
      activityDay: string | null;
      activityAt: Date | null;
      stepsDone: number;
      lastStepAt: Date | null;
      answers: number;
    }[]
  >`
    SELECT c."userId", c."status"::text AS "status", coalesce(c."joinedAt", c."createdAt") AS "since",
           u."name", u."email", to_char(a."lastActiveDay", 'YYYY-MM-DD') AS "activityDay",
           a."lastActiveAt" AS "activityAt", coalesce(p."stepsDone", 0)::int AS "stepsDone",
           p."lastStepAt", coalesce(p."answers", 0)::int AS "answers"
      FROM "CohortMember" c
      JOIN "User" u ON u."id" = c."userId"
      LEFT JOIN "MemberActivity" a ON a."userId" = c."userId"
      LEFT JOIN "ProgramProgress" p ON p."userId" = c."userId" AND p."programId" = ${cohort.programId}
     WHERE c."cohortId" = ${cohort.id} AND c."status" IN ('ACTIVE', 'WAITLISTED')
     ORDER BY c."status", c."queuePosition", c."id"`;
  let waitPosition = 0;
  const members = rows.map((r) => {
    const active = r.status === "ACTIVE";
    const stepAt = active ? r.lastStepAt?.getTime() : undefined;
    const facts = {
      since: r.since,
      lastActiveAt: latestAt(r.activityAt, stepAt),
      actions: active ? r.stepsDone + r.answers : 0,
    };
    return {
      userId: r.userId,
      name: r.name ?? r.email,
      email: r.email,
      status: r.status,
      since: r.since,
      waitPosition: active ? null : ++waitPosition,
      lastActiveDay: latestDay(r.activityDay, stepAt, cohort.timeZone),
      stepsDone: active ? r.stepsDone : 0,
      facts,
      needsRecent: active && driftNeedsRecent(facts, now),
    };
  });
  const asked = members.filter((m) => m.needsRecent).map((m) => m.userId);
  const recentFrom = new Date(now.getTime() - DRIFT.recentDays * 86_400_000);
  // Steps completed and answers given in the window, in the program: the answers through their
  // (userId, createdAt) index, the completions through the member's own (userId, stepId) ones.
  const recent = asked.length
    ? await db.$queryRaw<{ userId: string; n: number }[]>`
        SELECT q."userId",
               ((SELECT count(*) FROM "StepCompletion" sc
                   JOIN "Step" s ON s."id" = sc."stepId"
                   JOIN "Module" m ON m."id" = s."moduleId"
                  WHERE sc."userId" = q."userId" AND sc."completedAt" >= ${recentFrom}
                    AND m."programId" = ${cohort.programId})
              + (SELECT count(*) FROM "AnswerPass" a
                  WHERE a."userId" = q."userId" AND a."createdAt" >= ${recentFrom}
                    AND a."programId" = ${cohort.programId}))::int AS "n"
          FROM unnest(${asked}::text[]) AS q("userId")`
    : [];
  const recentBy = new Map(recent.map((r) => [r.userId, r.n]));
  return members.map(({ facts, needsRecent: _, ...m }) => ({
    ...m,
    drift:
      m.status === "ACTIVE"
        ? driftOf({ ...facts, recentActions: recentBy.get(m.userId) ?? 0 }, now)
        : null,
  }));
}

/**
 * The program's modules, in order, with their unlock day and step counts: the settings' schedule
 * and the roster's columns, read once for the request's queries.
 */
function programModules(db: Db, programId: string, reads?: RequestReads) {
  return readOnce(reads, `modules:${programId}`, () =>
    db.module.findMany({
      where: { programId },
      orderBy: { position: "asc" },
      select: { id: true, title: true, unlockDayOffset: true, _count: { select: { steps: true } } },
    }),
  );
}

/**
 * Steps done per module for these members (a page of the roster, or all of it for the export):
 * their completions in the program, through the (userId, stepId) index. Waitlisted members show
 * none (see `rosterRows`).
 */
async function withModuleCells<
  M extends { userId: string; status: "ACTIVE" | "WAITLISTED"; stepsDone: number },
>(db: Db, programId: string, modules: Awaited<ReturnType<typeof programModules>>, members: M[]) {
  const ids = members.filter((m) => m.status === "ACTIVE").map((m) => m.userId);
  const done = ids.length
    ? await db.$queryRaw<{ userId: string; moduleId: string; done: number }[]>`
        SELECT sc."userId", s."moduleId", count(*)::int AS "done"
          FROM "StepCompletion" sc
          JOIN "Step" s ON s."id" = sc."stepId"
          JOIN "Module" m ON m."id" = s."moduleId"
         WHERE m."programId" = ${programId} AND sc."userId" = ANY(${ids})
         GROUP BY sc."userId", s."moduleId"`
    : [];
  const doneBy = new Map(done.map((d) => [`${d.userId}:${d.moduleId}`, d.done]));
  return members.map((m) => ({
    ...m,
    modules: modules.map((mod) => ({
      moduleId: mod.id,
      done: doneBy.get(`${m.userId}:${mod.id}`) ?? 0,
      total: mod._count.steps,
    })),
  }));
}

/**
 * Everyone in the cohort with the facts the coach's view needs, computed from counts and dates
 * only: steps done per module, last active day, and the drifting flag (from answers and steps
 * recently and in all). The CSV export's rows; the roster page reads `rosterRows` and the
 * per-module cells of its page only. A fixed number of statements whatever the cohort's size.
 */
export async function rosterFacts(db: Db, cohort: RosterCohort, now: Date) {
  const [modules, rows] = await Promise.all([
    programModules(db, cohort.programId),
    rosterRows(db, cohort, now),
  ]);
  return {
    modules: modules.map((m) => ({ id: m.id, title: m.title, steps: m._count.steps })),
    members: await withModuleCells(db, cohort.programId, modules, rows),
  };
}

const collator = new Intl.Collator("en");

/** How many of a member's latest action instants ProgramProgress keeps (its migration's 32). */
const LATEST_ACTIONS = 32;

/** Milliseconds since the epoch of a timestamp(3), exactly, as JavaScript's Date.getTime(). */
const msOf = (column: string) => Prisma.raw(`(extract(epoch FROM ${column}) * 1000)::float8`);

type PagedRow = {
  userId: string;
  name: string;
  email: string;
  status: "ACTIVE" | "WAITLISTED";
  since: Date;
  activityDay: string | null;
  lastStepAt: Date | null;
  stepsDone: number;
  waitPosition: number | null;
  reason: "quiet" | "slower" | "" | null;
  quietDays: number | null;
  all: number;
  waitlisted: number;
  drifting: number;
  nudgedToday: boolean;
};

/**
 * The roster's one statement: the counts (everyone, drifting, waitlisted) and the members the
 * filter keeps, from the counts kept on write (ProgramProgress, MemberActivity): no member's
 * history is read. The drifting flag is `driftOf` in SQL, the same double-precision arithmetic on
 * the same millisecond instants, and the recent window's steps and answers are counted only for
 * the members it depends on (`driftNeedsRecent`), through indexes. Sorted by joining (the
 * default), only the page is returned; any other sort compares names as JavaScript does
 * (Intl.Collator), so the kept rows come back for `cohortRoster` to sort. Steps done and the
 * last step count for members only, as they always did on the roster. Whether a kept member was
 * nudged today is a probe of the emails' unique dedupe key (`nudgeKey`), one per kept row.
 */
export function rosterPageSql(
  cohort: RosterCohort,
  input: { page: number; sort: RosterSort; filter: RosterFilter },
  now: Date,
) {
  const nudge = nudgeKeyParts(cohort.id, now, cohort.timeZone);
  const size = COHORT_LIMITS.rosterPage;
  const nowMs = String(now.getTime());
  const recentFrom = new Date(now.getTime() - DRIFT.recentDays * 86_400_000);
  const kept =
    input.filter === "drifting"
      ? Prisma.sql`r."reason" <> ''`
      : input.filter === "waitlisted"
        ? Prisma.sql`r."status" = 'WAITLISTED'`
        : Prisma.sql`TRUE`;
  const slice =
    input.sort === "joined"
      ? Prisma.sql`ORDER BY r."status", r."queuePosition", r."id" LIMIT ${size + 1} OFFSET ${input.page * size}`
      : Prisma.sql`ORDER BY r."status", r."queuePosition", r."id"`;
  return Prisma.sql`
    WITH m AS (
      SELECT c."id", c."userId", c."status", c."queuePosition",
             coalesce(u."name", u."email") AS "name", u."email",
             coalesce(c."joinedAt", c."createdAt") AS "since",
             to_char(a."lastActiveDay", 'YYYY-MM-DD') AS "activityDay",
             CASE WHEN c."status" = 'ACTIVE' THEN p."lastStepAt" END AS "lastStepAt",
             CASE WHEN c."status" = 'ACTIVE' THEN coalesce(p."stepsDone", 0) ELSE 0 END AS "stepsDone",
             CASE WHEN c."status" = 'ACTIVE'
                  THEN coalesce(p."stepsDone", 0) + coalesce(p."answers", 0) ELSE 0 END AS "actions",
             a."lastActiveAt" AS "activityAt", p."latestActions"
        FROM "CohortMember" c
        JOIN "User" u ON u."id" = c."userId"
        LEFT JOIN "MemberActivity" a ON a."userId" = c."userId"
        LEFT JOIN "ProgramProgress" p ON p."userId" = c."userId" AND p."programId" = ${cohort.programId}
       WHERE c."cohortId" = ${cohort.id} AND c."status" IN ('ACTIVE', 'WAITLISTED')
    ), q AS (
      SELECT m.*,
             CASE WHEN m."status" = 'WAITLISTED'
                  THEN row_number() OVER (PARTITION BY m."status" ORDER BY m."queuePosition", m."id")
             END AS "waitPosition",
             floor((${nowMs}::float8 - ${msOf(`coalesce(GREATEST(m."activityAt", m."lastStepAt"), m."since")`)})
                   / 86400000::float8) AS "quietDays",
             (${nowMs}::float8 - ${msOf('m."since"')}) / 86400000::float8 - ${DRIFT.recentDays}::float8
               AS "earlierDays"
        FROM m
    ), t AS MATERIALIZED (
      -- Steps and answers of the recent window, counted once, and only where driftNeedsRecent:
      -- from the latest 32 actions kept on write, unless all 32 are in the window (then from the
      -- history, through the members' indexes).
      SELECT q.*, CASE
        WHEN q."status" = 'ACTIVE' AND q."quietDays" < ${DRIFT.quietDays}
         AND q."earlierDays" >= 7 AND q."actions" >= ${DRIFT.minEarlier} THEN (
          CASE
            WHEN coalesce(cardinality(q."latestActions"), 0) < ${LATEST_ACTIONS}
              OR q."latestActions"[${LATEST_ACTIONS}] < ${recentFrom}
            THEN (SELECT count(*) FROM unnest(q."latestActions") AS l(at) WHERE l."at" >= ${recentFrom})
            ELSE (SELECT count(*) FROM "StepCompletion" sc
                    JOIN "Step" s ON s."id" = sc."stepId"
                    JOIN "Module" mo ON mo."id" = s."moduleId"
                   WHERE sc."userId" = q."userId" AND sc."completedAt" >= ${recentFrom}
                     AND mo."programId" = ${cohort.programId})
               + (SELECT count(*) FROM "AnswerPass" ap
                   WHERE ap."userId" = q."userId" AND ap."createdAt" >= ${recentFrom}
                     AND ap."programId" = ${cohort.programId})
          END)
        END AS "recent"
        FROM q
    ), r AS (
      SELECT t.*, CASE
        WHEN t."status" <> 'ACTIVE' THEN NULL
        WHEN t."quietDays" >= ${DRIFT.quietDays} THEN 'quiet'
        WHEN t."recent" IS NOT NULL
         AND t."actions" - t."recent" >= ${DRIFT.minEarlier}
         AND (t."recent"::float8 / ${DRIFT.recentDays}::float8) * 7
             < ((t."actions" - t."recent")::float8 / t."earlierDays") * 7 * ${String(DRIFT.ratio)}::float8
        THEN 'slower'
        ELSE '' END AS "reason"
        FROM t
    ), counts AS (
      SELECT count(*)::int AS "all",
             (count(*) FILTER (WHERE r."status" = 'WAITLISTED'))::int AS "waitlisted",
             (count(*) FILTER (WHERE r."reason" <> ''))::int AS "drifting"
        FROM r
    )
    SELECT k."userId", k."name", k."email", k."status"::text AS "status", k."since",
           k."activityDay", k."lastStepAt", k."stepsDone"::int AS "stepsDone",
           k."waitPosition"::int AS "waitPosition", k."reason", k."quietDays",
           counts."all", counts."waitlisted", counts."drifting",
           EXISTS (SELECT 1 FROM "Email" e
                    WHERE e."dedupeKey" = ${nudge.prefix} || k."userId" || ${nudge.suffix}) AS "nudgedToday"
      FROM counts
      LEFT JOIN LATERAL (SELECT r.* FROM r WHERE ${kept} ${slice}) k ON TRUE`;
}

/** The coach's roster: filtered, sorted, then a page of 50, whose module cells alone are read. */
export async function cohortRoster(
  db: Db,
  actor: SignedInUser,
  input: { cohortId: string; page: number; sort?: RosterSort; filter?: RosterFilter },
  { now = new Date(), reads }: { now?: Date; reads?: RequestReads } = {},
) {
  const cohort = await managedOnce(db, actor, input.cohortId, reads);
  const size = COHORT_LIMITS.rosterPage;
  const filter = input.filter ?? "all";
  const sort = input.sort ?? "joined";
  const [modules, rows] = await Promise.all([
    programModules(db, cohort.programId, reads),
    db.$queryRaw<PagedRow[]>(rosterPageSql(cohort, { page: input.page, sort, filter }, now)),
  ]);
  const counts = rows[0]!;
  const kept = rows
    .filter((r) => r.userId !== null)
    .map((r) => ({
      userId: r.userId,
      name: r.name,
      email: r.email,
      status: r.status,
      since: r.since,
      waitPosition: r.waitPosition,
      lastActiveDay: latestDay(r.activityDay, r.lastStepAt?.getTime(), cohort.timeZone),
      stepsDone: r.stepsDone,
      nudgedToday: r.nudgedToday,
      drift:
        r.reason === null
          ? null
          : { drifting: r.reason !== "", reason: r.reason || null, quietDays: r.quietDays! },
    }));
  const byName = (a: (typeof kept)[number], b: (typeof kept)[number]) =>
    collator.compare(a.name, b.name);
  if (sort === "name") kept.sort(byName);
  if (sort === "lastActive") {
    // Longest quiet first: who needs a word most.
    kept.sort(
      (a, b) => (a.lastActiveDay ?? "").localeCompare(b.lastActiveDay ?? "") || byName(a, b),
    );
  }
  if (sort === "progress") kept.sort((a, b) => a.stepsDone - b.stepsDone || byName(a, b));
  // Sorted by joining, the statement returned the page and one more (is there a next page?).
  const from = sort === "joined" ? 0 : input.page * size;
  const page = kept.slice(from, from + size);
  return {
    cohort: { id: cohort.id, name: cohort.name },
    modules: modules.map((m) => ({ id: m.id, title: m.title, steps: m._count.steps })),
    members: await withModuleCells(db, cohort.programId, modules, page),
    counts: { all: counts.all, drifting: counts.drifting, waitlisted: counts.waitlisted },
    page: input.page,
    hasMore: kept.length > from + size,
  };
}

/** One nudge per member, cohort and day (the cohort's day): the email's dedupe key. */
export function nudgeKey(cohortId: string, userId: string, now: Date, zone: string) {
  const { prefix, suffix } = nudgeKeyParts(cohortId, now, zone);
  return `${prefix}${userId}${suffix}`;
}

/** `nudgeKey` around the member's id, for the roster's statement to complete per member. */
function nudgeKeyParts(cohortId: string, now: Date, zone: string) {
  return { prefix: `cohort-nudge:${cohortId}:`, suffix: `:${localDay(now, zone)}` };
}

type CohortCard = {
  id: string;
  name: string;
  slug: string;
  startDate: Date;
  timeZone: string;
  capacity: number;
  enrolmentOpen: boolean;
  finishedAt: Date | null;
};

function card(c: CohortCard, members: number, now: Date) {
  return {
    id: c.id,
    name: c.name,
    slug: c.slug,
    startDay: dateColumnDay(c.startDate),
    startsAt: cohortDayStart(c, 0),
    timeZone: c.timeZone,
    status: cohortStatus(c, now),
    seatsLeft: Math.max(0, c.capacity - members),
    enrolmentOpen: c.enrolmentOpen && !c.finishedAt,
  };
}

const cardSelect = {
  id: true,
  name: true,
  slug: true,
  startDate: true,
  timeZone: true,
  capacity: true,
  enrolmentOpen: true,
  finishedAt: true,
} as const;

/**
 * The cohorts a member can join from a program's page (open and not finished), and the one
 * they are in. A program the caller may not see is NOT_FOUND, as in the player.
 */
export async function programCohorts(
  db: Db,
  user: SignedInUser,
  programId: string,
  now = new Date(),
) {
  const program = await db.program.findUnique({
    where: { id: programId },
    select: { id: true, status: true, accessRule: true, authorId: true },
  });
  if (!program) throw new DomainError("NOT_FOUND", "We could not find that program.");
  const access = await programAccess(db, user, program, now);
  if (!access.canOpen && program.status !== "PUBLISHED") {
    throw new DomainError("NOT_FOUND", "We could not find that program.");
  }
  const [open, mine] = await Promise.all([
    db.cohort.findMany({
      where: { programId, finishedAt: null, enrolmentOpen: true },
      orderBy: [{ startDate: "asc" }, { id: "asc" }],
      take: 20,
      select: cardSelect,
    }),
    db.cohortMember.findFirst({
      where: { userId: user.id, status: { in: ["ACTIVE", "WAITLISTED"] }, cohort: { programId } },
      select: { status: true, cohort: { select: cardSelect } },
    }),
  ]);
  const ids = [...open.map((c) => c.id), ...(mine ? [mine.cohort.id] : [])];
  const counts = ids.length
    ? await db.cohortMember.groupBy({
        by: ["cohortId"],
        where: { cohortId: { in: ids }, status: "ACTIVE" },
        _count: { _all: true },
      })
    : [];
  const members = (id: string) => counts.find((c) => c.cohortId === id)?._count._all ?? 0;
  return {
    canJoin: access.canAnswer,
    reason: access.canAnswer ? null : (access.reason ?? null),
    cohorts: open.map((c) => card(c, members(c.id), now)),
    mine: mine
      ? { ...card(mine.cohort, members(mine.cohort.id), now), myStatus: mine.status }
      : null,
  };
}

/** What an invite link shows before joining; a revoked or made-up token is NOT_FOUND. */
export async function invitation(db: Db, user: SignedInUser, token: string, now = new Date()) {
  const cohort = await db.cohort.findUnique({
    where: { inviteToken: token },
    select: { ...cardSelect, programId: true, program: { select: { title: true, summary: true } } },
  });
  if (!cohort || cohort.finishedAt) throw new DomainError("NOT_FOUND", INVITE_GONE);
  const [counts, mine, elsewhere] = await Promise.all([
    seatCounts(db, cohort.id),
    db.cohortMember.findUnique({
      where: { cohortId_userId: { cohortId: cohort.id, userId: user.id } },
      select: { status: true },
    }),
    // Another cohort of the same program: joining this one needs leaving that one first.
    db.cohortMember.findFirst({
      where: {
        userId: user.id,
        status: { in: ["ACTIVE", "WAITLISTED"] },
        cohortId: { not: cohort.id },
        cohort: { programId: cohort.programId },
      },
      select: { cohort: { select: { name: true, slug: true } } },
    }),
  ]);
  return {
    ...card(cohort, counts.members, now),
    programTitle: cohort.program.title,
    programSummary: cohort.program.summary,
    myStatus: mine?.status ?? null,
    elsewhere: elsewhere?.cohort ?? null,
  };
}

export async function cohortIdForToken(db: Db, token: string) {
  const cohort = await db.cohort.findUnique({
    where: { inviteToken: token },
    select: { id: true, finishedAt: true },
  });
  if (!cohort || cohort.finishedAt) throw new DomainError("NOT_FOUND", INVITE_GONE);
  return cohort.id;
}

/** The cohorts I am in or waiting for (and those I ran through), newest start first. */
export async function myCohorts(db: Db, user: SignedInUser, now = new Date()) {
  const rows = await db.cohortMember.findMany({
    where: { userId: user.id, status: { in: ["ACTIVE", "WAITLISTED"] } },
    orderBy: [{ cohort: { startDate: "desc" } }, { id: "asc" }],
    take: 50,
    select: {
      status: true,
      cohort: { select: { ...cardSelect, program: { select: { title: true, slug: true } } } },
    },
  });
  return rows.map((r) => ({
    status: r.status,
    name: r.cohort.name,
    slug: r.cohort.slug,
    startsAt: cohortDayStart(r.cohort, 0),
    state: cohortStatus(r.cohort, now),
    programTitle: r.cohort.program.title,
    programSlug: r.cohort.program.slug,
  }));
}

/**
 * A cohort's page for the people in it: its schedule in the reader's zone, who runs it, how many
 * are in it, and the reader's catch-up plan. Members with a seat, facilitators, the program's
 * author and admins read it; someone on the waitlist sees their place; anyone else NOT_FOUND.
 */
export async function cohortHome(db: Db, user: SignedInUser, slug: string, now = new Date()) {
  const cohort = await db.cohort.findUnique({
    where: { slug },
    select: {
      ...cohortFacts,
      facilitators: {
        orderBy: { createdAt: "asc" },
        select: { user: { select: { id: true, name: true } } },
      },
      members: {
        where: { userId: user.id },
        select: { status: true, queuePosition: true, joinedAt: true },
      },
    },
  });
  if (!cohort) throw new DomainError("NOT_FOUND", NO_COHORT);
  const me = cohort.members[0] ?? null;
  const manages =
    user.role === "ADMIN" ||
    cohort.program.authorId === user.id ||
    cohort.facilitators.some((f) => f.user.id === user.id);
  const seated = me?.status === "ACTIVE";
  const waiting = me?.status === "WAITLISTED";
  if (!manages && !seated && !waiting) throw new DomainError("NOT_FOUND", NO_COHORT);

  const [counts, sessions] = await Promise.all([
    seatCounts(db, cohort.id),
    seated || manages ? upcomingSessions(db, cohort.id, now, false) : Promise.resolve([]),
  ]);
  const base = {
    id: cohort.id,
    name: cohort.name,
    slug: cohort.slug,
    status: cohortStatus(cohort, now),
    startsAt: cohortDayStart(cohort, 0),
    startDay: dateColumnDay(cohort.startDate),
    timeZone: cohort.timeZone,
    program: { title: cohort.program.title, slug: cohort.program.slug },
    facilitators: cohort.facilitators.map((f) => ({
      id: f.user.id,
      name: f.user.name ?? "A coach",
    })),
    members: counts.members,
    capacity: cohort.capacity,
    manages,
    myStatus: me?.status ?? null,
    sessions,
  };
  if (waiting) {
    const ahead = await db.cohortMember.count({
      where: { cohortId: cohort.id, status: "WAITLISTED", queuePosition: { lt: me.queuePosition } },
    });
    return { ...base, waitPosition: ahead + 1, schedule: [], plan: null };
  }
  const modules = await db.module.findMany({
    where: { programId: cohort.programId },
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
          completions: { where: { userId: user.id }, select: { id: true }, take: 1 },
        },
      },
    },
  });
  const anchor = {
    createdAt: now,
    cohort: { startDate: cohort.startDate, timeZone: cohort.timeZone },
  };
  const schedule = modules.map((m) => {
    const offset = Math.max(0, m.unlockDayOffset);
    const opensAt = cohortDayStart(cohort, offset);
    return {
      id: m.id,
      title: m.title,
      day: offset,
      opensAt,
      unlockAt: moduleUnlockAt(
        cohort.program.pacing,
        m.unlockDayOffset,
        anchor,
        now,
        user.timeZone,
      ),
      steps: m.steps.map((s) => ({ id: s.id, title: s.title, done: s.completions.length > 0 })),
    };
  });
  return {
    ...base,
    waitPosition: null,
    schedule: schedule.map((m) => ({
      id: m.id,
      title: m.title,
      day: m.day,
      opensAt: m.opensAt,
      open: m.unlockAt === null,
      stepsDone: m.steps.filter((s) => s.done).length,
      stepsTotal: m.steps.length,
    })),
    plan: seated ? catchUpPlan(schedule) : null,
  };
}
