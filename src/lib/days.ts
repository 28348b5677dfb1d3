/**
 * Calendar-day strings ("YYYY-MM-DD") and their arithmetic, without any zone: safe in client
 * bundles. Zone conversions live in ./time-zone, which re-exports these.
 */
export type Day = string;

/** Exactly 24 hours: for durations only, never for "N days later" in someone's calendar. */
export const DAY_MS = 86_400_000;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(value: string): boolean {
  if (!DAY_PATTERN.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function addDays(day: Day, n: number): Day {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Whole calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** A `@db.Date` column comes back as UTC midnight; this is its calendar day. */
export function dateColumnDay(value: Date): Day {
  return value.toISOString().slice(0, 10);
}

export function dayToDateColumn(day: Day): Date {
  return new Date(`${day}T00:00:00Z`);
}
