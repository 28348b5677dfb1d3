import { dateColumnDay, localDay } from "@/lib/time-zone";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import { cohortDayStart, moduleUnlockAt } from "../player/logic";
import { cohortFacts, NO_COHORT, requireManaged } from "./access";
import { catchUpPlan, cohortStatus, DRIFT, driftOf } from "./pace";
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

/** The coach's settings view of one cohort. */
export async function manageCohort(
  db: Db,
  actor: SignedInUser,
  cohortId: string,
  now = new Date(),
) {
  const cohort = await requireManaged(db, actor, cohortId);
  const [facilitators, counts, modules, sessions] = await Promise.all([
    db.cohortFacilitator.findMany({
      where: { cohortId },
      orderBy: { createdAt: "asc" },
      select: { user: { select: { id: true, name: true, email: true } } },
    }),
    seatCounts(db, cohortId),
    db.module.findMany({
      where: { programId: cohort.programId },
      orderBy: { position: "asc" },
      select: { id: true, title: true, unlockDayOffset: true },
    }),
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

/**
 * Everyone in the cohort with the facts the coach's view needs, computed from counts and dates
 * only: steps done per module, last active day, answers and steps recently and in all, and the
 * drifting flag. A fixed number of statements whatever the cohort's size (members, modules,
 * completions per module, action counts); capacity caps the rows.
 */
export async function rosterFacts(
  db: Db,
  cohort: { id: string; programId: string; timeZone: string },
  now: Date,
) {
  const recentFrom = new Date(now.getTime() - DRIFT.recentDays * 86_400_000);
  const [modules, rows] = await Promise.all([
    db.module.findMany({
      where: { programId: cohort.programId },
      orderBy: { position: "asc" },
      select: { id: true, title: true, _count: { select: { steps: true } } },
    }),
    db.cohortMember.findMany({
      where: { cohortId: cohort.id, status: { in: ["ACTIVE", "WAITLISTED"] } },
      orderBy: [{ status: "asc" }, { queuePosition: "asc" }],
      select: {
        userId: true,
        status: true,
        joinedAt: true,
        createdAt: true,
        user: {
          select: {
            name: true,
            email: true,
            activity: { select: { lastActiveDay: true, lastActiveAt: true } },
          },
        },
      },
    }),
  ]);
  const ids = rows.filter((r) => r.status === "ACTIVE").map((r) => r.userId);
  // Steps done per module (and how many recently), answers in all from the per-prompt
  // aggregate kept on write, and recent answers through the passes' (userId, createdAt) index,
  // which reads only the window's rows: a member's whole history is never scanned.
  const [done, totals, recent] = ids.length
    ? await Promise.all([
        db.$queryRaw<
          { userId: string; moduleId: string; done: number; recent: number; lastAt: Date }[]
        >`
          SELECT sc."userId", s."moduleId", count(*)::int AS "done",
                 (count(*) FILTER (WHERE sc."completedAt" >= ${recentFrom}))::int AS "recent",
                 max(sc."completedAt") AS "lastAt"
            FROM "StepCompletion" sc
            JOIN "Step" s ON s."id" = sc."stepId"
            JOIN "Module" m ON m."id" = s."moduleId"
           WHERE m."programId" = ${cohort.programId} AND sc."userId" = ANY(${ids})
           GROUP BY sc."userId", s."moduleId"`,
        db.exerciseProgress.groupBy({
          by: ["userId"],
          where: { programId: cohort.programId, userId: { in: ids } },
          _sum: { passCount: true },
        }),
        db.$queryRaw<{ userId: string; n: number }[]>`
          SELECT "userId", count(*)::int AS "n" FROM "AnswerPass"
           WHERE "userId" = ANY(${ids}) AND "createdAt" >= ${recentFrom}
             AND "programId" = ${cohort.programId}
           GROUP BY "userId"`,
      ])
    : [[], [], []];
  const actionsBy = new Map<string, { total: number; recent: number }>();
  const bump = (userId: string, total: number, recentCount: number) => {
    const a = actionsBy.get(userId) ?? { total: 0, recent: 0 };
    actionsBy.set(userId, { total: a.total + total, recent: a.recent + recentCount });
  };
  // Completing a step is activity too (a reading step has no answer to count).
  const lastStepAt = new Map<string, number>();
  for (const d of done) {
    bump(d.userId, d.done, d.recent);
    const at = new Date(d.lastAt).getTime();
    lastStepAt.set(d.userId, Math.max(lastStepAt.get(d.userId) ?? 0, at));
  }
  for (const t of totals) bump(t.userId, t._sum.passCount ?? 0, 0);
  for (const r of recent) bump(r.userId, 0, r.n);
  const doneBy = new Map(done.map((d) => [`${d.userId}:${d.moduleId}`, d.done]));
  let waitPosition = 0;
  const members = rows.map((r) => {
    const since = r.joinedAt ?? r.createdAt;
    const counts = actionsBy.get(r.userId);
    const cells = modules.map((m) => ({
      moduleId: m.id,
      done: doneBy.get(`${r.userId}:${m.id}`) ?? 0,
      total: m._count.steps,
    }));
    const active = r.status === "ACTIVE";
    return {
      userId: r.userId,
      name: r.user.name ?? r.user.email,
      email: r.user.email,
      status: r.status as "ACTIVE" | "WAITLISTED",
      since,
      waitPosition: active ? null : ++waitPosition,
      lastActiveDay: latestDay(
        r.user.activity ? dateColumnDay(r.user.activity.lastActiveDay) : null,
        lastStepAt.get(r.userId),
        cohort.timeZone,
      ),
      stepsDone: cells.reduce((n, c) => n + c.done, 0),
      modules: cells,
      drift: active
        ? driftOf(
            {
              since,
              lastActiveAt: latestAt(r.user.activity?.lastActiveAt, lastStepAt.get(r.userId)),
              actions: counts?.total ?? 0,
              recentActions: counts?.recent ?? 0,
            },
            now,
          )
        : null,
    };
  });
  return {
    modules: modules.map((m) => ({ id: m.id, title: m.title, steps: m._count.steps })),
    members,
  };
}

/** The coach's roster: filtered, sorted, then a page of 50. */
export async function cohortRoster(
  db: Db,
  actor: SignedInUser,
  input: { cohortId: string; page: number; sort?: RosterSort; filter?: RosterFilter },
  now = new Date(),
) {
  const cohort = await requireManaged(db, actor, input.cohortId);
  const size = COHORT_LIMITS.rosterPage;
  const { modules, members } = await rosterFacts(db, cohort, now);
  const filter = input.filter ?? "all";
  const sort = input.sort ?? "joined";
  const kept = members.filter((m) =>
    filter === "drifting"
      ? m.drift?.drifting
      : filter === "waitlisted"
        ? m.status === "WAITLISTED"
        : true,
  );
  const byName = (a: (typeof kept)[number], b: (typeof kept)[number]) =>
    a.name.localeCompare(b.name, "en");
  if (sort === "name") kept.sort(byName);
  if (sort === "lastActive") {
    // Longest quiet first: who needs a word most.
    kept.sort(
      (a, b) => (a.lastActiveDay ?? "").localeCompare(b.lastActiveDay ?? "") || byName(a, b),
    );
  }
  if (sort === "progress") kept.sort((a, b) => a.stepsDone - b.stepsDone || byName(a, b));
  const nudged = await db.email.findMany({
    where: {
      dedupeKey: {
        in: kept
          .slice(input.page * size, (input.page + 1) * size)
          .map((m) => nudgeKey(cohort.id, m.userId, now, cohort.timeZone)),
      },
    },
    select: { dedupeKey: true },
  });
  const nudgedKeys = new Set(nudged.map((n) => n.dedupeKey));
  return {
    cohort: { id: cohort.id, name: cohort.name },
    modules,
    members: kept.slice(input.page * size, (input.page + 1) * size).map((m) => ({
      ...m,
      nudgedToday: nudgedKeys.has(nudgeKey(cohort.id, m.userId, now, cohort.timeZone)),
    })),
    counts: {
      all: members.length,
      drifting: members.filter((m) => m.drift?.drifting).length,
      waitlisted: members.filter((m) => m.status === "WAITLISTED").length,
    },
    page: input.page,
    hasMore: kept.length > (input.page + 1) * size,
  };
}

/** One nudge per member, cohort and day (the cohort's day). */
export function nudgeKey(cohortId: string, userId: string, now: Date, zone: string) {
  return `cohort-nudge:${cohortId}:${userId}:${localDay(now, zone)}`;
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
