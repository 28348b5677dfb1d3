import { z } from "zod";
import { formatDate } from "@/lib/format-date";
import { dateColumnDay, startOfLocalDay } from "@/lib/time-zone";
import { queueEmail } from "../email/service";
import { defineJob, type JobContext } from "../jobs/define";
import type { Queue } from "../jobs/queue";

/**
 * Cohort emails, sent by jobs after the change has committed. Each email has a dedupe key of its
 * logical event (this reschedule, this seat), so a retried job or a double click never sends one
 * twice; a job reads the cohort as it is now, so a superseded reschedule sends nothing.
 */

const BATCH = 200;

async function rescheduled(
  { cohortId, version }: { cohortId: string; version: number },
  { db, env, queue }: JobContext,
) {
  const cohort = await db.cohort.findUnique({
    where: { id: cohortId },
    select: {
      name: true,
      slug: true,
      startDate: true,
      timeZone: true,
      scheduleVersion: true,
      finishedAt: true,
      program: { select: { title: true } },
    },
  });
  // A later reschedule has its own job, which tells members the latest dates.
  if (!cohort || cohort.finishedAt || cohort.scheduleVersion !== version) return;
  const starts = startOfLocalDay(dateColumnDay(cohort.startDate), cohort.timeZone);
  let after: string | undefined;
  for (;;) {
    const members = await db.cohortMember.findMany({
      where: { cohortId, status: { in: ["ACTIVE", "WAITLISTED"] } },
      orderBy: { id: "asc" },
      take: BATCH,
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
      select: { id: true, user: { select: { id: true, email: true, name: true, timeZone: true } } },
    });
    for (const { user } of members) {
      await queueEmail(db, queue, {
        dedupeKey: `cohort-rescheduled:${cohortId}:${version}:${user.id}`,
        category: "cohort",
        to: user.email,
        template: {
          kind: "cohort-rescheduled",
          name: user.name,
          cohortName: cohort.name,
          programTitle: cohort.program.title,
          startsOn: formatDate(starts, user.timeZone, "long"),
          cohortZone: user.timeZone === cohort.timeZone ? null : cohort.timeZone,
          url: `${env.appUrl}/app/cohorts/${cohort.slug}`,
          appUrl: env.appUrl,
        },
      });
    }
    if (members.length < BATCH) return;
    after = members.at(-1)!.id;
  }
}

async function seated(
  { cohortId, userIds }: { cohortId: string; userIds: string[] },
  { db, env, queue }: JobContext,
) {
  const rows = await db.cohortMember.findMany({
    where: { cohortId, userId: { in: userIds }, status: "ACTIVE" },
    select: {
      id: true,
      joinedAt: true,
      user: { select: { email: true, name: true } },
      cohort: { select: { name: true, slug: true, program: { select: { title: true } } } },
    },
  });
  for (const m of rows) {
    await queueEmail(db, queue, {
      dedupeKey: `cohort-seat:${m.id}:${m.joinedAt?.getTime() ?? 0}`,
      category: "cohort",
      to: m.user.email,
      template: {
        kind: "cohort-seat",
        name: m.user.name,
        cohortName: m.cohort.name,
        programTitle: m.cohort.program.title,
        url: `${env.appUrl}/app/cohorts/${m.cohort.slug}`,
        appUrl: env.appUrl,
      },
    });
  }
}

export const cohortRescheduledJob = defineJob({
  name: "cohorts.rescheduled",
  payload: z.object({ cohortId: z.string().max(64), version: z.number().int() }),
  retry: { limit: 5, delaySeconds: 30, backoff: true },
  handler: rescheduled,
});

export const cohortSeatedJob = defineJob({
  name: "cohorts.seated",
  payload: z.object({
    cohortId: z.string().max(64),
    userIds: z.array(z.string().max(64)).max(10_000),
  }),
  retry: { limit: 5, delaySeconds: 30, backoff: true },
  handler: seated,
});

export const cohortJobs = [cohortRescheduledJob, cohortSeatedJob] as const;

export async function tellSeated(queue: Queue, cohortId: string, userIds: string[]) {
  if (userIds.length) await queue.send(cohortSeatedJob, { cohortId, userIds });
}

export async function tellRescheduled(queue: Queue, cohortId: string, version: number) {
  await queue.send(
    cohortRescheduledJob,
    { cohortId, version },
    { singletonKey: `${cohortId}:${version}` },
  );
}
