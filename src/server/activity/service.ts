import type { Prisma } from "@/generated/prisma/client";
import {
  addDays,
  type Day,
  dateColumnDay,
  daysBetween,
  dayToDateColumn,
  localDay,
} from "@/lib/time-zone";
import type { Db } from "../db";

type Tx = Prisma.TransactionClient | Db;

/**
 * Records that a member showed up (submitted a pass, ticked a practice, logged a reach-out,
 * checked in a commitment) on their local day, in the same transaction as the write. One
 * upsert, atomic under concurrency: a later day extends the streak when it follows the last
 * active day and restarts it otherwise; the same day changes nothing but the last instant.
 */
export async function recordActivity(tx: Tx, userId: string, at: Date, timeZone: string) {
  const day = dayToDateColumn(localDay(at, timeZone));
  await tx.$executeRaw`
    INSERT INTO "MemberActivity"
      ("userId", "firstActiveDay", "lastActiveDay", "streakStartDay", "activeDays", "lastActiveAt")
    VALUES (${userId}, ${day}::date, ${day}::date, ${day}::date, 1, ${at})
    ON CONFLICT ("userId") DO UPDATE SET
      "streakStartDay" = CASE
        WHEN EXCLUDED."lastActiveDay" <= "MemberActivity"."lastActiveDay" + 1
          THEN "MemberActivity"."streakStartDay"
        ELSE EXCLUDED."lastActiveDay" END,
      "activeDays" = "MemberActivity"."activeDays"
        + CASE WHEN EXCLUDED."lastActiveDay" > "MemberActivity"."lastActiveDay" THEN 1 ELSE 0 END,
      "firstActiveDay" = LEAST("MemberActivity"."firstActiveDay", EXCLUDED."firstActiveDay"),
      "lastActiveDay" = GREATEST("MemberActivity"."lastActiveDay", EXCLUDED."lastActiveDay"),
      "lastActiveAt" = GREATEST("MemberActivity"."lastActiveAt", EXCLUDED."lastActiveAt")`;
}

export type Streak = { days: number; activeToday: boolean };

/**
 * The streak on the member's today: alive while the last active day is today or yesterday
 * (today is not over yet), counted from the day it started.
 */
export function streakOn(
  activity: { lastActiveDay: Date; streakStartDay: Date } | null,
  today: Day,
): Streak {
  if (!activity) return { days: 0, activeToday: false };
  const last = dateColumnDay(activity.lastActiveDay);
  if (last < addDays(today, -1)) return { days: 0, activeToday: false };
  const start = dateColumnDay(activity.streakStartDay);
  return { days: daysBetween(start, last) + 1, activeToday: last >= today };
}

/**
 * Rebuilds every aggregate kept on write (activity and streaks, answered prompts, practice
 * totals) from history: for seeds and benchmarks that write history directly. The SQL function
 * lives in the migrations, so the backfill and this are the same code.
 */
export async function rebuildAggregates(db: Db): Promise<void> {
  await db.$executeRaw`SELECT kindred_rebuild_aggregates()`;
}
