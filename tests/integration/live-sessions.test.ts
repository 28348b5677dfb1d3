import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDay } from "@/lib/time-zone";
import type { Session } from "@/server/auth/session";
import { calendarFeed } from "@/server/cohorts/sessions";
import { seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";

let app: TestApp;
let coach: Session["user"];
let cohortId: string;
let member: Session["user"];

const unfold = (text: string) => text.replace(/\r\n[ \t]/g, "").split("\r\n");

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
  const program = await seedProgram(app.db, coach.id);
  const c = await app.caller(coach).cohorts.create({
    programId: program.program.id,
    name: "Berlin evenings",
    startDate: localDay(new Date(), "Europe/Berlin"),
    timeZone: "Europe/Berlin",
    capacity: 10,
  });
  cohortId = c.id;
  member = await app.createUser("MEMBER");
  await app.caller(member).cohorts.join({ cohortId });
});
afterAll(() => app?.close());

describe("live sessions", () => {
  const valid = () => ({
    cohortId,
    title: "Weekly call",
    date: addDays(localDay(new Date(), "Europe/Berlin"), 3),
    time: "19:00",
    durationMinutes: 60,
    joinUrl: "https://meet.example.org/abc",
  });

  it("refuses bad sessions field by field and adds nothing", async () => {
    const caller = app.caller(coach);
    const cases: [Record<string, unknown>, string][] = [
      [{ date: "2020-01-01" }, "date"],
      [{ time: "25:00" }, "time"],
      [{ durationMinutes: 0 }, "durationMinutes"],
      [{ joinUrl: "http://meet.example.org" }, "joinUrl"],
      [{ joinUrl: "javascript:alert(1)" }, "joinUrl"],
      [{ title: "" }, "title"],
    ];
    for (const [patch, field] of cases) {
      const e = await errorOf(() => caller.cohorts.addSession({ ...valid(), ...patch } as never));
      expect(e.code, JSON.stringify(patch)).toBe("BAD_REQUEST");
      expect(Object.keys(e.fields), JSON.stringify(patch)).toEqual([field]);
    }
    expect(await app.db.liveSession.count()).toBe(0);
  });

  it("reads the time in the cohort's zone, across a DST change", async () => {
    // 29 March 2027 is after Berlin's spring change (28 March): 19:00 there is 17:00 UTC.
    const s = await app
      .caller(coach)
      .cohorts.addSession({ ...valid(), date: "2027-03-29", time: "19:00" });
    expect(s.startsAt.toISOString()).toBe("2027-03-29T17:00:00.000Z");
    const w = await app
      .caller(coach)
      .cohorts.addSession({ ...valid(), date: "2027-03-26", time: "19:00" });
    expect(w.startsAt.toISOString()).toBe("2027-03-26T18:00:00.000Z");
  });

  it("feeds a member's calendar: stable UIDs, SEQUENCE on change, cancellations marked", async () => {
    const caller = app.caller(coach);
    const s = await caller.cohorts.addSession({ ...valid(), title: "Kick-off, with tea" });
    expect(await app.caller(member).cohorts.calendar()).toBeNull();
    const link = await app.caller(member).cohorts.resetCalendar({ confirm: true });
    const token = link.url.split("/").at(-1)!;
    expect(link.webcal.startsWith("webcal:")).toBe(true);

    const first = unfold((await calendarFeed(app.db, app.env, token))!);
    const uid = `UID:live-session-${s.id}@localhost`;
    expect(first).toContain(uid);
    expect(first).toContain("SUMMARY:Kick-off\\, with tea (Berlin evenings)");
    await caller.cohorts.updateSession({
      sessionId: s.id,
      title: "Kick-off",
      date: valid().date,
      time: "20:00",
      durationMinutes: 45,
      joinUrl: "https://meet.example.org/xyz",
    });
    await caller.cohorts.cancelSession({ sessionId: s.id });
    const after = unfold((await calendarFeed(app.db, app.env, token))!);
    const at = after.indexOf(uid);
    const event = after.slice(
      after.lastIndexOf("BEGIN:VEVENT", at),
      after.indexOf("END:VEVENT", at),
    );
    expect(event).toContain("SEQUENCE:2");
    expect(event).toContain("STATUS:CANCELLED");

    // A new address replaces the old one; made-up ones are not found.
    const fresh = await app.caller(member).cohorts.resetCalendar({ confirm: true });
    expect(await calendarFeed(app.db, app.env, token)).toBeNull();
    expect(await calendarFeed(app.db, app.env, fresh.url.split("/").at(-1)!)).not.toBeNull();
    expect(await calendarFeed(app.db, app.env, "x".repeat(32))).toBeNull();
    expect(await calendarFeed(app.db, app.env, "../../etc/passwd")).toBeNull();
    // Someone in no cohort gets an empty calendar, never another's sessions.
    const loner = await app.createUser("MEMBER");
    const own = await app.caller(loner).cohorts.resetCalendar({ confirm: true });
    const empty = (await calendarFeed(app.db, app.env, own.url.split("/").at(-1)!))!;
    expect(empty).not.toContain("BEGIN:VEVENT");
  });
});
