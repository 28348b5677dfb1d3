import { type Day, daysBetween } from "./days";

/**
 * Every date Kindred shows a person, in one place (server and client). Instants are shown in the
 * reader's zone; calendar days ("YYYY-MM-DD") are shown as they are. Formatters are cached:
 * building an Intl.DateTimeFormat costs far more than using one.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(options: Intl.DateTimeFormatOptions, zone: string): Intl.DateTimeFormat {
  const key = `${zone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: zone });
    } catch {
      // A zone the runtime does not know (an old stored value): show UTC rather than fail.
      f = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" });
    }
    cache.set(key, f);
  }
  return f;
}

/** "10 Mar 2026" (short) or "10 March 2026" (long): the day an instant falls on in a zone. */
export function formatDate(at: Date | string, zone: string, length: "short" | "long" = "short") {
  return formatter({ day: "numeric", month: length, year: "numeric" }, zone).format(new Date(at));
}

/** "10 Mar 2026, 14:05" in the zone. */
export function formatDateTime(at: Date | string, zone: string): string {
  return formatter(
    { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" },
    zone,
  ).format(new Date(at));
}

/** "Wednesday 10 June": today's heading. */
export function formatWeekdayDate(at: Date, zone: string): string {
  return formatter({ weekday: "long", day: "numeric", month: "long" }, zone).format(at);
}

/** "19:05": the wall-clock time of an instant in a zone (24-hour, as time inputs take it). */
export function localTime(at: Date, zone: string): string {
  return formatter({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" }, zone).format(at);
}

/** The hour (0–23) of an instant in a zone. */
export function localHour(at: Date, zone: string): number {
  return Number(formatter({ hour: "numeric", hourCycle: "h23" }, zone).format(at));
}

/** A calendar day as people read it: "Wed 10 Jun", or "Wed 10 Jun 2026" with the year. */
export function formatDay(day: Day, withYear = false): string {
  return formatter(
    { weekday: "short", day: "numeric", month: "short", ...(withYear ? { year: "numeric" } : {}) },
    "UTC",
  ).format(new Date(`${day}T00:00:00Z`));
}

/** "today", "tomorrow", "yesterday", "in 3 days", "5 days ago" from the reader's today. */
export function relativeDay(day: Day, today: Day): string {
  const diff = daysBetween(today, day);
  if (diff === 0) return "today";
  if (diff === 1) return "tomorrow";
  if (diff === -1) return "yesterday";
  return diff > 0 ? `in ${diff} days` : `${-diff} days ago`;
}
