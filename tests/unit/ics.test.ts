import { describe, expect, it } from "vitest";
import { calendar, foldLine, icsText, icsTime } from "@/server/cohorts/ics";

/** Unfolds (RFC 5545 §3.1) and reads a calendar back into events of property -> value. */
function parse(text: string) {
  expect(text.endsWith("\r\n")).toBe(true);
  expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  const lines = text
    .replace(/\r\n[ \t]/g, "")
    .split("\r\n")
    .filter(Boolean);
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") current = {};
    else if (line === "END:VEVENT") {
      events.push(current!);
      current = null;
    } else if (current) {
      const colon = line.indexOf(":");
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  return { lines, events };
}

const base = {
  title: "Weekly call",
  cohortName: "Winter circle",
  durationMinutes: 90,
  joinUrl: "https://meet.example.org/abc",
  pageUrl: "https://kindred.example.org/app/cohorts/winter-circle",
  updatedAt: new Date("2026-12-01T10:00:00Z"),
};

describe("iCalendar feed", () => {
  it("writes UTC times, escapes text and folds long lines without splitting a character", () => {
    expect(icsTime(new Date("2026-12-02T18:30:00.123Z"))).toBe("20261202T183000Z");
    expect(icsText("a;b,c\\d\ne")).toBe("a\\;b\\,c\\\\d\\ne");
    const long = `SUMMARY:${"é".repeat(60)}`;
    const folded = foldLine(long);
    for (const line of folded.split("\r\n")) {
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
    }
    expect(folded.replace(/\r\n /g, "")).toBe(long);
  });

  it("round-trips events with stable UIDs, SEQUENCE, and cancellations marked", () => {
    const now = new Date("2026-12-02T00:00:00Z");
    const text = calendar(
      [
        {
          ...base,
          id: "s1",
          startsAt: new Date("2026-12-08T18:00:00Z"),
          sequence: 0,
          cancelled: false,
        },
        {
          ...base,
          id: "s2",
          title: "Q&A; with, commas",
          startsAt: new Date("2026-12-15T18:00:00Z"),
          sequence: 2,
          cancelled: true,
        },
      ],
      { name: "Kindred live sessions", host: "kindred.example.org", now },
    );
    const { lines, events } = parse(text);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("VERSION:2.0");
    expect(lines.some((l) => l.startsWith("PRODID:"))).toBe(true);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      UID: "live-session-s1@kindred.example.org",
      DTSTART: "20261208T180000Z",
      DTEND: "20261208T193000Z",
      SEQUENCE: "0",
      STATUS: "CONFIRMED",
      DTSTAMP: "20261202T000000Z",
      SUMMARY: "Weekly call (Winter circle)",
    });
    expect(events[1]).toMatchObject({
      UID: "live-session-s2@kindred.example.org",
      SEQUENCE: "2",
      STATUS: "CANCELLED",
      SUMMARY: "Q&A\\; with\\, commas (Winter circle)",
    });
    // The same input gives the same UIDs: calendars update events instead of duplicating them.
    const again = parse(
      calendar(
        [
          {
            ...base,
            id: "s1",
            startsAt: new Date("2026-12-09T18:00:00Z"),
            sequence: 1,
            cancelled: false,
          },
        ],
        { name: "Kindred live sessions", host: "kindred.example.org", now },
      ),
    );
    expect(again.events[0]!.UID).toBe(events[0]!.UID);
  });
});

describe("CSV export cells", () => {
  it("quotes every cell, doubles quotes and defuses formulas", async () => {
    const { csv } = await import("@/server/cohorts/csv");
    expect(
      csv([
        ["a", 'say "hi"', 3, null],
        ['=HYPERLINK("x")', "+1", "-2", "@me"],
      ]),
    ).toBe('"a","say ""hi""","3",""\r\n"\'=HYPERLINK(""x"")","\'+1","\'-2","\'@me"\r\n');
  });
});
