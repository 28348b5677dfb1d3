import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { listPractices } from "@/server/practices/service";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";

/**
 * Issue 11, items 1 and 3: the catalog's order (a coach places their own programs, an admin
 * any), the numbers each card shows, practices on Today only once reached, and a program's
 * ending.
 */
let app: TestApp;
let coach: Session["user"];
let otherCoach: Session["user"];
let admin: Session["user"];

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH", { name: "Jonas Lind" });
  otherCoach = await app.createUser("COACH");
  admin = await app.createUser("ADMIN");
});
afterAll(() => app?.close());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

async function published(authorId: string, daysAgo: number, accessRule = "FREE" as const) {
  const seeded = await seedProgram(app.db, authorId, { accessRule });
  await app.db.program.update({
    where: { id: seeded.program.id },
    data: { publishedAt: new Date(Date.now() - daysAgo * 86_400_000) },
  });
  return seeded;
}

describe("the catalog's order", () => {
  it("is newest first by default, and a coach's position puts an older program first", async () => {
    const member = await app.createUser("MEMBER");
    const real = await published(coach.id, 10);
    const test = await published(coach.id, 1);
    const titles = async () =>
      (await app.caller(member).player.catalog())
        .map((p) => p.id)
        .filter((id) => id === real.program.id || id === test.program.id);
    expect(await titles()).toEqual([test.program.id, real.program.id]);

    await app.caller(coach).programs.setCatalogPosition({ id: real.program.id, position: 1 });
    expect(await titles()).toEqual([real.program.id, test.program.id]);
    // An admin places any program.
    await app.caller(admin).programs.setCatalogPosition({ id: test.program.id, position: 0 });
    expect(await titles()).toEqual([test.program.id, real.program.id]);
  });

  it("lets a coach place only their own programs, an admin any, and members none", async () => {
    const member = await app.createUser("MEMBER");
    const own = await published(coach.id, 3);
    const set = (user: Session["user"] | null, position: number) =>
      codeOf(app.caller(user).programs.setCatalogPosition({ id: own.program.id, position }));
    expect(await set(null, 5)).toBe("UNAUTHORIZED");
    expect(await set(member, 5)).toBe("FORBIDDEN");
    expect(await set(otherCoach, 5)).toBe("NOT_FOUND");
    const position = async () =>
      (await app.db.program.findUniqueOrThrow({ where: { id: own.program.id } })).catalogPosition;
    expect(await position()).toBe(100);
    expect(await set(coach, 7)).toBe("OK");
    expect(await position()).toBe(7);
    expect(await set(admin, 9)).toBe("OK");
    expect(await position()).toBe(9);
  });

  it("refuses positions out of range with the field's message", async () => {
    const own = await published(coach.id, 3);
    for (const position of [-1, 1000, 1.5, Number.NaN]) {
      const error = await app
        .caller(coach)
        .programs.setCatalogPosition({ id: own.program.id, position })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
    }
    expect(
      (await app.db.program.findUniqueOrThrow({ where: { id: own.program.id } })).catalogPosition,
    ).toBe(100);
  });
});

describe("what a card shows", () => {
  it("coach, length, minutes per step, members (a number only) and price", async () => {
    const free = await published(coach.id, 2);
    const plans = await published(coach.id, 2, "PLANS" as "FREE");
    const sold = await published(coach.id, 2, "PURCHASE" as "FREE");
    const unsold = await published(coach.id, 2, "PURCHASE" as "FREE");
    await app.db.plan.create({
      data: {
        name: "Membership",
        kind: "RECURRING",
        interval: "MONTH",
        amount: 900,
        currency: "eur",
        scope: "ALL_PROGRAMS",
        stripePriceId: `price_all_${Date.now()}`,
      },
    });
    await app.db.plan.create({
      data: {
        name: "Just this one",
        kind: "ONE_TIME",
        amount: 4900,
        currency: "eur",
        scope: "SOME_PROGRAMS",
        stripePriceId: `price_one_${Date.now()}`,
        programs: { create: { programId: sold.program.id } },
      },
    });
    const joiners = [
      await app.createUser("MEMBER", { name: "Secret Joiner One" }),
      await app.createUser("MEMBER", { name: "Secret Joiner Two" }),
    ];
    for (const j of joiners) await app.caller(j).player.enrol({ programId: free.program.id });
    await app.caller(coach).programs.update({
      id: free.program.id,
      title: free.program.title,
      slug: free.program.slug,
      summary: "",
      pacing: "SELF_PACED",
      accessRule: "FREE",
      minutesPerStep: 25,
    });

    const viewer = await app.createUser("MEMBER");
    await app.db.comp.create({
      data: { userId: viewer.id, programId: sold.program.id, reason: "Gift" },
    });
    const catalog = await app.caller(viewer).player.catalog();
    const card = (id: string) => catalog.find((p) => p.id === id)!;
    expect(card(free.program.id)).toMatchObject({
      coach: "Jonas Lind",
      modulesCount: 2,
      stepsCount: 3,
      minutesPerStep: 25,
      members: 2,
      price: { kind: "free" },
      accessLabel: "",
    });
    expect(card(plans.program.id)).toMatchObject({
      minutesPerStep: 10,
      members: 0,
      price: { kind: "membership" },
      accessLabel: "",
    });
    expect(card(sold.program.id)).toMatchObject({
      price: { kind: "price", amount: 4900, currency: "eur", interval: null },
      accessLabel: "Yours: a gift from the team",
    });
    expect(card(unsold.program.id).price).toEqual({ kind: "unavailable" });
    // Members are a count: no name or address of who joined.
    const text = JSON.stringify(catalog);
    for (const j of joiners) {
      expect(text).not.toContain(j.name);
      expect(text).not.toContain(j.email);
    }
    // The program page says the same.
    const page = await app.caller(viewer).player.program({ slug: free.program.slug });
    expect(page.program).toMatchObject({ coach: "Jonas Lind", minutesPerStep: 25, members: 2 });
  });

  it("refuses minutes per step out of range", async () => {
    const p = await published(coach.id, 1);
    const code = await codeOf(
      app.caller(coach).programs.update({
        id: p.program.id,
        title: "T",
        slug: p.program.slug,
        summary: "",
        pacing: "SELF_PACED",
        accessRule: "FREE",
        minutesPerStep: 0,
      }),
    );
    expect(code).toBe("BAD_REQUEST");
  });
});

describe("practices on Today", () => {
  it("are reached once the step that introduces them is done, or one is logged", async () => {
    const p = await published(coach.id, 1);
    const [fresh, doer, ticker] = [
      await app.createUser("MEMBER"),
      await app.createUser("MEMBER"),
      await app.createUser("MEMBER"),
    ];
    for (const m of [fresh, doer, ticker]) {
      await app.caller(m).player.enrol({ programId: p.program.id });
    }
    const reached = async (m: Session["user"]) =>
      (await listPractices(app.db, m)).exercises.find((e) => e.exerciseId === p.ex.PRACTICE)
        ?.reached;
    for (const m of [fresh, doer, ticker]) expect(await reached(m)).toBe(false);

    // Answering every exercise of the practices' step completes it.
    for (const kind of Object.keys(ANSWERS) as (keyof typeof ANSWERS)[]) {
      if (kind === "PRACTICE") continue;
      await app.caller(doer).player.submit({ exerciseId: p.ex[kind], content: ANSWERS[kind] });
    }
    expect(await reached(doer)).toBe(false);
    await app.caller(doer).player.submit({ exerciseId: p.ex.PRACTICE, content: ANSWERS.PRACTICE });
    expect(
      await app.db.stepCompletion.count({ where: { userId: doer.id, stepId: p.steps.a } }),
    ).toBe(1);
    expect(await reached(doer)).toBe(true);

    await app.caller(ticker).practices.tick({ exerciseId: p.ex.PRACTICE, practiceKey: "be-open" });
    expect(await reached(ticker)).toBe(true);
    // Someone else's progress reaches nothing for the fresh member.
    expect(await reached(fresh)).toBe(false);
  });
});

describe("a program's ending", () => {
  it("counts the member's own answers, people and commitments, lists revisits and suggests what next", async () => {
    const p = await published(coach.id, 1);
    const another = await published(coach.id, 5);
    const member = await app.createUser("MEMBER");
    const other = await app.createUser("MEMBER");
    const go = async (m: Session["user"]) => {
      const api = app.caller(m);
      await api.player.enrol({ programId: p.program.id });
      for (const kind of Object.keys(ANSWERS) as (keyof typeof ANSWERS)[]) {
        await api.player.submit({ exerciseId: p.ex[kind], content: ANSWERS[kind] });
      }
      return api;
    };
    const api = await go(member);
    // Not finished yet: steps b and c are left.
    const midway = await api.player.ending({ slug: p.program.slug });
    expect(midway.completed).toBe(false);

    await api.player.completeStep({ stepId: p.steps.b });
    const last = await api.player.submit({
      exerciseId: p.laterExerciseId,
      content: ANSWERS.REFLECTION,
    });
    expect(last).toBeTruthy();
    // Another member doing the same changes none of this member's numbers.
    await go(other);

    const ending = await api.player.ending({ slug: p.program.slug });
    expect(ending.completed).toBe(true);
    expect(ending.steps).toEqual({ done: 3, total: 3 });
    expect(ending.counts).toEqual({ answers: 7, people: 2, commitments: 1 });
    // Reflection and lenses come back after 14 days, the scale after 7: soonest first.
    expect(ending.revisits.map((r) => r.exerciseId)[0]).toBe(p.ex.SCALE);
    expect(new Set(ending.revisits.slice(1).map((r) => r.exerciseId))).toEqual(
      new Set([p.ex.REFLECTION, p.ex.LENSES]),
    );
    expect(ending.revisits).toHaveLength(3);
    const suggested = ending.next.programs.map((x) => x.id);
    expect(suggested).not.toContain(p.program.id);
    expect(suggested.length).toBeGreaterThan(0);
    expect(ending.next.programs.length).toBeLessThanOrEqual(2);
    // A program the member already started is not suggested.
    await api.player.enrol({ programId: another.program.id });
    const again = await api.player.ending({ slug: p.program.slug });
    expect(again.next.programs.map((x) => x.id)).not.toContain(another.program.id);
    // Nothing the member wrote is in it.
    expect(JSON.stringify(again)).not.toContain(ANSWERS.REFLECTION.text);
    expect(JSON.stringify(again)).not.toContain(ANSWERS.COMMITMENT.text);
  });

  it("needs an enrolment", async () => {
    const p = await published(coach.id, 1);
    const member = await app.createUser("MEMBER");
    expect(await codeOf(app.caller(member).player.ending({ slug: p.program.slug }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await codeOf(app.caller(member).player.ending({ slug: "no-such-program" }))).toBe(
      "NOT_FOUND",
    );
  });
});
