import { z } from "zod";
import { formatDateTime } from "@/lib/format-date";
import type { Db } from "../db";
import type { Env } from "../env";
import { defineJob } from "../jobs/define";
import type { Queue } from "../jobs/queue";
import { queueNudge } from "./send";

/**
 * Live-session reminders, a day and an hour before, to every active member of the session's
 * cohort, in each member's own time. They are nudges (a category a member can stop, quiet weeks
 * and suppression hold) but not part of the one-a-day limit, and quiet hours never hold one past
 * its session. A moved session (its `sequence` changes) is reminded about again; a cancelled one
 * is not; the dedupe key (session, sequence, lead, member) sends each once however often the
 * minute job runs.
 */
export const LEADS = [
  { key: "24h", ms: 24 * 60 * 60 * 1000, soon: false },
  { key: "1h", ms: 60 * 60 * 1000, soon: true },
] as const;
/** A session is picked up when its start enters [now + lead − window, now + lead]. */
const WINDOW_MS = 15 * 60 * 1000;

export async function remindSessions(
  db: Db,
  env: Pick<Env, "appUrl" | "authSecret">,
  queue: Queue,
  now = new Date(),
): Promise<number> {
  let queued = 0;
  for (const lead of LEADS) {
    const sessions = await db.liveSession.findMany({
      where: {
        cancelledAt: null,
        startsAt: {
          gt: new Date(now.getTime() + lead.ms - WINDOW_MS),
          lte: new Date(now.getTime() + lead.ms),
        },
      },
      select: {
        id: true,
        title: true,
        startsAt: true,
        sequence: true,
        cohort: {
          select: {
            name: true,
            slug: true,
            members: { where: { status: "ACTIVE" }, select: { userId: true } },
          },
        },
      },
    });
    for (const session of sessions) {
      for (const { userId } of session.cohort.members) {
        const outcome = await queueNudge(db, env, queue, {
          userId,
          category: "session",
          dedupeKey: `session:${session.id}:${session.sequence}:${lead.key}:${userId}`,
          now,
          daily: false,
          notAfter: session.startsAt,
          template: (links, member) => ({
            kind: "daily-nudge",
            topic: "session",
            title: session.title,
            cohortName: session.cohort.name,
            when: formatDateTime(session.startsAt, member.timeZone),
            soon: lead.soon,
            name: member.name,
            url: `${env.appUrl}/app/cohorts/${session.cohort.slug}`,
            appUrl: env.appUrl,
            links,
          }),
        });
        if (outcome.status === "queued") queued++;
      }
    }
  }
  return queued;
}

export const sessionRemindersJob = defineJob({
  name: "nudges.sessions",
  payload: z.object({}),
  cron: { expression: "* * * * *", payload: {} },
  retry: { limit: 0, delaySeconds: 0, backoff: false },
  async handler(_payload, ctx) {
    await remindSessions(ctx.db, ctx.env, ctx.queue);
  },
});
