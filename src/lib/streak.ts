/**
 * Local calendar days and the streak of active days. Days are "YYYY-MM-DD" strings in the
 * member's time zone: day arithmetic on them is immune to DST (a local day may last 23 or 25
 * hours, but it is still one day).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(instant: Date, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(instant)) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return out as Record<"year" | "month" | "day" | "hour" | "minute" | "second", number>;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** The calendar day an instant falls on in a time zone. */
export function localDay(instant: Date, timeZone: string): string {
  const p = partsIn(instant, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** A `@db.Date` column comes back as UTC midnight; this is its calendar day. */
export function dateColumnDay(value: Date): string {
  return value.toISOString().slice(0, 10);
}

export function dayToDateColumn(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** Offset of the zone from UTC at an instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = partsIn(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant a local wall-clock time occurs in a zone. A repeated hour (DST ends) resolves to
 * its first occurrence; a skipped time (DST starts) to the first instant after the gap, so the
 * start of a day whose midnight is skipped (e.g. America/Santiago) is 01:00 of that day.
 */
export function zonedInstant(day: string, timeZone: string, hour = 0, minute = 0): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  const first = wall - offsetAt(new Date(wall), timeZone);
  const second = wall - offsetAt(new Date(first), timeZone);
  const candidates = [first, second];
  const exact = candidates.filter((c) => c + offsetAt(new Date(c), timeZone) === wall);
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...candidates));
}

/** Start of a local day (inclusive lower bound of the day's instants). */
export const startOfLocalDay = (day: string, timeZone: string) => zonedInstant(day, timeZone, 0);

/**
 * Consecutive active days ending today, or ending yesterday when today has no activity yet
 * (the streak is not broken until the day is over).
 */
export function computeStreak(activeDays: Iterable<string>, today: string): number {
  const set = new Set(activeDays);
  let day = set.has(today) ? today : addDays(today, -1);
  let count = 0;
  while (set.has(day)) {
    count += 1;
    day = addDays(day, -1);
  }
  return count;
}

/** The streak from raw activity instants, each counted on its local day in the zone. */
export function streakFromInstants(instants: Iterable<Date>, timeZone: string, now: Date): number {
  const days = new Set<string>();
  for (const at of instants) days.add(localDay(at, timeZone));
  return computeStreak(days, localDay(now, timeZone));
}
