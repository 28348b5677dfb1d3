import { addDays, type Day, localDay, zonedInstant } from "@/lib/time-zone";

/**
 * When a member's reflection reminder comes: a local time on chosen weekdays, in their zone.
 * Pure and DST-correct: a local time that does not exist on a spring-forward day is sent when
 * the clocks have moved on (02:30 → 03:30), and one that happens twice on a fall-back day is
 * sent at its first occurrence only, never twice.
 */
export type ReminderPlan = {
  timeZone: string;
  /** Minutes after local midnight, 0–1439. */
  minuteOfDay: number;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. Empty: no reminder. */
  days: readonly number[];
  /** Quiet weeks: nothing on or before this local day. */
  quietUntil?: Day | null;
};

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar day. */
export function isoWeekday(day: Day): number {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 ? 7 : weekday;
}

// Members share zones and times: the planner asks for the same few instants thousands of times,
// and zone arithmetic is the costly part. Bounded, so a long-running worker does not grow it.
const instants = new Map<string, number>();
const MAX_CACHED = 20_000;

/** The reminder instant on one local day (whether or not that day is chosen). */
export function reminderOn(day: Day, plan: Pick<ReminderPlan, "timeZone" | "minuteOfDay">): Date {
  const key = `${plan.timeZone}|${day}|${plan.minuteOfDay}`;
  const cached = instants.get(key);
  if (cached !== undefined) return new Date(cached);
  const at = zonedInstant(
    day,
    plan.timeZone,
    Math.floor(plan.minuteOfDay / 60),
    plan.minuteOfDay % 60,
  );
  if (instants.size >= MAX_CACHED) instants.clear();
  instants.set(key, at.getTime());
  return at;
}

// The planner asks for the next slot after the same instant (now) for thousands of members who
// share a zone, a time and weekdays: the answer is kept per question, bounded like `instants`.
const answers = new Map<string, number | null>();

/** The first reminder strictly after `after`, or null when no weekday is chosen. */
export function nextReminderAt(plan: ReminderPlan, after: Date): Date | null {
  const key = `${plan.timeZone}|${plan.minuteOfDay}|${plan.days.join(",")}|${plan.quietUntil ?? ""}|${after.getTime()}`;
  const known = answers.get(key);
  if (known !== undefined) return known === null ? null : new Date(known);
  const answer = computeNext(plan, after);
  if (answers.size >= MAX_CACHED) answers.clear();
  answers.set(key, answer?.getTime() ?? null);
  return answer;
}

function computeNext(plan: ReminderPlan, after: Date): Date | null {
  if (!plan.days.length) return null;
  let day = localDay(after, plan.timeZone);
  if (plan.quietUntil && day <= plan.quietUntil) day = addDays(plan.quietUntil, 1);
  // Each local day has exactly one reminder instant, so a day whose instant has passed is
  // skipped whole: the second 01:30 of a fall-back night is never a second reminder.
  for (let i = 0; i < 8; i++, day = addDays(day, 1)) {
    if (!plan.days.includes(isoWeekday(day))) continue;
    const at = reminderOn(day, plan);
    if (at.getTime() > after.getTime()) return at;
  }
  return null;
}

/** Whether local minute `minute` falls in quiet hours [start, end) (wrapping past midnight). */
export function inQuietHours(minute: number, start: number | null, end: number | null): boolean {
  if (start === null || end === null || start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** Minutes after local midnight of an instant, in a zone. */
export function localMinute(instant: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
}
