import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { sendDigests } from "@/server/nudges/digest";
import { ensureNudgeSettings } from "@/server/nudges/preferences";
import { planReminders, sendDailyNudge } from "@/server/nudges/reminders";
import { queueNudge } from "@/server/nudges/send";
import { remindSessions } from "@/server/nudges/sessions";
import { LINK_TOKEN_DAYS, signLinkToken } from "@/server/nudges/tokens";
import { unsubscribeRequest } from "@/server/nudges/unsubscribe-http";
import { seedProgram } from "../authz/player";
import { closeSharedDb, createTestApp, shareWithHandlers, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";

/**
 * Email nudges on PostgreSQL: preferences and their validation, the planner (indexed, each
 * reminder planned once), the rules every nudge obeys (category, suppression, quiet weeks and
 * hours, one a day), the headers and links each carries, and the signed links used without a
 * session (one-click unsubscribe, the preference page).
 */
let app: TestApp;
let coach: Session["user"];
let programId: string;

beforeAll(async () => {
  app = await createTestApp();
  shareWithHandlers(app);
  coach = await app.createUser("COACH");
  ({
    program: { id: programId },
  } = await seedProgram(app.db, coach.id));
}, 60_000);

afterAll(async () => {
  await closeSharedDb();
  await app?.close();
});

const valid = {
  categories: { reflection: true, "cohort-nudge": true },
  reminderTime: "19:00",
  reminderDays: [1, 2, 3, 4, 5],
  timeZone: "Europe/Berlin",
  quietStart: null,
  quietEnd: null,
  quietUntil: null,
};

async function enrolledMember(zone = "UTC") {
  const member = await app.createUser("MEMBER");
  await app.db.user.update({ where: { id: member.id }, data: { timeZone: zone } });
  await app.caller({ ...member, timeZone: zone }).player.enrol({ programId });
  return member;
}

const emailsTo = (address: string) =>
  app.db.email.findMany({ where: { toAddress: address }, orderBy: { createdAt: "asc" } });

describe("preferences", () => {
  it("start with an enrolment and are saved with the next reminder planned in the member's zone", async () => {
    const member = await enrolledMember("UTC");
    const settings = await app.db.nudgeSettings.findUniqueOrThrow({ where: { userId: member.id } });
    expect(settings.nextReminderAt).not.toBeNull();

    const saved = await app.caller(member).nudges.save(valid);
    expect(saved.timeZone).toBe("Europe/Berlin");
    expect(saved.reminderDays).toEqual([1, 2, 3, 4, 5]);
    const next = saved.nextReminderAt as Date;
    // 19:00 in Berlin on a weekday.
    const local = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(next);
    expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 19:00$/);

    // Reflection reminders off: the slot stays for the other daily kinds...
    const fewer = await app.caller(member).nudges.save({
      ...valid,
      categories: { reflection: false },
    });
    expect(fewer.nextReminderAt).not.toBeNull();
    // ...and every daily kind off: nothing planned.
    const off = await app.caller(member).nudges.save({
      ...valid,
      categories: {
        reflection: false,
        commitment: false,
        "reach-out": false,
        "answer-again": false,
        "re-engagement": false,
      },
    });
    expect(off.nextReminderAt).toBeNull();
    expect(off.categories.find((c) => c.id === "cohort-nudge")?.on).toBe(true);
  });

  it("refuse bad times, zones, day sets and unknown categories with field-level errors", async () => {
    const member = await app.createUser("MEMBER");
    const caller = app.caller(member);
    const cases: [Record<string, unknown>, string][] = [
      [{ reminderTime: "25:00" }, "reminderTime"],
      [{ reminderTime: "7pm" }, "reminderTime"],
      [{ timeZone: "Mars/Olympus" }, "timeZone"],
      [{ timeZone: "europe/berlin" }, "timeZone"],
      [{ reminderDays: [0] }, "reminderDays"],
      [{ reminderDays: [8] }, "reminderDays"],
      [{ reminderDays: [1, 1] }, "reminderDays"],
      [{ reminderDays: [1.5] }, "reminderDays"],
      [{ categories: { marketing: true } }, "categories"],
      [{ quietStart: "22:00", quietEnd: null }, "quietEnd"],
      [{ quietStart: "22:00", quietEnd: "22:00" }, "quietEnd"],
      [{ quietStart: "18:00", quietEnd: "20:00" }, "reminderTime"],
      [{ quietUntil: "2026-02-30" }, "quietUntil"],
    ];
    for (const [patch, field] of cases) {
      const result = await errorOf(() =>
        caller.nudges.save({ ...valid, ...patch } as typeof valid),
      );
      expect(result.code, JSON.stringify(patch)).toBe("BAD_REQUEST");
      expect(Object.keys(result.fields), JSON.stringify(patch)).toContain(field);
    }
    expect(await app.db.nudgeSettings.findUnique({ where: { userId: member.id } })).toBeNull();
  });

  it("open and save through a signed link without a session, and only for that link's member", async () => {
    const member = await enrolledMember();
    const other = await enrolledMember();
    const anonymous = app.caller(null);
    const token = signLinkToken(app.env.authSecret, { purpose: "preferences", userId: member.id });
    const read = await anonymous.nudges.linkPreferences({ token });
    expect(read.email).toBe(member.email);
    await anonymous.nudges.saveWithLink({ token, ...valid, reminderTime: "07:15" });
    const row = await app.db.nudgeSettings.findUniqueOrThrow({ where: { userId: member.id } });
    expect(row.reminderMinute).toBe(7 * 60 + 15);
    expect(
      (await app.db.nudgeSettings.findUniqueOrThrow({ where: { userId: other.id } }))
        .reminderMinute,
    ).toBe(19 * 60);

    const unsubscribe = signLinkToken(app.env.authSecret, {
      purpose: "unsubscribe",
      userId: member.id,
      category: "reflection",
    });
    for (const bad of [
      unsubscribe,
      token.replace(member.id, other.id),
      `${token.slice(0, -2)}xx`,
      signLinkToken("some-other-deployment-secret-of-32-chars", {
        purpose: "preferences",
        userId: member.id,
      }),
      signLinkToken(
        app.env.authSecret,
        { purpose: "preferences", userId: member.id },
        new Date(Date.now() - (LINK_TOKEN_DAYS + 1) * 86_400_000),
      ),
    ]) {
      expect((await errorOf(() => anonymous.nudges.linkPreferences({ token: bad }))).code).toBe(
        "UNAUTHORIZED",
      );
      expect(
        (await errorOf(() => anonymous.nudges.saveWithLink({ token: bad, ...valid }))).code,
      ).toBe("UNAUTHORIZED");
    }
  });
});

describe("the planner", () => {
  it("goes round after round in index order, ties included, planning each due member once", async () => {
    const base = new Date("2020-03-02T18:00:00Z");
    const now = new Date(base.getTime() + 86_400_000);
    const tied = await Promise.all(Array.from({ length: 12 }, () => enrolledMember()));
    const spread = await Promise.all(Array.from({ length: 11 }, () => enrolledMember()));
    const later = await Promise.all(Array.from({ length: 3 }, () => enrolledMember()));
    const set = (id: string, at: Date) =>
      app.db.nudgeSettings.update({ where: { userId: id }, data: { nextReminderAt: at } });
    for (const m of tied) await set(m.id, base);
    for (const [i, m] of spread.entries()) await set(m.id, new Date(base.getTime() + i * 60_000));
    const notDue = new Date(now.getTime() + 3_600_000);
    for (const m of later) await set(m.id, notDue);
    app.sent.length = 0;

    // Rounds of 5: the twelve members at one instant straddle three rounds.
    const planned = await planReminders(app.db, app.queue, now, 5);
    expect(planned).toBe(23);
    type Planned = { reminders: { userId: string; at: string }[] };
    const queued = app.sent
      .filter((j) => j.name === "nudges.daily")
      .flatMap((j) => (j.payload as Planned).reminders.map((r) => r.userId));
    expect([...queued].sort()).toEqual([...tied, ...spread].map((m) => m.id).sort());
    const rows = await app.db.nudgeSettings.findMany({
      where: { userId: { in: [...tied, ...spread, ...later].map((m) => m.id) } },
    });
    for (const row of rows) {
      const at = (row.nextReminderAt as Date).getTime();
      if (later.some((m) => m.id === row.userId)) expect(at).toBe(notDue.getTime());
      else expect(at).toBeGreaterThan(now.getTime());
    }
    // Nothing left due: a second pass plans nothing.
    expect(await planReminders(app.db, app.queue, now, 5)).toBe(0);
  });
});

describe("the reflection reminder", () => {
  it("is planned once from the index, sent once, and carries one-click unsubscribe", async () => {
    const member = await enrolledMember("Europe/London");
    const now = new Date();
    await app.db.nudgeSettings.update({
      where: { userId: member.id },
      data: { nextReminderAt: new Date(now.getTime() - 1000) },
    });
    app.sent.length = 0;
    // Two planners at once plan it once (compare-and-set on nextReminderAt).
    const [a, b] = await Promise.all([
      planReminders(app.db, app.queue, now),
      planReminders(app.db, app.queue, now),
    ]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    type Planned = { reminders: { userId: string; at: string }[] };
    const mine = app.sent
      .filter((j) => j.name === "nudges.daily")
      .flatMap((j) => (j.payload as Planned).reminders)
      .filter((r) => r.userId === member.id);
    // One reminder (one member, one instant), whichever planner queued it; two planners racing
    // may both queue it (queued before the compare-and-set, so a crash loses nothing), and its
    // email's dedupe key sends it once (below).
    expect(new Set(mine.map((r) => `${r.userId}@${r.at}`)).size).toBe(1);
    const row = await app.db.nudgeSettings.findUniqueOrThrow({ where: { userId: member.id } });
    expect((row.nextReminderAt as Date).getTime()).toBeGreaterThan(now.getTime());

    const { at } = mine[0] as { at: string };
    const first = await sendDailyNudge(app.db, app.env, app.queue, member.id, new Date(at), now);
    expect(first.status).toBe("queued");
    // The job retried (or run twice): still one email.
    const again = await sendDailyNudge(app.db, app.env, app.queue, member.id, new Date(at), now);
    expect(again.status).toBe("already-queued");
    const emails = await emailsTo(member.email);
    expect(emails).toHaveLength(1);
    const email = emails[0]!;
    expect(email.category).toBe("reflection");
    const headers = email.headers as Record<string, string>;
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const unsubscribeUrl = headers["List-Unsubscribe"]?.slice(1, -1) ?? "";
    expect(unsubscribeUrl).toMatch(/^http:\/\/localhost:3999\/api\/email\/unsubscribe\?t=/);
    expect(email.html).toContain("/email/preferences?t=");
    expect(email.text).toContain("Who you are");

    // The one-click POST (no session) stops the category at once; the next reminder is not sent.
    const response = await unsubscribeRequest(
      new Request(unsubscribeUrl.replace("http://localhost:3999", "http://127.0.0.1"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      }),
    );
    expect(response.status).toBe(200);
    const after = await app.db.nudgeSettings.findUniqueOrThrow({ where: { userId: member.id } });
    expect(after.categories).toEqual({ reflection: false });
    const tomorrow = new Date(now.getTime() + 86_400_000);
    expect(
      (await sendDailyNudge(app.db, app.env, app.queue, member.id, tomorrow, tomorrow)).status,
    ).toBe("nothing-waiting");
    expect(await emailsTo(member.email)).toHaveLength(1);
  });

  it("is skipped when nothing waits, on a day already reflected, or long after its time", async () => {
    const idle = await app.createUser("MEMBER");
    const now = new Date();
    expect((await sendDailyNudge(app.db, app.env, app.queue, idle.id, now, now)).status).toBe(
      "nothing-waiting",
    );
    const member = await enrolledMember();
    const stale = new Date(now.getTime() - 3 * 3600_000);
    expect((await sendDailyNudge(app.db, app.env, app.queue, member.id, stale, now)).status).toBe(
      "stale",
    );
    const step = await app.db.step.findFirstOrThrow({ where: { module: { programId } } });
    await app.db.stepCompletion.create({
      data: { userId: member.id, stepId: step.id, completedAt: now },
    });
    expect((await sendDailyNudge(app.db, app.env, app.queue, member.id, now, now)).status).toBe(
      "nothing-waiting",
    );
    expect(await emailsTo(member.email)).toHaveLength(0);
  });
});

describe("the daily slot", () => {
  it("goes deepest first (a due commitment, a planned reach-out, a prompt to answer again, a step), each once, one a day, with nothing private in the email", async () => {
    const member = await enrolledMember("UTC");
    const day = (offset: number) => new Date(Date.UTC(2026, 11, 10 + offset, 19, 0));
    const slot = (offset: number) =>
      sendDailyNudge(app.db, app.env, app.queue, member.id, day(offset), day(offset));
    await app.db.commitment.create({
      data: {
        userId: member.id,
        text: "Call my brother about the thing we never talk about",
        dueOn: new Date("2026-12-10T00:00:00Z"),
      },
    });
    await app.db.person.create({
      data: {
        userId: member.id,
        name: "Ingrid Secret-Name",
        circle: "Family",
        plannedReachOutAt: new Date("2026-12-10T12:00:00Z"),
      },
    });
    // Day 1: the commitment (deepest); the slot is taken for the day.
    expect(await slot(0)).toMatchObject({ status: "queued" });
    // A retried job the same day: nothing new.
    expect(await slot(0)).toMatchObject({ status: "already-queued" });
    // Day 2: the commitment was nudged about once already: the planned reach-out.
    expect(await slot(1)).toMatchObject({ status: "queued" });
    // Day 3: the reach-out was planned 2 days ago, already nudged: the waiting step.
    expect(await slot(2)).toMatchObject({ status: "queued" });
    const emails = await emailsTo(member.email);
    expect(emails.map((e) => e.category)).toEqual(["commitment", "reach-out", "reflection"]);
    expect(emails[0]?.subject).toBe("How did your commitment go?");
    expect(emails[1]?.subject).toBe("Someone on your map, today");
    for (const e of emails) {
      expect(e.html + e.text).not.toContain("brother");
      expect(e.html + e.text).not.toContain("Ingrid");
    }
    // Every daily kind off but reflection: only reflection reminders come.
    await app.db.nudgeSettings.update({
      where: { userId: member.id },
      data: { categories: { commitment: false, "reach-out": false, "answer-again": false } },
    });
    await app.db.commitment.create({
      data: { userId: member.id, text: "Another", dueOn: new Date("2026-12-13T00:00:00Z") },
    });
    expect(await slot(3)).toMatchObject({ status: "queued" });
    expect((await emailsTo(member.email)).at(-1)?.category).toBe("reflection");
  });
});

describe("after a quiet spell", () => {
  it("a week away turns daily step reminders into one gentle note per lapse, until they are back", async () => {
    const member = await enrolledMember("UTC");
    const at = (day: number) => new Date(Date.UTC(2026, 11, day, 19, 0));
    const slot = (day: number) =>
      sendDailyNudge(app.db, app.env, app.queue, member.id, at(day), at(day));
    const activeOn = (day: string) =>
      app.db.memberActivity.upsert({
        where: { userId: member.id },
        create: {
          userId: member.id,
          firstActiveDay: new Date(`${day}T00:00:00Z`),
          lastActiveDay: new Date(`${day}T00:00:00Z`),
          streakStartDay: new Date(`${day}T00:00:00Z`),
          lastActiveAt: new Date(`${day}T12:00:00Z`),
        },
        update: { lastActiveDay: new Date(`${day}T00:00:00Z`) },
      });
    await activeOn("2026-12-01");
    // Six days away: the usual step reminder.
    expect(await slot(7)).toMatchObject({ status: "queued" });
    // Seven and more: one gentle note, then nothing while they stay away.
    expect(await slot(8)).toMatchObject({ status: "queued" });
    expect(await slot(9)).toMatchObject({ status: "nothing-waiting" });
    expect(await slot(12)).toMatchObject({ status: "nothing-waiting" });
    // Back on the 13th: step reminders again; a later lapse gets its own note.
    await activeOn("2026-12-13");
    expect(await slot(14)).toMatchObject({ status: "queued" });
    expect(await slot(21)).toMatchObject({ status: "queued" });
    const sent = await emailsTo(member.email);
    expect(sent.map((e) => e.category)).toEqual([
      "reflection",
      "re-engagement",
      "reflection",
      "re-engagement",
    ]);
    expect(sent[1]?.subject).toBe("No catching up required");
  });
});

describe("the weekly cohort digest", () => {
  it("goes Monday from 09:00 in the cohort's zone, once a week, to active members, only after a week with news", async () => {
    const [a, b] = await Promise.all([enrolledMember("UTC"), enrolledMember("Asia/Kolkata")]);
    const make = (slug: string) =>
      app.db.cohort.create({
        data: {
          programId,
          name: slug === "busy" ? "Busy circle" : "Quiet circle",
          slug: `${slug}-circle-${Date.now()}`,
          startDate: new Date("2026-11-02T00:00:00Z"),
          timeZone: "Europe/Berlin",
          capacity: 10,
          members: {
            create: [
              { userId: a!.id, status: "ACTIVE", queuePosition: 0 },
              { userId: b!.id, status: "ACTIVE", queuePosition: 0 },
            ],
          },
        },
      });
    const busy = await make("busy");
    await make("quiet");
    for (const [kind, at] of [
      ["POST", "2026-12-01T10:00:00Z"],
      ["POST", "2026-12-05T18:00:00Z"],
      ["SHARED_ANSWER", "2026-12-06T20:00:00Z"],
      // Before the week: not counted.
      ["POST", "2026-11-29T10:00:00Z"],
    ] as const) {
      await app.db.cohortPost.create({
        data: { cohortId: busy.id, authorId: a!.id, kind, body: "Hello", createdAt: new Date(at) },
      });
    }
    // Monday 7 December 2026: 08:30 in Berlin is too early; 09:30 sends; 10:30 sends nothing new.
    expect(await sendDigests(app.db, app.env, app.queue, new Date("2026-12-07T07:30:00Z"))).toBe(0);
    expect(await sendDigests(app.db, app.env, app.queue, new Date("2026-12-07T08:30:00Z"))).toBe(2);
    expect(await sendDigests(app.db, app.env, app.queue, new Date("2026-12-07T09:30:00Z"))).toBe(0);
    // Not on another day.
    expect(await sendDigests(app.db, app.env, app.queue, new Date("2026-12-08T08:30:00Z"))).toBe(0);
    const digest = (await emailsTo(a!.email)).filter((e) => e.category === "cohort-digest");
    expect(digest).toHaveLength(1);
    expect(digest[0]?.subject).toBe("This week in Busy circle");
    expect(digest[0]?.text).toContain("2 new posts and 1 shared answer");
    // Outside the one-a-day limit: the member's daily reminder that Monday still goes.
    expect(
      (
        await queueNudge(app.db, app.env, app.queue, {
          userId: a!.id,
          category: "reflection",
          dedupeKey: `monday-reminder:${a!.id}`,
          template: () => ({ kind: "welcome", name: null, appUrl: app.env.appUrl }),
          now: new Date("2026-12-07T19:00:00Z"),
        })
      ).status,
    ).toBe("queued");
    // The quiet cohort sent nothing.
    expect(
      (await emailsTo(b!.email)).filter((e) => e.subject.includes("Quiet circle")),
    ).toHaveLength(0);
  });
});

describe("live-session reminders", () => {
  it("go a day and an hour before, once each, to active members in their own time; not capped by the daily nudge; not for a cancelled session or a member who stopped them", async () => {
    const [ana, ben, cleo, left] = await Promise.all(
      ["Asia/Kolkata", "America/New_York", "UTC", "UTC"].map((zone) => enrolledMember(zone)),
    );
    const cohort = await app.db.cohort.create({
      data: {
        programId,
        name: "Reminder circle",
        slug: `reminder-circle-${Date.now()}`,
        startDate: new Date("2026-12-01T00:00:00Z"),
        timeZone: "UTC",
        capacity: 10,
        members: {
          create: [
            { userId: ana!.id, status: "ACTIVE", queuePosition: 0 },
            { userId: ben!.id, status: "ACTIVE", queuePosition: 0 },
            { userId: cleo!.id, status: "ACTIVE", queuePosition: 0 },
            { userId: left!.id, status: "LEFT", queuePosition: 0 },
          ],
        },
      },
    });
    const now = new Date("2026-12-20T10:00:00Z");
    const startsAt = new Date("2026-12-21T09:55:00Z");
    await app.db.liveSession.create({
      data: {
        cohortId: cohort.id,
        title: "Winter check-in",
        startsAt,
        durationMinutes: 60,
        joinUrl: "https://meet.example/abc",
      },
    });
    await app.db.liveSession.create({
      data: {
        cohortId: cohort.id,
        title: "Cancelled one",
        startsAt: new Date("2026-12-21T09:50:00Z"),
        durationMinutes: 60,
        joinUrl: "https://meet.example/x",
        cancelledAt: new Date(),
      },
    });
    // Ben already had his daily nudge that day; Cleo stopped session reminders.
    await queueNudge(app.db, app.env, app.queue, {
      userId: ben!.id,
      category: "reflection",
      dedupeKey: `daily:${ben!.id}`,
      template: () => ({ kind: "welcome", name: null, appUrl: app.env.appUrl }),
      now,
    });
    await app.db.nudgeSettings.update({
      where: { userId: cleo!.id },
      data: { categories: { session: false } },
    });

    expect(await remindSessions(app.db, app.env, app.queue, now)).toBe(2);
    // The minute job runs again within the window: nothing new.
    expect(await remindSessions(app.db, app.env, app.queue, new Date(now.getTime() + 60_000))).toBe(
      0,
    );
    const toAna = (await emailsTo(ana!.email)).filter((e) => e.category === "session");
    expect(toAna).toHaveLength(1);
    expect(toAna[0]?.subject).toBe("Tomorrow: Winter check-in");
    // 09:55 UTC is 15:25 in Kolkata: her own time.
    expect(toAna[0]?.text).toContain("15:25");
    expect((await emailsTo(ben!.email)).filter((e) => e.category === "session")).toHaveLength(1);
    expect(await emailsTo(cleo!.email)).toHaveLength(0);
    expect(await emailsTo(left!.email)).toHaveLength(0);

    // An hour before: a second reminder each.
    const hourBefore = new Date(startsAt.getTime() - 60 * 60_000 + 30_000);
    expect(await remindSessions(app.db, app.env, app.queue, hourBefore)).toBe(2);
    expect((await emailsTo(ana!.email)).map((e) => e.subject)).toContain(
      "In an hour: Winter check-in",
    );
  });
});

describe("the rules every nudge obeys", () => {
  const template = () => ({
    kind: "welcome" as const,
    name: null,
    appUrl: "http://localhost:3999",
  });

  it("one a day, quiet weeks, suppressed addresses, and quiet hours that hold the email", async () => {
    const member = await enrolledMember("UTC");
    const noon = new Date("2026-12-02T12:00:00Z");
    const nudge = (key: string, now = noon) =>
      queueNudge(app.db, app.env, app.queue, {
        userId: member.id,
        category: "cohort-nudge",
        dedupeKey: `${key}:${member.id}`,
        template,
        now,
      });
    expect((await nudge("first")).status).toBe("queued");
    // A second, different nudge the same local day is not sent.
    expect((await nudge("second")).status).toBe("capped");
    // The next day it is.
    expect((await nudge("second", new Date("2026-12-03T12:00:00Z"))).status).toBe("queued");

    await app.db.nudgeSettings.update({
      where: { userId: member.id },
      data: { quietUntil: new Date("2026-12-10T00:00:00Z") },
    });
    expect((await nudge("quiet", new Date("2026-12-10T12:00:00Z"))).status).toBe("quiet-weeks");
    await app.db.nudgeSettings.update({
      where: { userId: member.id },
      data: { quietUntil: null, quietStart: 21 * 60, quietEnd: 8 * 60 },
    });
    const late = await nudge("late", new Date("2026-12-11T22:30:00Z"));
    expect(late).toMatchObject({ status: "queued", sendAfter: new Date("2026-12-12T08:00:00Z") });
    const held = await app.db.email.findUniqueOrThrow({
      where: { dedupeKey: `late:${member.id}` },
    });
    expect(held.sendAfter).toEqual(new Date("2026-12-12T08:00:00Z"));

    await app.db.emailSuppression.create({
      data: { address: member.email.toLowerCase(), reason: "bounced" },
    });
    expect((await nudge("suppressed", new Date("2026-12-13T12:00:00Z"))).status).toBe("suppressed");
    await app.db.nudgeSettings.update({
      where: { userId: member.id },
      data: { categories: { "cohort-nudge": false } },
    });
    await app.db.emailSuppression.delete({ where: { address: member.email.toLowerCase() } });
    expect((await nudge("off", new Date("2026-12-14T12:00:00Z"))).status).toBe("off");
    expect(await emailsTo(member.email)).toHaveLength(3);
  });

  it("the unsubscribe route refuses forged, altered and foreign links and changes nothing", async () => {
    const member = await enrolledMember();
    await ensureNudgeSettings(app.db, member.id);
    const before = await app.db.nudgeSettings.findUniqueOrThrow({ where: { userId: member.id } });
    const good = signLinkToken(app.env.authSecret, {
      purpose: "unsubscribe",
      userId: member.id,
      category: "reflection",
    });
    const post = (token: string | null, body = "List-Unsubscribe=One-Click") =>
      unsubscribeRequest(
        new Request(
          `http://127.0.0.1/api/email/unsubscribe${token === null ? "" : `?t=${encodeURIComponent(token)}`}`,
          { method: "POST", body },
        ),
      );
    for (const bad of [
      null,
      "",
      `${good}x`,
      good.replace("reflection", "cohort-nudge"),
      signLinkToken(app.env.authSecret, { purpose: "preferences", userId: member.id }),
      signLinkToken("some-other-deployment-secret-of-32-chars", {
        purpose: "unsubscribe",
        userId: member.id,
        category: "reflection",
      }),
      signLinkToken(app.env.authSecret, {
        purpose: "unsubscribe",
        userId: "no-such-member",
        category: "reflection",
      }),
    ]) {
      expect((await post(bad)).status, String(bad)).toBe(400);
    }
    // A year and a day old: expired, and it says so.
    const expired = signLinkToken(
      app.env.authSecret,
      { purpose: "unsubscribe", userId: member.id, category: "reflection" },
      new Date(Date.now() - (LINK_TOKEN_DAYS + 1) * 86_400_000),
    );
    const refused = await post(expired);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/expired/);
    expect((await post(good, "x".repeat(10_000))).status).toBe(413);
    expect(await app.db.nudgeSettings.findUniqueOrThrow({ where: { userId: member.id } })).toEqual(
      before,
    );
    // The page's button: stopped, and sent back to the page to say so.
    const fromPage = await post(good, "from=page");
    expect(fromPage.status).toBe(303);
    expect(fromPage.headers.get("location")).toContain("done=1");
    const after = await app.db.nudgeSettings.findUniqueOrThrow({ where: { userId: member.id } });
    expect(after.categories).toEqual({ reflection: false });
  });
});
