import { z } from "zod";
import { addDays, dateColumnDay, localDay, startOfLocalDay } from "@/lib/time-zone";
import type { Db } from "../db";
import type { Env } from "../env";
import { defineJob } from "../jobs/define";
import type { Queue } from "../jobs/queue";
import { isoWeekday, localMinute } from "./schedule";
import { queueNudge } from "./send";

/**
 * The weekly cohort digest: Monday from 09:00 in the cohort's zone (the template says so), to
 * each active member of a running cohort, about the week before: new posts, what opened, who
 * shared an answer. Nothing is sent for a quiet week. It is a nudge (a category a member can
 * stop; suppression and quiet weeks hold) but, like session reminders, outside the one-a-day
 * limit: a weekly summary should not take the place of the day's reminder, nor a coach's note.
 * It goes once per member and week, however often the hourly job runs.
 */
export const DIGEST_HOUR = 9;

export type DigestWeek = { posts: number; shared: number; opened: string[] };

export async function sendDigests(
  db: Db,
  env: Pick<Env, "appUrl" | "authSecret">,
  queue: Queue,
  now = new Date(),
): Promise<number> {
  const cohorts = await db.cohort.findMany({
    where: { finishedAt: null },
    select: {
      id: true,
      name: true,
      slug: true,
      timeZone: true,
      startDate: true,
      program: {
        select: { modules: { select: { title: true, unlockDayOffset: true } } },
      },
    },
  });
  let queued = 0;
  for (const cohort of cohorts) {
    const today = localDay(now, cohort.timeZone);
    // Monday, from 09:00 to the end of the day in the cohort's zone.
    if (isoWeekday(today) !== 1 || localMinute(now, cohort.timeZone) < DIGEST_HOUR * 60) continue;
    const start = dateColumnDay(cohort.startDate);
    if (start > today) continue;
    const weekAgo = addDays(today, -7);
    const since = startOfLocalDay(weekAgo, cohort.timeZone);
    const until = startOfLocalDay(today, cohort.timeZone);
    const [posts, shared] = await Promise.all([
      db.cohortPost.count({
        where: {
          cohortId: cohort.id,
          hiddenAt: null,
          kind: { not: "SHARED_ANSWER" },
          createdAt: { gte: since, lt: until },
        },
      }),
      db.cohortPost.count({
        where: {
          cohortId: cohort.id,
          hiddenAt: null,
          kind: "SHARED_ANSWER",
          createdAt: { gte: since, lt: until },
        },
      }),
    ]);
    // Modules that opened during the week (day N opens at midnight of start + N).
    const opened = cohort.program.modules
      .filter((m) => {
        const day = addDays(start, m.unlockDayOffset);
        return day > weekAgo && day <= today;
      })
      .map((m) => m.title);
    if (posts === 0 && shared === 0 && opened.length === 0) continue;
    const members = await db.cohortMember.findMany({
      where: { cohortId: cohort.id, status: "ACTIVE" },
      select: { userId: true },
    });
    for (const { userId } of members) {
      const outcome = await queueNudge(db, env, queue, {
        userId,
        category: "cohort-digest",
        dedupeKey: `cohort-digest:${cohort.id}:${today}:${userId}`,
        now,
        daily: false,
        template: (links, member) => ({
          kind: "daily-nudge",
          topic: "digest",
          cohortName: cohort.name,
          posts,
          shared,
          opened,
          name: member.name,
          url: `${env.appUrl}/app/cohorts/${cohort.slug}`,
          appUrl: env.appUrl,
          links,
        }),
      });
      if (outcome.status === "queued") queued++;
    }
  }
  return queued;
}

export const cohortDigestJob = defineJob({
  name: "nudges.cohort-digest",
  payload: z.object({}),
  // Hourly: each cohort's Monday 09:00 comes at a different UTC hour.
  cron: { expression: "5 * * * *", payload: {} },
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  async handler(_payload, ctx) {
    await sendDigests(ctx.db, ctx.env, ctx.queue);
  },
});
