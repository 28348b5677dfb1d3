import { describe, expect, it } from "vitest";
import { computeStreak } from "@/lib/streak";
import {
  addDays,
  daysBetween,
  isDay,
  isTimeZone,
  localDay,
  localDayRange,
  startOfDayAfter,
  startOfLocalDay,
  zonedInstant,
  zoneOrUtc,
} from "@/lib/time-zone";

describe("local days", () => {
  it("puts one instant on different days in different zones", () => {
    const at = new Date("2026-03-10T11:30:00Z");
    expect(localDay(at, "Pacific/Auckland")).toBe("2026-03-11"); // UTC+13
    expect(localDay(at, "America/Los_Angeles")).toBe("2026-03-10"); // UTC-7
    expect(localDay(at, "UTC")).toBe("2026-03-10");
  });

  it("adds days across month, year and leap-day boundaries", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(daysBetween("2026-03-07", "2026-03-09")).toBe(2);
  });

  it("finds local midnight on the days DST starts and ends", () => {
    // Los Angeles springs forward on 2026-03-08 and falls back on 2026-11-01.
    expect(startOfLocalDay("2026-03-08", "America/Los_Angeles").toISOString()).toBe(
      "2026-03-08T08:00:00.000Z",
    );
    expect(startOfLocalDay("2026-03-09", "America/Los_Angeles").toISOString()).toBe(
      "2026-03-09T07:00:00.000Z",
    );
    expect(startOfLocalDay("2026-11-02", "America/Los_Angeles").toISOString()).toBe(
      "2026-11-02T08:00:00.000Z",
    );
    // Auckland's DST ends on 2026-04-05 (UTC+13 -> UTC+12).
    expect(startOfLocalDay("2026-04-06", "Pacific/Auckland").toISOString()).toBe(
      "2026-04-05T12:00:00.000Z",
    );
    expect(zonedInstant("2026-07-01", "Europe/Berlin", 12).toISOString()).toBe(
      "2026-07-01T10:00:00.000Z",
    );
  });

  it("resolves a skipped midnight to the first instant of that day", () => {
    // Santiago skips 00:00-01:00 on 2026-09-06 (UTC-4 -> UTC-3).
    const start = startOfLocalDay("2026-09-06", "America/Santiago");
    expect(localDay(start, "America/Santiago")).toBe("2026-09-06");
    expect(localDay(new Date(start.getTime() - 1000), "America/Santiago")).toBe("2026-09-05");
  });

  it("starts a day whose midnight does not exist at 01:00 (Santiago, Havana)", () => {
    // Santiago: 2026-09-06 00:00 -04 jumps to 01:00 -03; Havana: 2026-03-08 00:00 -05 to 01:00 -04.
    expect(startOfLocalDay("2026-09-06", "America/Santiago").toISOString()).toBe(
      "2026-09-06T04:00:00.000Z",
    );
    expect(startOfLocalDay("2026-03-08", "America/Havana").toISOString()).toBe(
      "2026-03-08T05:00:00.000Z",
    );
    // The days around them start at their own midnight.
    expect(startOfLocalDay("2026-09-05", "America/Santiago").toISOString()).toBe(
      "2026-09-05T04:00:00.000Z",
    );
    expect(startOfLocalDay("2026-09-07", "America/Santiago").toISOString()).toBe(
      "2026-09-07T03:00:00.000Z",
    );
    // Havana falls back at 01:00 on 2026-11-01: that day starts at 00:00 -04.
    expect(startOfLocalDay("2026-11-01", "America/Havana").toISOString()).toBe(
      "2026-11-01T04:00:00.000Z",
    );
    expect(startOfLocalDay("2026-11-02", "America/Havana").toISOString()).toBe(
      "2026-11-02T05:00:00.000Z",
    );
  });

  it("gives a local-day range that holds exactly that day's instants", () => {
    const zone = "America/Santiago";
    const range = localDayRange("2026-09-06", "2026-09-06", zone);
    expect(range.gte?.toISOString()).toBe("2026-09-06T04:00:00.000Z");
    expect(range.lt?.toISOString()).toBe("2026-09-07T03:00:00.000Z");
    expect(localDay(range.gte!, zone)).toBe("2026-09-06");
    expect(localDay(new Date(range.lt!.getTime() - 1), zone)).toBe("2026-09-06");
    expect(localDay(range.lt!, zone)).toBe("2026-09-07");
    expect(localDayRange(undefined, undefined, zone)).toEqual({});
  });

  it("opens N calendar days later at local midnight, across DST", () => {
    // Enrolled on the evening of 2026-09-03 in Santiago; day 3 is 2026-09-06, whose midnight is skipped.
    const enrolled = zonedInstant("2026-09-03", "America/Santiago", 21, 15);
    expect(startOfDayAfter(enrolled, 3, "America/Santiago").toISOString()).toBe(
      "2026-09-06T04:00:00.000Z",
    );
    // Berlin springs forward on 2026-03-29: seven days after 2026-03-25 10:00 is 2026-04-01 00:00 +02.
    const berlin = zonedInstant("2026-03-25", "Europe/Berlin", 10);
    expect(startOfDayAfter(berlin, 7, "Europe/Berlin").toISOString()).toBe(
      "2026-03-31T22:00:00.000Z",
    );
  });

  it("knows zones, aliases and days, and falls back to UTC", () => {
    expect(isTimeZone("America/Havana")).toBe(true);
    expect(isTimeZone("Asia/Calcutta")).toBe(true);
    expect(isTimeZone("Not/AZone")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(zoneOrUtc("Not/AZone")).toBe("UTC");
    expect(zoneOrUtc(undefined)).toBe("UTC");
    expect(isDay("2028-02-29")).toBe(true);
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2026-1-01")).toBe(false);
  });

  it("resolves a repeated hour to its first occurrence", () => {
    expect(zonedInstant("2026-11-01", "America/Los_Angeles", 1, 30).toISOString()).toBe(
      "2026-11-01T08:30:00.000Z",
    );
  });
});

describe("computeStreak", () => {
  it("is zero without activity", () => {
    expect(computeStreak([], "2026-05-10")).toBe(0);
  });

  it("counts consecutive days ending today", () => {
    expect(computeStreak(["2026-05-08", "2026-05-09", "2026-05-10"], "2026-05-10")).toBe(3);
  });

  it("still counts a streak ending yesterday (today is not over)", () => {
    expect(computeStreak(["2026-05-08", "2026-05-09"], "2026-05-10")).toBe(2);
  });

  it("is broken by a day without activity before yesterday", () => {
    expect(computeStreak(["2026-05-07", "2026-05-08"], "2026-05-10")).toBe(0);
  });

  it("stops at the first gap", () => {
    const days = ["2026-05-01", "2026-05-02", "2026-05-04", "2026-05-05", "2026-05-06"];
    expect(computeStreak(days, "2026-05-06")).toBe(3);
  });

  it("ignores duplicates and order", () => {
    expect(computeStreak(["2026-05-10", "2026-05-09", "2026-05-10"], "2026-05-10")).toBe(2);
  });

  it("crosses month and year ends", () => {
    expect(computeStreak(["2026-12-30", "2026-12-31", "2027-01-01"], "2027-01-01")).toBe(3);
  });
});
