/**
 * iCalendar (RFC 5545) text for a member's live sessions: pure functions, no database.
 * Times are written in UTC ("Z"), so no VTIMEZONE is needed and every calendar app shows them in
 * its own zone; UIDs are stable per session, SEQUENCE counts changes, cancelled sessions stay in
 * the feed with STATUS:CANCELLED so calendars remove them rather than keep a stale copy.
 */

export type CalendarEvent = {
  id: string;
  title: string;
  cohortName: string;
  startsAt: Date;
  durationMinutes: number;
  joinUrl: string;
  sequence: number;
  cancelled: boolean;
  updatedAt: Date;
  pageUrl: string;
};

/** 20261202T183000Z */
export function icsTime(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** TEXT values escape backslash, semicolon, comma and line breaks (§3.3.11). */
export function icsText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

/**
 * Lines longer than 75 octets are folded: CRLF and one space (§3.1), never inside a UTF-8
 * character.
 */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

export function calendar(
  events: CalendarEvent[],
  options: { name: string; host: string; now: Date },
): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Kindred//Cohort live sessions//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${icsText(options.name)}`,
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
  ];
  for (const e of events) {
    const end = new Date(e.startsAt.getTime() + e.durationMinutes * 60_000);
    lines.push(
      "BEGIN:VEVENT",
      `UID:live-session-${e.id}@${options.host}`,
      `DTSTAMP:${icsTime(options.now)}`,
      `LAST-MODIFIED:${icsTime(e.updatedAt)}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTART:${icsTime(e.startsAt)}`,
      `DTEND:${icsTime(end)}`,
      `SUMMARY:${icsText(`${e.title} (${e.cohortName})`)}`,
      `DESCRIPTION:${icsText(`Join: ${e.joinUrl}\nCohort page: ${e.pageUrl}`)}`,
      `LOCATION:${icsText(e.joinUrl)}`,
      `URL:${e.joinUrl}`,
      `STATUS:${e.cancelled ? "CANCELLED" : "CONFIRMED"}`,
      "END:VEVENT",
    );
  }
  lines.push("END:VCALENDAR");
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
