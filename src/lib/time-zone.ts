import { Temporal } from "temporal-polyfill";
import { addDays, type Day } from "./days";

/**
 * Calendar days and wall-clock times in a member's (or a cohort's) IANA time zone: the one
 * place in Kindred that turns local days into instants and back. Zone arithmetic (which instant
 * a local day starts at, across DST gaps and overlaps) is done by the Temporal polyfill; reading
 * the local day of an instant uses a cached Intl formatter, which is much faster and exact.
 *
 * A day is a "YYYY-MM-DD" string. Day arithmetic on those strings is immune to DST: a local day
 * may last 23 or 25 hours, or start at 01:00 (America/Santiago on 2026-09-06), but it is still
 * one day.
 */
export {
  addDays,
  DAY_MS,
  type Day,
  dateColumnDay,
  daysBetween,
  dayToDateColumn,
  isDay,
} from "./days";

let zones: Set<string> | undefined;

function zoneSet(): Set<string> {
  // Intl omits "UTC" from its list on some versions.
  zones ??= new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
  return zones;
}

// Names outside Intl's list are checked by constructing a formatter, which is slow: remember.
const checked = new Map<string, boolean>();

export function isTimeZone(value: string): boolean {
  if (zoneSet().has(value)) return true;
  const known = checked.get(value);
  if (known !== undefined) return known;
  const valid = checkZone(value);
  if (checked.size < 1000) checked.set(value, valid);
  return valid;
}

function checkZone(value: string): boolean {
  try {
    // Names the list leaves out (e.g. Asia/Calcutta) are valid when the runtime keeps them as
    // they are; a miscased "europe/berlin" is accepted by Intl but is not a zone name.
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions()
      .timeZone;
    if (resolved === value) return true;
    // ICU may resolve a current name to its older alias (Asia/Kolkata → Asia/Calcutta): the
    // name is still valid if Intl knows it and it is spelled as zone names are (each part
    // capitalised), which a miscased "europe/berlin" is not.
    return /^[A-Z][A-Za-z_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)+$/.test(value);
  } catch {
    return false;
  }
}

/** A stored zone that is no longer valid (or was never set) falls back to UTC. */
export function zoneOrUtc(zone: string | null | undefined): string {
  return zone && isTimeZone(zone) ? zone : "UTC";
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day an instant falls on in a zone. */
export function localDay(instant: Date, zone: string): Day {
  const z = zoneOrUtc(zone);
  let f = dayFormatters.get(z);
  if (!f) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: z,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dayFormatters.set(z, f);
  }
  return f.format(instant);
}

/** The first instant of a local day (01:00 where midnight is skipped by a DST change). */
export function startOfLocalDay(day: Day, zone: string): Date {
  const start = Temporal.PlainDate.from(day).toZonedDateTime({ timeZone: zoneOrUtc(zone) });
  return new Date(start.epochMilliseconds);
}

/**
 * The instant a local wall-clock time occurs. A repeated time (DST ends) resolves to its first
 * occurrence; a skipped one (DST starts) to the same distance after the gap, as calendars do.
 */
export function zonedInstant(day: Day, zone: string, hour = 0, minute = 0): Date {
  const wall = Temporal.PlainDate.from(day).toPlainDateTime({ hour, minute });
  const at = wall.toZonedDateTime(zoneOrUtc(zone), { disambiguation: "compatible" });
  return new Date(at.epochMilliseconds);
}

/** The start of the local day `days` calendar days after the day `instant` falls on. */
export function startOfDayAfter(instant: Date, days: number, zone: string): Date {
  return startOfLocalDay(addDays(localDay(instant, zone), days), zone);
}

/** Instants of local days `from` through `to` (both inclusive, either optional) as a range. */
export function localDayRange(
  from: Day | undefined,
  to: Day | undefined,
  zone: string,
): { gte?: Date; lt?: Date } {
  return {
    ...(from ? { gte: startOfLocalDay(from, zone) } : {}),
    ...(to ? { lt: startOfLocalDay(addDays(to, 1), zone) } : {}),
  };
}
