import { describe, expect, it } from "vitest";
import {
  addDays,
  computeStreak,
  daysBetween,
  localDay,
  startOfLocalDay,
  streakFromInstants,
  zonedInstant,
} from "@/lib/streak";

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

describe("streakFromInstants", () => {
  it("counts days in the member's zone, not in UTC", () => {
    // The first two fall on one UTC day but on two Auckland (UTC+13) days.
    const instants = [
      new Date("2026-03-08T10:30:00Z"), // Auckland 2026-03-08 23:30
      new Date("2026-03-08T11:30:00Z"), // Auckland 2026-03-09 00:30
      new Date("2026-03-09T10:00:00Z"), // Auckland 2026-03-09 23:00
    ];
    const now = new Date("2026-03-09T10:30:00Z");
    expect(streakFromInstants(instants, "Pacific/Auckland", now)).toBe(2);
    expect(streakFromInstants(instants, "UTC", now)).toBe(2);
    expect(streakFromInstants(instants.slice(0, 2), "UTC", now)).toBe(1);
    expect(streakFromInstants(instants.slice(0, 2), "Pacific/Auckland", now)).toBe(2);
    // Los Angeles: 02:30, 03:30 on the 8th and 03:00 on the 9th, local: two days.
    expect(streakFromInstants(instants, "America/Los_Angeles", now)).toBe(2);
  });

  it("keeps a streak across the DST change (23- and 25-hour days)", () => {
    const tz = "America/Los_Angeles";
    // One action late each evening 2026-03-06..2026-03-09 (DST starts on the 8th).
    const spring = ["2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"].map((d) =>
      zonedInstant(d, tz, 23, 30),
    );
    expect(streakFromInstants(spring, tz, zonedInstant("2026-03-09", tz, 23, 45))).toBe(4);
    // And just after midnight each day around the end of DST (2026-11-01 is 25 hours long).
    const autumn = ["2026-10-31", "2026-11-01", "2026-11-02"].map((d) => zonedInstant(d, tz, 0, 5));
    expect(streakFromInstants(autumn, tz, zonedInstant("2026-11-03", tz, 8))).toBe(3);
  });

  it("ends today or yesterday in the member's zone", () => {
    const tz = "Pacific/Auckland";
    const instants = [zonedInstant("2026-06-01", tz, 9), zonedInstant("2026-06-02", tz, 9)];
    expect(streakFromInstants(instants, tz, zonedInstant("2026-06-03", tz, 23, 59))).toBe(2);
    expect(streakFromInstants(instants, tz, zonedInstant("2026-06-04", tz, 0, 1))).toBe(0);
  });
});
