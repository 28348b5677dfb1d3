import { describe, expect, it } from "vitest";
import { categoryOn } from "@/server/nudges/categories";
import { inQuietHours, isoWeekday, localMinute, nextReminderAt } from "@/server/nudges/schedule";
import {
  LINK_TOKEN_DAYS,
  readLinkToken,
  signLinkToken,
  verifyLinkToken,
} from "@/server/nudges/tokens";

const ALL = [1, 2, 3, 4, 5, 6, 7];
const at = (iso: string) => new Date(iso);

describe("nextReminderAt", () => {
  it("comes at the chosen local time, today if still ahead, else on the next chosen day", () => {
    const plan = { timeZone: "Europe/London", minuteOfDay: 19 * 60, days: ALL };
    expect(nextReminderAt(plan, at("2026-12-02T10:00:00Z"))).toEqual(at("2026-12-02T19:00:00Z"));
    expect(nextReminderAt(plan, at("2026-12-02T19:00:00Z"))).toEqual(at("2026-12-03T19:00:00Z"));
    // Wednesday 2 December 2026; only Mondays chosen → Monday 7 December.
    expect(isoWeekday("2026-12-02")).toBe(3);
    expect(nextReminderAt({ ...plan, days: [1] }, at("2026-12-02T10:00:00Z"))).toEqual(
      at("2026-12-07T19:00:00Z"),
    );
    expect(nextReminderAt({ ...plan, days: [] }, at("2026-12-02T10:00:00Z"))).toBeNull();
  });

  it("keeps the local time across DST in several zones", () => {
    const cases: [string, number, string, string][] = [
      // zone, local minute, after, expected (UTC)
      ["Europe/Berlin", 8 * 60, "2026-03-28T08:00:00Z", "2026-03-29T06:00:00Z"], // CET → CEST
      ["Europe/Berlin", 8 * 60, "2026-10-24T07:00:00Z", "2026-10-25T07:00:00Z"], // CEST → CET
      ["America/New_York", 7 * 60 + 30, "2026-03-07T13:00:00Z", "2026-03-08T11:30:00Z"],
      ["America/New_York", 7 * 60 + 30, "2026-10-31T12:00:00Z", "2026-11-01T12:30:00Z"],
      ["Australia/Sydney", 21 * 60, "2026-04-04T11:00:00Z", "2026-04-05T11:00:00Z"], // AEDT → AEST
      ["Asia/Kolkata", 6 * 60, "2026-06-01T01:00:00Z", "2026-06-02T00:30:00Z"], // +05:30, no DST
    ];
    for (const [timeZone, minuteOfDay, after, expected] of cases) {
      expect(nextReminderAt({ timeZone, minuteOfDay, days: ALL }, at(after)), timeZone).toEqual(
        at(expected),
      );
    }
  });

  it("sends a skipped local time when the clocks have moved on, and a doubled one only once", () => {
    const plan = { timeZone: "Europe/Berlin", minuteOfDay: 2 * 60 + 30, days: ALL };
    // 29 March 2026: 02:30 does not exist in Berlin; it comes at 03:30 CEST (01:30 UTC).
    expect(nextReminderAt(plan, at("2026-03-28T12:00:00Z"))).toEqual(at("2026-03-29T01:30:00Z"));
    // 25 October 2026: 02:30 happens twice; the first (CEST, 00:30 UTC) is the reminder...
    const first = nextReminderAt(plan, at("2026-10-24T12:00:00Z"));
    expect(first).toEqual(at("2026-10-25T00:30:00Z"));
    // ...and after it the next is the following day, not the second 02:30 an hour later.
    expect(nextReminderAt(plan, first as Date)).toEqual(at("2026-10-26T01:30:00Z"));
  });

  it("waits out quiet weeks", () => {
    const plan = {
      timeZone: "UTC",
      minuteOfDay: 9 * 60,
      days: ALL,
      quietUntil: "2026-12-20",
    };
    expect(nextReminderAt(plan, at("2026-12-02T00:00:00Z"))).toEqual(at("2026-12-21T09:00:00Z"));
  });
});

describe("quiet hours and local minutes", () => {
  it("holds within the hours, wrapping past midnight", () => {
    expect(inQuietHours(22 * 60, 21 * 60, 8 * 60)).toBe(true);
    expect(inQuietHours(7 * 60, 21 * 60, 8 * 60)).toBe(true);
    expect(inQuietHours(8 * 60, 21 * 60, 8 * 60)).toBe(false);
    expect(inQuietHours(12 * 60, 13 * 60, 14 * 60)).toBe(false);
    expect(inQuietHours(13 * 60 + 30, 13 * 60, 14 * 60)).toBe(true);
    expect(inQuietHours(12 * 60, null, null)).toBe(false);
    expect(localMinute(at("2026-07-01T12:15:00Z"), "Europe/Berlin")).toBe(14 * 60 + 15);
  });
});

describe("categories", () => {
  it("follow the default unless the member changed them", () => {
    expect(categoryOn({}, "reflection")).toBe(true);
    expect(categoryOn({ reflection: false }, "reflection")).toBe(false);
    expect(categoryOn(null, "cohort-nudge")).toBe(true);
    expect(categoryOn({ reflection: "no" }, "reflection")).toBe(true);
  });
});

describe("signed links", () => {
  const secret = "a-secret-of-the-deployment-32-chars-long";
  it("round-trip and refuse forgery, tampering and reuse for another member, category or purpose", () => {
    const unsub = signLinkToken(secret, {
      purpose: "unsubscribe",
      userId: "user_1",
      category: "reflection",
    });
    expect(verifyLinkToken(secret, unsub)).toEqual({
      purpose: "unsubscribe",
      userId: "user_1",
      category: "reflection",
    });
    const prefs = signLinkToken(secret, { purpose: "preferences", userId: "user_1" });
    expect(verifyLinkToken(secret, prefs)).toEqual({ purpose: "preferences", userId: "user_1" });
    const sig = unsub.slice(unsub.lastIndexOf(".") + 1);
    const refused = [
      unsub.replace("user_1", "user_2"),
      unsub.replace("reflection", "cohort-nudge"),
      `p.user_1.${sig}`,
      unsub.replace(/[^.]+$/, "A".repeat(sig.length)),
      signLinkToken("another-deployment-secret-32-chars-long", {
        purpose: "preferences",
        userId: "user_1",
      }),
      `${unsub}x`,
      unsub.slice(0, -1),
      "",
      "...",
      "u.user_1.unknown.abc",
      "x".repeat(500),
    ];
    for (const token of refused) expect(verifyLinkToken(secret, token), token).toBeNull();
    expect(verifyLinkToken(secret, 42)).toBeNull();
  });

  it("last a year from the day they were issued, and cannot be made younger", () => {
    const issuedAt = new Date("2026-03-01T12:00:00Z");
    const later = (days: number) => new Date(issuedAt.getTime() + days * 86_400_000);
    const unsub = signLinkToken(
      secret,
      { purpose: "unsubscribe", userId: "user_1", category: "reflection" },
      issuedAt,
    );
    const link = { purpose: "unsubscribe", userId: "user_1", category: "reflection" };
    expect(readLinkToken(secret, unsub, later(LINK_TOKEN_DAYS))).toEqual({ link, expired: false });
    expect(readLinkToken(secret, unsub, later(LINK_TOKEN_DAYS + 1))).toEqual({
      link: null,
      expired: true,
    });
    expect(verifyLinkToken(secret, unsub, later(LINK_TOKEN_DAYS + 1))).toBeNull();
    // Issued "in the future" beyond a day of clock slack: not Kindred's.
    expect(readLinkToken(secret, unsub, later(-2))).toEqual({ link: null, expired: false });
    // Changing the issued day breaks the signature.
    const parts = unsub.split(".");
    parts[3] = (Number.parseInt(parts[3] ?? "0", 36) + 400).toString(36);
    expect(readLinkToken(secret, parts.join("."), later(LINK_TOKEN_DAYS + 1))).toEqual({
      link: null,
      expired: false,
    });
  });
});
