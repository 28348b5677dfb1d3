import { z } from "zod";
import { localDay, startOfLocalDay, zoneOrUtc } from "@/lib/time-zone";
import type { Db } from "../db";
import type { Env } from "../env";
import { defineJob } from "../jobs/define";
import type { Queue } from "../jobs/queue";
import { plannedReminder } from "./preferences";
import { type NudgeOutcome, queueNudge } from "./send";

/** Reminders planned at most this long ago are still sent; older ones (a worker that was down
 * all evening) are skipped: a 19:00 reminder at 03:00 helps no one. */
export const STALE_AFTER_MS = 2 * 60 * 60 * 1000;
/** Due rows one planner pass takes (the next pass, a minute later, takes the rest). */
export const PLAN_BATCH = 1000;

/**
 * The planner: members whose reminder instant has come, found through the index on
 * `nextReminderAt` (never a scan of members). For each it queues one `nudges.reflection` job
 * (singleton per member and planned instant), then moves `nextReminderAt` on with a
 * compare-and-set, so two planners never plan one reminder twice and a crash between the two
 * steps only queues the same singleton again.
 */
export async function planReminders(
  db: Db,
  queue: Queue,
  now = new Date(),
  limit = PLAN_BATCH,
): Promise<number> {
  const due = await db.nudgeSettings.findMany({
    where: { nextReminderAt: { lte: now } },
    orderBy: { nextReminderAt: "asc" },
    take: limit,
    select: {
      userId: true,
      nextReminderAt: true,
      categories: true,
      reminderMinute: true,
      reminderDays: true,
      quietUntil: true,
      user: { select: { timeZone: true } },
    },
  });
  let planned = 0;
  for (const row of due) {
    const at = row.nextReminderAt;
    if (!at) continue;
    await queue.send(
      reflectionReminderJob,
      { userId: row.userId, at: at.toISOString() },
      { singletonKey: `reflection:${row.userId}:${at.toISOString()}` },
    );
    const next = plannedReminder(row, row.user.timeZone, now > at ? now : at);
    const moved = await db.nudgeSettings.updateMany({
      where: { userId: row.userId, nextReminderAt: at },
      data: { nextReminderAt: next },
    });
    planned += moved.count;
  }
  return planned;
}

export type ReminderOutcome =
  | NudgeOutcome
  | { status: "stale" | "nothing-waiting" | "reflected-today" };

/** One member's reflection reminder for the instant it was planned at, under all the rules. */
export async function sendReflectionReminder(
  db: Db,
  env: Pick<Env, "appUrl" | "authSecret">,
  queue: Queue,
  userId: string,
  at: Date,
  now = new Date(),
): Promise<ReminderOutcome> {
  if (now.getTime() - at.getTime() > STALE_AFTER_MS) return { status: "stale" };
  const user = await db.user.findUnique({ where: { id: userId }, select: { timeZone: true } });
  if (!user) return { status: "no-member" };
  const zone = zoneOrUtc(user.timeZone);
  const day = localDay(at, zone);
  // Depth, not logins: only when a program they are in has a step waiting, and not on a day
  // they already reflected.
  const enrolment = await db.enrolment.findFirst({
    where: { userId, completedAt: null, program: { status: "PUBLISHED" } },
    orderBy: { createdAt: "desc" },
    select: {
      program: { select: { title: true, slug: true } },
      currentStepId: true,
    },
  });
  if (!enrolment) return { status: "nothing-waiting" };
  const reflected = await db.stepCompletion.findFirst({
    where: { userId, completedAt: { gte: startOfLocalDay(day, zone) } },
    select: { id: true },
  });
  if (reflected) return { status: "reflected-today" };
  const step = enrolment.currentStepId
    ? await db.step.findUnique({
        where: { id: enrolment.currentStepId },
        select: { title: true },
      })
    : null;
  return queueNudge(db, env, queue, {
    userId,
    category: "reflection",
    dedupeKey: `reflection:${userId}:${day}`,
    now,
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

export const reflectionReminderJob = defineJob({
  name: "nudges.reflection",
  payload: z.object({ userId: z.string().min(1).max(64), at: z.iso.datetime() }),
  retry: { limit: 5, delaySeconds: 30, backoff: true },
  policy: "short",
  async handler({ userId, at }, ctx) {
    await sendReflectionReminder(ctx.db, ctx.env, ctx.queue, userId, new Date(at));
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

export const nudgeJobs = [planRemindersJob, reflectionReminderJob] as const;
