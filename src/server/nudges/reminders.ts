import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { formatDate } from "@/lib/format-date";
import {
  addDays,
  type Day,
  dateColumnDay,
  daysBetween,
  dayToDateColumn,
  localDay,
  startOfLocalDay,
  zoneOrUtc,
} from "@/lib/time-zone";
import type { Db } from "../db";
import type { EmailTemplate } from "../email/render";
import { requeueEmail } from "../email/service";
import type { Env } from "../env";
import { defineJob } from "../jobs/define";
import { type Queue, sendAll } from "../jobs/queue";
import { revisitState } from "../player/logic";
import { categoryOn, type NudgeCategory } from "./categories";
import { plannedReminder } from "./preferences";
import { type NudgeLinksFor, type NudgeOutcome, queueNudge } from "./send";

/** Reminders planned at most this long ago are still sent; older ones (a worker that was down
 * all evening) are skipped: a 19:00 reminder at 03:00 helps no one. */
export const STALE_AFTER_MS = 2 * 60 * 60 * 1000;
/** Due rows one planner round reads; a pass goes round until nothing is due. */
export const PLAN_BATCH = 5000;
/** Rounds whose UPDATE may run while later rounds read and queue. */
const UPDATES_IN_FLIGHT = 2;
/** Members per `nudges.daily` job: a job is a handful of sends, retried as a whole. */
export const REMINDERS_PER_JOB = 200;

/**
 * A due row as the planner reads it. The plan's columns come as text: most members share a
 * handful of plans, so each distinct one is parsed once a round instead of once a row.
 */
type Due = {
  userId: string;
  nextReminderAt: Date;
  /** The plan: categories, minute, days, quiet-until and zone, as one text key. */
  plan: string;
};

/**
 * The planner: members whose reminder instant has come, found through the index on
 * `(nextReminderAt, userId)` (never a scan of members), a few thousand a round in index order.
 * Each round queues their reminders as jobs of 200 members in one statement (the job's singleton
 * key names its first member and instant, so a round repeated after a crash queues nothing new),
 * then moves every `nextReminderAt` on in one compare-and-set UPDATE: two planners never plan one
 * reminder twice, and a reminder already sent is kept from going twice by its email's dedupe key.
 *
 * A round's UPDATE runs while the next round reads and queues (the next round starts after the
 * last row read, so it does not wait for the UPDATE): at most one UPDATE is in flight, and a
 * round's jobs are always queued before its rows move on, so a crash loses nothing.
 */
export async function planReminders(
  db: Db,
  queue: Queue,
  now = new Date(),
  limit = PLAN_BATCH,
): Promise<number> {
  let planned = 0;
  let after: { at: Date; userId: string } | null = null;
  const moving: Promise<number>[] = [];
  try {
    for (;;) {
      const due = await dueRound(db, now, after, limit);
      if (due.length === 0) break;
      const jobs = [];
      for (let i = 0; i < due.length; i += REMINDERS_PER_JOB) {
        const chunk = due.slice(i, i + REMINDERS_PER_JOB);
        const first = chunk[0] as Due;
        jobs.push({
          payload: {
            reminders: chunk.map((row) => ({
              userId: row.userId,
              at: row.nextReminderAt.toISOString(),
            })),
          },
          options: {
            singletonKey: `reflection:${first.userId}:${first.nextReminderAt.toISOString()}`,
          },
        });
      }
      await sendAll(queue, dailyNudgeJob, jobs);
      // At most UPDATES_IN_FLIGHT rounds' UPDATEs run at once (disjoint rows: no lock waits).
      if (moving.length >= UPDATES_IN_FLIGHT) planned += await (moving.shift() as Promise<number>);
      const update = moveOn(db, due, now);
      // Handled here so a failure while this round's successor is running is not an unhandled
      // rejection; awaiting it later still throws.
      update.catch(() => {});
      moving.push(update);
      const last = due[due.length - 1] as Due;
      after = { at: last.nextReminderAt, userId: last.userId };
      if (due.length < limit) break;
    }
  } catch (error) {
    // Nothing left running behind the caller's back.
    await Promise.allSettled(moving);
    throw error;
  }
  for (const count of await Promise.all(moving)) planned += count;
  return planned;
}

/** Due rows in index order, after the last one of the previous round. */
function dueRound(
  db: Db,
  now: Date,
  after: { at: Date; userId: string } | null,
  limit: number,
): Promise<Due[]> {
  const from = after
    ? Prisma.sql`AND (n."nextReminderAt", n."userId") > (${after.at}, ${after.userId})`
    : Prisma.empty;
  return db.$queryRaw<Due[]>`
    SELECT n."userId", n."nextReminderAt",
           concat_ws(${PLAN_SEPARATOR}, n.categories::text, n."reminderMinute",
                     array_to_string(n."reminderDays", ','), coalesce(to_char(n."quietUntil", 'YYYY-MM-DD'), ''),
                     u."timeZone") AS plan
      FROM "NudgeSettings" n JOIN "User" u ON u.id = n."userId"
     WHERE n."nextReminderAt" <= ${now} ${from}
     ORDER BY n."nextReminderAt", n."userId"
     LIMIT ${limit}`;
}

/** Between the plan's parts: a character no JSON text, number, date or zone name holds. */
const PLAN_SEPARATOR = "\u001f";

/** The next reminder after `from` for a plan key of `dueRound`. */
function nextForPlan(plan: string, from: Date): Date | null {
  const [categories = "{}", minute = "0", days = "", quiet = "", timeZone = "UTC"] =
    plan.split(PLAN_SEPARATOR);
  return plannedReminder(
    {
      categories: JSON.parse(categories) as unknown,
      reminderMinute: Number(minute),
      reminderDays: days ? days.split(",").map(Number) : [],
      quietUntil: quiet ? new Date(`${quiet}T00:00:00Z`) : null,
    },
    timeZone,
    from,
  );
}

/** Moves each planned row's `nextReminderAt` on, where no one else has moved it meanwhile. */
function moveOn(db: Db, due: Due[], now: Date): Promise<number> {
  // Instants go as epoch seconds (doubles): PostgreSQL turns a number into a timestamp far
  // faster than it parses text, and these are 10,000 conversions a round.
  const ids: string[] = [];
  const previous: number[] = [];
  const next: (number | null)[] = [];
  // Every due row's instant is at or before `now`, so its next one is the first after `now`:
  // one answer per distinct plan.
  const nextOf = new Map<string, number | null>();
  for (const row of due) {
    ids.push(row.userId);
    previous.push(row.nextReminderAt.getTime() / 1000);
    let at = nextOf.get(row.plan);
    if (at === undefined) {
      const from = now > row.nextReminderAt ? now : row.nextReminderAt;
      at = (nextForPlan(row.plan, from)?.getTime() ?? Number.NaN) / 1000;
      at = Number.isNaN(at) ? null : at;
      if (from === now) nextOf.set(row.plan, at);
    }
    next.push(at);
  }
  return db.$executeRaw`
    UPDATE "NudgeSettings" AS n
       SET "nextReminderAt" = (to_timestamp(u.next) AT TIME ZONE 'UTC'),
           "updatedAt" = (now() AT TIME ZONE 'UTC')
      FROM unnest(${ids}::text[], ${previous}::float8[], ${next}::float8[]) AS u(id, previous, next)
     WHERE n."userId" = u.id
       AND n."nextReminderAt" = (to_timestamp(u.previous) AT TIME ZONE 'UTC')`;
}

export type ReminderOutcome = NudgeOutcome | { status: "stale" | "nothing-waiting" };

/** Reach-out plans and due commitments older than this are not nudged about any more. */
const LOOKBACK_DAYS = 3;
/** Days without activity after which the daily step reminder gives way to one gentle note. */
export const AWAY_AFTER_DAYS = 7;

type Candidate = {
  category: NudgeCategory;
  dedupeKey: string;
  template: (links: NudgeLinksFor, member: { name: string | null }) => EmailTemplate;
};

/**
 * What the member's daily slot could be about, deepest first: a commitment that is due, a
 * reach-out they planned, a prompt due to be answered again, a step waiting. Each kind only when
 * it is on; each item is nudged about once (its dedupe key names it), a step at most once a day.
 */
async function candidates(
  db: Db,
  env: Pick<Env, "appUrl">,
  userId: string,
  zone: string,
  day: Day,
  now: Date,
  on: (category: NudgeCategory) => boolean,
): Promise<Candidate[]> {
  const list: Candidate[] = [];
  const since = addDays(day, -LOOKBACK_DAYS);
  if (on("commitment")) {
    const due = await db.commitment.findFirst({
      where: {
        userId,
        status: { not: "DONE" },
        dueOn: { lte: dayToDateColumn(day), gte: dayToDateColumn(since) },
      },
      orderBy: { dueOn: "asc" },
      select: { id: true, dueOn: true },
    });
    if (due) {
      list.push({
        category: "commitment",
        dedupeKey: `commitment:${due.id}`,
        template: (links, member) => ({
          kind: "daily-nudge",
          topic: "commitment",
          dueDay: formatDate(startOfLocalDay(dateColumnDay(due.dueOn), zone), zone, "long"),
          name: member.name,
          url: `${env.appUrl}/app/commitments`,
          appUrl: env.appUrl,
          links,
        }),
      });
    }
  }
  if (on("reach-out")) {
    const person = await db.person.findFirst({
      where: {
        userId,
        plannedReachOutAt: {
          gte: startOfLocalDay(since, zone),
          lt: startOfLocalDay(addDays(day, 1), zone),
        },
      },
      orderBy: { plannedReachOutAt: "asc" },
      select: { id: true, plannedReachOutAt: true },
    });
    if (person?.plannedReachOutAt) {
      list.push({
        category: "reach-out",
        dedupeKey: `reach-out:${person.id}:${person.plannedReachOutAt.toISOString()}`,
        template: (links, member) => ({
          kind: "daily-nudge",
          topic: "reach-out",
          name: member.name,
          url: `${env.appUrl}/app/community`,
          appUrl: env.appUrl,
          links,
        }),
      });
    }
  }
  if (on("answer-again")) {
    const answered = await db.exerciseProgress.findMany({
      where: { userId, exercise: { deletedAt: null, revisitAfterDays: { not: null } } },
      orderBy: { lastPassAt: "asc" },
      take: 50,
      select: {
        passCount: true,
        lastPassAt: true,
        exercise: {
          select: {
            id: true,
            prompt: true,
            kind: true,
            revisitAfterDays: true,
            step: { select: { module: { select: { program: { select: { title: true } } } } } },
          },
        },
      },
    });
    const due = answered.find(
      (a) =>
        revisitState(
          a.exercise.kind,
          a.exercise.revisitAfterDays,
          { createdAt: a.lastPassAt, passNumber: a.passCount },
          now,
          zone,
        ).canAnswerAgain,
    );
    if (due) {
      list.push({
        category: "answer-again",
        dedupeKey: `answer-again:${userId}:${due.exercise.id}:${due.passCount}`,
        template: (links, member) => ({
          kind: "daily-nudge",
          topic: "answer-again",
          prompt: due.exercise.prompt.slice(0, 200),
          programTitle: due.exercise.step.module.program.title,
          name: member.name,
          url: `${env.appUrl}/app/journal/${due.exercise.id}`,
          appUrl: env.appUrl,
          links,
        }),
      });
    }
  }
  // Away for a while: one gentle note for this lapse, and no daily step reminders meanwhile.
  const activity = await db.memberActivity.findUnique({
    where: { userId },
    select: { lastActiveDay: true },
  });
  const lastActive = activity ? dateColumnDay(activity.lastActiveDay) : null;
  if (lastActive && daysBetween(lastActive, day) >= AWAY_AFTER_DAYS) {
    if (on("re-engagement")) {
      list.push({
        category: "re-engagement",
        dedupeKey: `re-engagement:${userId}:${lastActive}`,
        template: (links, member) => ({
          kind: "daily-nudge",
          topic: "re-engagement",
          name: member.name,
          url: `${env.appUrl}/app`,
          appUrl: env.appUrl,
          links,
        }),
      });
    }
    return list;
  }
  if (on("reflection")) {
    const enrolment = await db.enrolment.findFirst({
      where: { userId, completedAt: null, program: { status: "PUBLISHED" } },
      orderBy: { createdAt: "desc" },
      select: { program: { select: { title: true, slug: true } }, currentStepId: true },
    });
    const reflected = enrolment
      ? await db.stepCompletion.findFirst({
          where: { userId, completedAt: { gte: startOfLocalDay(day, zone) } },
          select: { id: true },
        })
      : null;
    if (enrolment && !reflected) {
      const step = enrolment.currentStepId
        ? await db.step.findUnique({
            where: { id: enrolment.currentStepId },
            select: { title: true },
          })
        : null;
      list.push({
        category: "reflection",
        dedupeKey: `reflection:${userId}:${day}`,
        template: (links, member) => ({
          kind: "reflection-reminder",
          name: member.name,
          programTitle: enrolment.program.title,
          stepTitle: step?.title ?? null,
          url: `${env.appUrl}/app/programs/${enrolment.program.slug}`,
          appUrl: env.appUrl,
          links,
        }),
      });
    }
  }
  return list;
}

/**
 * One member's daily nudge for the slot planned at `at`: the deepest thing that applies and has
 * not been nudged about yet, under all the rules of `queueNudge` (one a day among them).
 */
export async function sendDailyNudge(
  db: Db,
  env: Pick<Env, "appUrl" | "authSecret">,
  queue: Queue,
  userId: string,
  at: Date,
  now = new Date(),
): Promise<ReminderOutcome> {
  if (now.getTime() - at.getTime() > STALE_AFTER_MS) return { status: "stale" };
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { timeZone: true, nudgeSettings: { select: { categories: true } } },
  });
  if (!user) return { status: "no-member" };
  const zone = zoneOrUtc(user.timeZone);
  const day = localDay(at, zone);
  // This slot already gave a nudge (a retried job): only make sure its email is queued.
  const taken = await db.nudgeDay.findUnique({
    where: { userId_day: { userId, day: dayToDateColumn(day) } },
    select: { dedupeKey: true },
  });
  if (taken) {
    const email = await requeueEmail(db, queue, taken.dedupeKey);
    return email ? { status: "already-queued", emailId: email.id } : { status: "capped" };
  }
  const on = (category: NudgeCategory) => categoryOn(user.nudgeSettings?.categories, category);
  for (const candidate of await candidates(db, env, userId, zone, day, now, on)) {
    // Nudged about on an earlier day: the next thing, not the same one again.
    const sent = await db.email.findUnique({
      where: { dedupeKey: candidate.dedupeKey },
      select: { id: true },
    });
    if (sent) continue;
    return queueNudge(db, env, queue, { userId, now, ...candidate });
  }
  return { status: "nothing-waiting" };
}

export const dailyNudgeJob = defineJob({
  name: "nudges.daily",
  payload: z.object({
    reminders: z
      .array(z.object({ userId: z.string().min(1).max(64), at: z.iso.datetime() }))
      .min(1)
      .max(REMINDERS_PER_JOB),
  }),
  retry: { limit: 5, delaySeconds: 30, backoff: true },
  policy: "short",
  async handler({ reminders }, ctx) {
    // A retry runs them all again: those already queued are recognised by their dedupe key.
    let failure: unknown = null;
    for (const { userId, at } of reminders) {
      try {
        await sendDailyNudge(ctx.db, ctx.env, ctx.queue, userId, new Date(at));
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure) throw failure;
  },
});

export const planRemindersJob = defineJob({
  name: "nudges.plan",
  payload: z.object({}),
  cron: { expression: "* * * * *", payload: {} },
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  async handler(_payload, ctx) {
    await planReminders(ctx.db, ctx.queue);
  },
});
