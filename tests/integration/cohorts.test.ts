import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, localDay } from "@/lib/time-zone";
import type { Session } from "@/server/auth/session";
import { cohortRescheduledJob, cohortSeatedJob } from "@/server/cohorts/notify";
import { seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";

let app: TestApp;
let coach: Session["user"];
let program: Awaited<ReturnType<typeof seedProgram>>;

const today = () => localDay(new Date(), "UTC");

const codeOf = async (promise: Promise<unknown>) => (await errorOf(() => promise)).code;
const fieldErrorsOf = async (promise: Promise<unknown>) => (await errorOf(() => promise)).fields;

async function newCohort(overrides: Record<string, unknown> = {}) {
  return app.caller(coach).cohorts.create({
    programId: program.program.id,
    name: `Spring ${Math.random().toString(36).slice(2, 7)}`,
    startDate: today(),
    timeZone: "UTC",
    capacity: 10,
    ...overrides,
  });
}

/** Runs a recorded job's handler the way the worker would. */
async function runJobs(name: string) {
  const jobs = app.sent.filter((j) => j.name === name);
  const def = name === cohortSeatedJob.name ? cohortSeatedJob : cohortRescheduledJob;
  for (const job of jobs) {
    await def.handler(def.payload.parse(job.payload) as never, {
      db: app.db,
      env: app.env,
      queue: app.queue,
      jobId: "test",
      retryCount: 0,
    });
  }
}

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
  program = await seedProgram(app.db, coach.id, { pacing: "COHORT_PACED", lockDays: 7 });
});
afterAll(() => app?.close());

describe("creating and editing cohorts", () => {
  it("creates a cohort with a derived address, its creator facilitating, audited", async () => {
    const c = await app.caller(coach).cohorts.create({
      programId: program.program.id,
      name: "Autumn Circle 2027",
      startDate: addDays(today(), 30),
      timeZone: "Europe/Berlin",
      capacity: 12,
    });
    expect(c.slug).toBe("autumn-circle-2027");
    const again = await app.caller(coach).cohorts.create({
      programId: program.program.id,
      name: "Autumn Circle 2027",
      startDate: addDays(today(), 30),
      timeZone: "Europe/Berlin",
      capacity: 12,
    });
    expect(again.slug).toBe("autumn-circle-2027-2");
    const view = await app.caller(coach).cohorts.manage({ cohortId: c.id });
    expect(view.status).toBe("SCHEDULED");
    expect(view.facilitators.map((f) => f.userId)).toEqual([coach.id]);
    expect(view.schedule.map((m) => m.day)).toEqual([0, 7]);
    expect(
      await app.db.auditLog.count({ where: { action: "cohort.create", targetId: c.id } }),
    ).toBe(1);
  });

  it("refuses bad input field by field and changes nothing", async () => {
    const before = await app.db.cohort.count();
    const caller = app.caller(coach);
    const base = {
      programId: program.program.id,
      name: "Bad",
      startDate: today(),
      timeZone: "UTC",
      capacity: 5,
    };
    expect(
      await fieldErrorsOf(caller.cohorts.create({ ...base, startDate: "2020-01-01" })),
    ).toEqual({
      startDate: ["Choose today or a later day: a cohort cannot start in the past."],
    });
    expect(
      Object.keys(
        await fieldErrorsOf(caller.cohorts.create({ ...base, timeZone: "Mars/Olympus" })),
      ),
    ).toEqual(["timeZone"]);
    expect(
      Object.keys(await fieldErrorsOf(caller.cohorts.create({ ...base, capacity: 0 }))),
    ).toEqual(["capacity"]);
    expect(
      Object.keys(await fieldErrorsOf(caller.cohorts.create({ ...base, startDate: "2027-02-30" }))),
    ).toEqual(["startDate"]);
    expect(
      Object.keys(
        await fieldErrorsOf(caller.cohorts.create({ ...base, name: "<script>".repeat(20) })),
      ),
    ).toEqual(["name"]);
    expect(await app.db.cohort.count()).toBe(before);
    // Someone else's program is not found.
    const other = await app.createUser("COACH");
    expect(await codeOf(app.caller(other).cohorts.create(base))).toBe("NOT_FOUND");
  });

  it("refuses a capacity below the members who have a seat, then promotes in order when it grows", async () => {
    const c = await newCohort({ capacity: 2 });
    const members = [];
    for (let i = 0; i < 4; i++) members.push(await app.createUser("MEMBER"));
    for (const m of members) await app.caller(m).cohorts.join({ cohortId: c.id });
    expect(
      await fieldErrorsOf(app.caller(coach).cohorts.update({ cohortId: c.id, capacity: 1 })),
    ).toEqual({ capacity: ["2 members have a seat; the capacity cannot be lower."] });
    expect((await app.db.cohort.findUniqueOrThrow({ where: { id: c.id } })).capacity).toBe(2);

    app.sent.length = 0;
    await app.caller(coach).cohorts.update({ cohortId: c.id, capacity: 3 });
    const third = await app.db.cohortMember.findUniqueOrThrow({
      where: { cohortId_userId: { cohortId: c.id, userId: members[2]!.id } },
    });
    expect(third.status).toBe("ACTIVE");
    expect(
      (
        await app.db.cohortMember.findUniqueOrThrow({
          where: { cohortId_userId: { cohortId: c.id, userId: members[3]!.id } },
        })
      ).status,
    ).toBe("WAITLISTED");
    // The promoted member is told once, however often the job runs.
    await runJobs(cohortSeatedJob.name);
    await runJobs(cohortSeatedJob.name);
    const emails = await app.db.email.findMany({ where: { toAddress: members[2]!.email } });
    expect(emails.map((e) => e.subject)).toEqual([expect.stringContaining("You have a seat")]);
  });

  it("emails every member once when the start moves, and refuses a start in the past", async () => {
    const c = await newCohort({ startDate: addDays(today(), 3) });
    const a = await app.createUser("MEMBER");
    const b = await app.createUser("MEMBER");
    await app.caller(a).cohorts.join({ cohortId: c.id });
    await app.caller(b).cohorts.join({ cohortId: c.id });
    expect(
      Object.keys(
        await fieldErrorsOf(
          app.caller(coach).cohorts.update({ cohortId: c.id, startDate: "2021-05-05" }),
        ),
      ),
    ).toEqual(["startDate"]);
    app.sent.length = 0;
    // Renaming is not a reschedule: nobody is emailed.
    await app.caller(coach).cohorts.update({ cohortId: c.id, name: "Renamed" });
    expect(app.sent.filter((j) => j.name === cohortRescheduledJob.name)).toEqual([]);
    const moved = await app
      .caller(coach)
      .cohorts.update({ cohortId: c.id, startDate: addDays(today(), 10) });
    expect(moved.rescheduled).toBe(true);
    await runJobs(cohortRescheduledJob.name);
    await runJobs(cohortRescheduledJob.name);
    for (const m of [a, b]) {
      const mails = await app.db.email.findMany({
        where: { toAddress: m.email, category: "cohort" },
      });
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe("New dates for Renamed");
    }
    expect(
      await app.db.auditLog.count({ where: { action: "cohort.reschedule", targetId: c.id } }),
    ).toBe(1);
  });
});

describe("seats under concurrency", () => {
  it("seats exactly the capacity of 50 racing members, waitlists the rest in arrival order, loses none", async () => {
    const c = await newCohort({ capacity: 10 });
    const members = await Promise.all(Array.from({ length: 50 }, () => app.createUser("MEMBER")));
    const results = await Promise.all(
      members.map((m) => app.caller(m).cohorts.join({ cohortId: c.id })),
    );
    expect(results.filter((r) => r.status === "ACTIVE")).toHaveLength(10);
    const waitPositions = results
      .filter((r) => r.status === "WAITLISTED")
      .map((r) => r.position)
      .sort((x, y) => x! - y!);
    expect(waitPositions).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    const rows = await app.db.cohortMember.findMany({
      where: { cohortId: c.id },
      orderBy: { queuePosition: "asc" },
    });
    expect(rows).toHaveLength(50);
    expect(rows.map((r) => r.queuePosition)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Arrival order under the lock: the first ten to arrive have the seats.
    expect(rows.slice(0, 10).every((r) => r.status === "ACTIVE")).toBe(true);
    expect(rows.slice(10).every((r) => r.status === "WAITLISTED")).toBe(true);
    expect(await app.db.enrolment.count({ where: { cohortId: c.id } })).toBe(10);

    // Two seats free up at once: the first two waiting get them, in order.
    const [first, second] = rows;
    await Promise.all([
      app.caller(members.find((m) => m.id === first!.userId)!).cohorts.leave({ cohortId: c.id }),
      app.caller(coach).cohorts.removeMember({ cohortId: c.id, userId: second!.userId }),
    ]);
    const after = await app.db.cohortMember.findMany({
      where: { cohortId: c.id, status: "ACTIVE" },
      orderBy: { queuePosition: "asc" },
    });
    expect(after.map((r) => r.queuePosition)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(await app.db.enrolment.count({ where: { cohortId: c.id } })).toBe(10);
    // A removed member cannot come back by themselves.
    const removed = members.find((m) => m.id === second!.userId)!;
    expect(await codeOf(app.caller(removed).cohorts.join({ cohortId: c.id }))).toBe("FORBIDDEN");
    expect(
      await app.db.auditLog.count({
        where: { action: "cohort.remove-member", targetUserId: removed.id },
      }),
    ).toBe(1);
  }, 60_000);

  it("joins idempotently and keeps a member to one cohort of a program", async () => {
    const c1 = await newCohort();
    const c2 = await newCohort();
    const m = await app.createUser("MEMBER");
    const [x, y] = await Promise.all([
      app.caller(m).cohorts.join({ cohortId: c1.id }),
      app.caller(m).cohorts.join({ cohortId: c1.id }),
    ]);
    expect([x.status, y.status]).toEqual(["ACTIVE", "ACTIVE"]);
    expect(await app.db.cohortMember.count({ where: { userId: m.id } })).toBe(1);
    expect(await codeOf(app.caller(m).cohorts.join({ cohortId: c2.id }))).toBe("CONFLICT");
    await app.caller(m).cohorts.leave({ cohortId: c1.id });
    expect((await app.caller(m).cohorts.join({ cohortId: c2.id })).status).toBe("ACTIVE");
    const enrolment = await app.db.enrolment.findUniqueOrThrow({
      where: { userId_programId: { userId: m.id, programId: program.program.id } },
    });
    expect(enrolment.cohortId).toBe(c2.id);
  });
});

describe("invite links and enrolment", () => {
  it("joins by invite while enrolment is closed; forged and revoked links are refused", async () => {
    const c = await newCohort({ enrolmentOpen: false });
    const m = await app.createUser("MEMBER");
    expect(await codeOf(app.caller(m).cohorts.join({ cohortId: c.id }))).toBe(
      "PRECONDITION_FAILED",
    );
    const { token } = await app.caller(coach).cohorts.createInvite({ cohortId: c.id });
    const preview = await app.caller(m).cohorts.invitation({ token });
    expect(preview).toMatchObject({ name: expect.any(String), seatsLeft: 10, myStatus: null });
    expect((await app.caller(m).cohorts.joinByInvite({ token })).status).toBe("ACTIVE");

    const forged = "A".repeat(32);
    const other = await app.createUser("MEMBER");
    expect(await codeOf(app.caller(other).cohorts.joinByInvite({ token: forged }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(app.caller(other).cohorts.joinByInvite({ token: "<script>" }))).toBe(
      "BAD_REQUEST",
    );
    await app.caller(coach).cohorts.revokeInvite({ cohortId: c.id });
    expect(await codeOf(app.caller(other).cohorts.joinByInvite({ token }))).toBe("NOT_FOUND");
    expect(await app.db.cohortMember.count({ where: { userId: other.id } })).toBe(0);
    // A new link replaces the old one.
    const fresh = await app.caller(coach).cohorts.createInvite({ cohortId: c.id });
    expect(fresh.token).not.toBe(token);
    expect((await app.caller(other).cohorts.joinByInvite({ token: fresh.token })).status).toBe(
      "ACTIVE",
    );
  });

  it("checks the entitlement: a paid program needs access before a seat", async () => {
    const paid = await seedProgram(app.db, coach.id, { accessRule: "PLANS" });
    const c = await app.caller(coach).cohorts.create({
      programId: paid.program.id,
      name: "Paid cohort",
      startDate: today(),
      timeZone: "UTC",
      capacity: 3,
    });
    const m = await app.createUser("MEMBER");
    expect(await codeOf(app.caller(m).cohorts.join({ cohortId: c.id }))).toBe("FORBIDDEN");
    await app.db.comp.create({ data: { userId: m.id, programId: paid.program.id } });
    expect((await app.caller(m).cohorts.join({ cohortId: c.id })).status).toBe("ACTIVE");
  });

  it("closes a cohort: waiting members are let go, nobody joins, the space stays readable", async () => {
    const c = await newCohort({ capacity: 1 });
    const a = await app.createUser("MEMBER");
    const b = await app.createUser("MEMBER");
    await app.caller(a).cohorts.join({ cohortId: c.id });
    expect((await app.caller(b).cohorts.join({ cohortId: c.id })).status).toBe("WAITLISTED");
    await app.caller(coach).cohorts.close({ cohortId: c.id });
    const home = await app.caller(a).cohorts.home({ slug: c.slug });
    expect(home.status).toBe("FINISHED");
    expect(await codeOf(app.caller(b).cohorts.home({ slug: c.slug }))).toBe("NOT_FOUND");
    const late = await app.createUser("MEMBER");
    expect(await codeOf(app.caller(late).cohorts.join({ cohortId: c.id }))).toBe(
      "PRECONDITION_FAILED",
    );
  });
});

describe("the cohort's pace", () => {
  it("locks modules by the cohort's calendar in the player, practices and Today, and plans a catch-up", async () => {
    // A cohort that started 10 days ago (set directly: the API refuses past starts).
    const c = await newCohort();
    const start = addDays(today(), -10);
    await app.db.cohort.update({
      where: { id: c.id },
      data: { startDate: new Date(`${start}T00:00:00Z`) },
    });
    const late = await app.createUser("MEMBER");
    await app.caller(late).cohorts.join({ cohortId: c.id });
    const home = await app.caller(late).cohorts.home({ slug: c.slug });
    expect(home.status).toBe("RUNNING");
    expect(home.schedule.map((m) => m.open)).toEqual([true, true]);
    // Ten days in, the group is on module 2: start there, then catch up on module 1.
    expect(home.plan?.paceModule?.title).toBe("Later");
    expect(home.plan?.startWith?.title).toBe("Later step");
    expect(home.plan?.catchUp.map((s) => s.title)).toEqual(["Who you are", "Read this"]);
    const t = await app.caller(late).dashboard.today();
    const mine = t.nextSteps.find((n) => n.programSlug === program.program.slug)!;
    expect(mine.next?.title).toBe("Later step");
    expect(mine.cohort?.slug).toBe(c.slug);

    // A cohort starting in two days: nothing is open yet, anywhere.
    const soon = await newCohort({ startDate: addDays(today(), 2) });
    const early = await app.createUser("MEMBER");
    await app.caller(early).cohorts.join({ cohortId: soon.id });
    const earlyHome = await app.caller(early).cohorts.home({ slug: soon.slug });
    expect(earlyHome.schedule.map((m) => m.open)).toEqual([false, false]);
    expect(
      await codeOf(
        app.caller(early).player.submit({
          exerciseId: program.ex.REFLECTION,
          content: { text: "Too early", probes: [""] },
        }),
      ),
    ).toBe("PRECONDITION_FAILED");
    expect(
      await codeOf(
        app
          .caller(early)
          .practices.tick({ exerciseId: program.ex.PRACTICE, practiceKey: "be-open" }),
      ),
    ).toBe("PRECONDITION_FAILED");
    expect((await app.caller(early).practices.list()).exercises).toEqual([]);
    const earlyToday = (await app.caller(early).dashboard.today()).nextSteps.find(
      (n) => n.programSlug === program.program.slug,
    )!;
    expect(earlyToday.next).toBeNull();
    expect(earlyToday.waiting?.title).toBe("Start");

    // Leaving the cohort puts the member back on their own pace: module 1 opens.
    await app.caller(early).cohorts.leave({ cohortId: soon.id });
    expect(
      await codeOf(
        app
          .caller(early)
          .practices.tick({ exerciseId: program.ex.PRACTICE, practiceKey: "be-open" }),
      ),
    ).toBe("OK");
  });
});

describe("the coach's cohort view", () => {
  it("flags drifting members from counts and dates, filters them, and nudges once a day", async () => {
    const c = await newCohort();
    // Started 30 days ago; everyone joined then.
    await app.db.cohort.update({
      where: { id: c.id },
      data: { startDate: new Date(`${addDays(today(), -30)}T00:00:00Z`) },
    });
    const quiet = await app.createUser("MEMBER", { name: "Quiet Quinn" });
    const busy = await app.createUser("MEMBER", { name: "Busy Bea" });
    for (const m of [quiet, busy]) await app.caller(m).cohorts.join({ cohortId: c.id });
    const joined = new Date(Date.now() - 30 * 86_400_000);
    await app.db.cohortMember.updateMany({ where: { cohortId: c.id }, data: { joinedAt: joined } });
    // Bea was active yesterday; Quinn last 10 days ago.
    const day = (n: number) => new Date(`${addDays(today(), -n)}T00:00:00Z`);
    await app.db.memberActivity.createMany({
      data: [
        {
          userId: busy.id,
          firstActiveDay: day(30),
          lastActiveDay: day(1),
          streakStartDay: day(1),
          lastActiveAt: new Date(Date.now() - 86_400_000),
        },
        {
          userId: quiet.id,
          firstActiveDay: day(30),
          lastActiveDay: day(10),
          streakStartDay: day(10),
          lastActiveAt: new Date(Date.now() - 10 * 86_400_000),
        },
      ],
    });
    // Reading steps have no answer: completing one yesterday is activity all the same.
    const reader = await app.createUser("MEMBER", { name: "Reading Rae" });
    await app.caller(reader).cohorts.join({ cohortId: c.id });
    await app.db.cohortMember.updateMany({ where: { cohortId: c.id }, data: { joinedAt: joined } });
    await app.db.stepCompletion.create({
      data: {
        userId: reader.id,
        stepId: program.steps.b,
        completedAt: new Date(Date.now() - 86_400_000),
      },
    });
    const coachCaller = app.caller(coach);
    const all = await coachCaller.cohorts.roster({ cohortId: c.id });
    expect(all.counts).toMatchObject({ all: 3, drifting: 1 });
    const rae = all.members.find((m) => m.name === "Reading Rae")!;
    expect(rae.drift?.drifting).toBe(false);
    expect(rae.lastActiveDay).toBe(addDays(today(), -1));
    const drifting = await coachCaller.cohorts.roster({ cohortId: c.id, filter: "drifting" });
    expect(drifting.members.map((m) => [m.name, m.drift?.reason])).toEqual([
      ["Quiet Quinn", "quiet"],
    ]);
    const byQuiet = await coachCaller.cohorts.roster({ cohortId: c.id, sort: "lastActive" });
    expect(byQuiet.members.map((m) => m.name)).toEqual(["Quiet Quinn", "Busy Bea", "Reading Rae"]);

    expect(drifting.members[0]!.nudgedToday).toBe(false);

    // Two clicks (or two coaches) the same day: one email.
    app.sent.length = 0;
    const [first, second] = await Promise.all([
      coachCaller.cohorts.nudge({ cohortId: c.id, userId: quiet.id }),
      coachCaller.cohorts.nudge({ cohortId: c.id, userId: quiet.id }),
    ]);
    expect([first.sent, second.sent].sort()).toEqual([false, true]);
    expect((await coachCaller.cohorts.nudge({ cohortId: c.id, userId: quiet.id })).sent).toBe(
      false,
    );
    const mails = await app.db.email.findMany({ where: { toAddress: quiet.email } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain("is thinking of you");
    expect(app.sent.filter((j) => j.name === "email.send")).not.toHaveLength(0);
    expect(
      await app.db.auditLog.count({ where: { action: "cohort.nudge", targetUserId: quiet.id } }),
    ).toBe(1);
    const after = await coachCaller.cohorts.roster({ cohortId: c.id, filter: "drifting" });
    expect(after.members[0]!.nudgedToday).toBe(true);
    // Only that member, and only on the cohort's today: tomorrow they can be nudged again.
    const everyone = await coachCaller.cohorts.roster({ cohortId: c.id, sort: "name" });
    expect(everyone.members.filter((m) => m.nudgedToday).map((m) => m.name)).toEqual([
      "Quiet Quinn",
    ]);
    const { cohortRoster } = await import("@/server/cohorts/reads");
    const tomorrow = await cohortRoster(
      app.db,
      coach,
      { cohortId: c.id, page: 0, filter: "drifting" },
      { now: new Date(Date.now() + 86_400_000) },
    );
    expect(tomorrow.members.map((m) => [m.name, m.nudgedToday])).toEqual([["Quiet Quinn", false]]);
    // Someone not in the cohort cannot be nudged through it.
    const stranger = await app.createUser("MEMBER");
    expect(await codeOf(coachCaller.cohorts.nudge({ cohortId: c.id, userId: stranger.id }))).toBe(
      "NOT_FOUND",
    );
  });

  it("exports progress as CSV for its coaches only, with no answer text in it", async () => {
    const { exportRoster } = await import("@/server/cohorts/export");
    const c = await newCohort();
    const m = await app.createUser("MEMBER", { name: "=cmd|' /C calc'!A0" });
    await app.caller(m).cohorts.join({ cohortId: c.id });
    await app.caller(m).player.submit({
      exerciseId: program.ex.REFLECTION,
      content: { text: "A private thought", probes: ["Because"] },
    });
    const response = await exportRoster(app.db, coach, c.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const body = await response.text();
    expect(body.split("\r\n")[0]).toContain('"name","email","status"');
    expect(body).toContain(`"'=cmd|' /C calc'!A0"`);
    expect(body).not.toContain("A private thought");
    const other = await app.createUser("COACH");
    expect((await exportRoster(app.db, other, c.id)).status).toBe(404);
    expect((await exportRoster(app.db, m, c.id)).status).toBe(403);
    expect((await exportRoster(app.db, null, c.id)).status).toBe(401);
  });
});

describe("bounded reads", () => {
  it("reads the roster in the same number of SQL statements for 3 members and 60", async () => {
    const { countingDb } = await import("../helpers/statements");
    const { cohortRoster } = await import("@/server/cohorts/reads");
    const counting = countingDb(app.database.url);
    async function statementsFor(n: number) {
      const c = await newCohort({ capacity: 100 });
      const members = await Promise.all(Array.from({ length: n }, () => app.createUser("MEMBER")));
      for (const m of members) await app.caller(m).cohorts.join({ cohortId: c.id });
      counting.reset();
      const r = await cohortRoster(counting.db, coach, { cohortId: c.id, page: 0 });
      return { count: counting.statements().length, rows: r.members.length };
    }
    const small = await statementsFor(3);
    const large = await statementsFor(60);
    await counting.close();
    expect(small.rows).toBe(3);
    expect(large.rows).toBe(50);
    // Access, modules, the roster (counts, the page and today's nudges, from the counts kept on
    // write), the page's completions per module.
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(4);
  }, 60_000);

  it("reads the cohort and its modules once for the coach's page, and afresh after a write", async () => {
    const { countingDb } = await import("../helpers/statements");
    const { createCaller } = await import("@/server/trpc/root");
    const counting = countingDb(app.database.url);
    const c = await newCohort({ name: "Shared reads" });
    // As a page's request makes them: one context, its shared reads, both procedures at once.
    const request = (reads?: Map<string, Promise<unknown>>) =>
      createCaller({
        db: counting.db,
        env: app.env,
        session: { user: coach, expires: new Date(Date.now() + 3600_000) },
        ip: "127.0.0.1",
        queue: async () => app.queue,
        resHeaders: null,
        reads,
      });
    const page = (caller: ReturnType<typeof request>) =>
      Promise.all([
        caller.cohorts.manage({ cohortId: c.id }),
        caller.cohorts.roster({ cohortId: c.id, page: 0 }),
      ]);
    const countOf = async (caller: ReturnType<typeof request>) => {
      counting.reset();
      await page(caller);
      const sql = counting.statements();
      return {
        all: sql.length,
        cohort: sql.filter((q) => /FROM "public"\."Cohort"/.test(q)).length,
        modules: sql.filter((q) => /FROM "public"\."Module"/.test(q)).length,
      };
    };
    const alone = await countOf(request());
    const shared = await countOf(request(new Map()));
    expect(alone.cohort).toBe(2);
    expect(alone.modules).toBe(2);
    expect(shared).toEqual({ all: alone.all - 2, cohort: 1, modules: 1 });

    // A write through the same context forgets what it read: the next read sees the change.
    const caller = request(new Map());
    const [before] = await page(caller);
    expect(before.name).toBe("Shared reads");
    await caller.cohorts.update({ cohortId: c.id, name: "Renamed meanwhile" });
    const [after] = await page(caller);
    expect(after.name).toBe("Renamed meanwhile");
    await counting.close();
  }, 60_000);
});
