import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import {
  buildJournalExport,
  journalExportResponse,
  journalMarkdown,
} from "@/server/journal/export";
import type { Context } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { createTestApp, type TestApp } from "../helpers/app";
import { countingDb } from "../helpers/statements";
import { addPass, daysAgo, type Fixture, makeProgram } from "./journal-fixtures";

let app: TestApp;
let coach: Session["user"];
let maya: Session["user"];
let other: Session["user"];
let fx: Fixture;
const passes: Record<string, string> = {};

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
  maya = await app.createUser("MEMBER", { name: "Maya" });
  other = await app.createUser("MEMBER", { name: "Other" });
  fx = await makeProgram(app, coach.id, { title: "Community, on purpose" });

  passes.r1 = (
    await addPass(
      app,
      fx,
      maya.id,
      fx.reflection,
      1,
      { text: "My sister and the running club.", probes: ["Being known."] },
      { at: daysAgo(20), prompt: "Who is in your community (first wording)?" },
    )
  ).id;
  passes.r2 = (
    await addPass(
      app,
      fx,
      maya.id,
      fx.reflection,
      2,
      { text: "My sister, the running club and my neighbour Tom.", probes: ["Being known."] },
      { at: daysAgo(2) },
    )
  ).id;
  passes.l1 = (
    await addPass(
      app,
      fx,
      maya.id,
      fx.lenses,
      1,
      { answers: { Work: "Lunch with colleagues.", Friendships: "Calls", Family: "" } },
      { at: daysAgo(15) },
    )
  ).id;
  passes.s1 = (
    await addPass(
      app,
      fx,
      maya.id,
      fx.scale,
      1,
      { value: 3, followUp: "Practice asking.", why: "" },
      {
        at: daysAgo(14),
      },
    )
  ).id;
  passes.s2 = (
    await addPass(
      app,
      fx,
      maya.id,
      fx.scale,
      2,
      { value: 6, followUp: "Ask weekly.", why: "I asked Tom for help." },
      { at: daysAgo(7) },
    )
  ).id;
  passes.s3 = (
    await addPass(
      app,
      fx,
      maya.id,
      fx.scale,
      3,
      { value: 5, followUp: "", why: "A hard week." },
      { at: daysAgo(1) },
    )
  ).id;
  passes.o1 = (
    await addPass(app, fx, other.id, fx.reflection, 1, {
      text: "OTHER-PRIVATE-TEXT",
      probes: [],
    })
  ).id;
});
afterAll(() => app?.close());

describe("journal.list", () => {
  it("groups my passes per prompt, newest first, with the prompt from the snapshot", async () => {
    const result = await app.caller(maya).journal.list({});
    expect(result.items.map((i) => [i.exerciseId, i.passCount])).toEqual([
      [fx.scale.id, 3],
      [fx.reflection.id, 2],
      [fx.lenses.id, 1],
    ]);
    const reflection = result.items[1]!;
    expect(reflection).toMatchObject({
      programTitle: "Community, on purpose",
      stepTitle: "What community means to you",
      prompt: fx.reflection.prompt,
      latestPassId: passes.r2,
      exerciseRemoved: false,
    });
    expect(reflection.latestExcerpt).toContain("neighbour Tom");
    expect(result.items[0]!.latestScale).toBe(5);
    expect(JSON.stringify(result)).not.toContain("OTHER-PRIVATE-TEXT");
    expect(result.nextCursor).toBeUndefined();
  });

  it("never lists another member's passes", async () => {
    const result = await app.caller(other).journal.list({});
    expect(result.items).toHaveLength(1);
    expect(result.items[0]!.latestPassId).toBe(passes.o1);
    expect((await app.caller(coach).journal.list({})).items).toEqual([]);
  });

  it("filters by program, prompt, lens and date range; pages by cursor", async () => {
    const c = app.caller(maya);
    expect((await c.journal.list({ exerciseId: fx.scale.id })).items).toHaveLength(1);
    expect((await c.journal.list({ programId: "nope" })).items).toEqual([]);
    expect((await c.journal.list({ programId: fx.program.id })).items).toHaveLength(3);
    const lens = await c.journal.list({ lens: "Work" });
    expect(lens.items.map((i) => i.exerciseId)).toEqual([fx.lenses.id]);
    expect((await c.journal.list({ lens: "Career" })).items).toEqual([]);

    const day = (d: Date) => d.toISOString().slice(0, 10);
    const range = await c.journal.list({ from: day(daysAgo(16)), to: day(daysAgo(6)) });
    expect(range.items.map((i) => [i.exerciseId, i.passCount])).toEqual([
      [fx.scale.id, 2],
      [fx.lenses.id, 1],
    ]);
    // The latest pass within the range, not the latest overall.
    expect(range.items[0]!.latestPassId).toBe(passes.s2);

    const first = await c.journal.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await c.journal.list({ limit: 2, cursor: first.nextCursor });
    expect(second.items.map((i) => i.exerciseId)).toEqual([fx.lenses.id]);
    expect(second.nextCursor).toBeUndefined();
  });

  it("filters by the member's local days where midnight does not exist (Santiago, Havana)", async () => {
    // Santiago skips 00:00–01:00 on 2026-09-06; Havana on 2026-03-08. A pass at 23:30 on the
    // evening before belongs to the day before; one at 01:30 to the day itself.
    for (const [zone, day, before, during] of [
      ["America/Santiago", "2026-09-06", "2026-09-06T03:30:00Z", "2026-09-06T04:30:00Z"],
      ["America/Havana", "2026-03-08", "2026-03-08T04:30:00Z", "2026-03-08T05:30:00Z"],
    ] as const) {
      const member = await app.createUser("MEMBER");
      await app.db.user.update({ where: { id: member.id }, data: { timeZone: zone } });
      const evening = await addPass(
        app,
        fx,
        member.id,
        fx.reflection,
        1,
        { text: "late", probes: [] },
        {
          at: new Date(before),
        },
      );
      const night = await addPass(
        app,
        fx,
        member.id,
        fx.lenses,
        1,
        { answers: { Work: "early" } },
        {
          at: new Date(during),
        },
      );
      const c = app.caller({ ...member, timeZone: zone });
      const onDay = await c.journal.list({ from: day, to: day });
      expect(onDay.items.map((i) => i.latestPassId)).toEqual([night.id]);
      const dayBefore = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000)
        .toISOString()
        .slice(0, 10);
      const previous = await c.journal.list({ from: dayBefore, to: dayBefore });
      expect(previous.items.map((i) => i.latestPassId)).toEqual([evening.id]);
    }
  });

  it("refuses bad dates and ranges", async () => {
    const c = app.caller(maya);
    expect(await codeOf(c.journal.list({ from: "2026-02-30" }))).toBe("BAD_REQUEST");
    expect(await codeOf(c.journal.list({ from: "yesterday" }))).toBe("BAD_REQUEST");
    expect(await codeOf(c.journal.list({ from: "2026-03-02", to: "2026-03-01" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(c.journal.list({ lens: "x".repeat(41) }))).toBe("BAD_REQUEST");
  });

  it("keeps answers of a deleted exercise", async () => {
    const member = await app.createUser("MEMBER");
    const extra = await makeProgram(app, coach.id);
    const pass = await addPass(app, extra, member.id, extra.reflection, 1, {
      text: "Kept",
      probes: [],
    });
    await app.db.exercise.update({
      where: { id: extra.reflection.id },
      data: { deletedAt: new Date(), prompt: "Edited later" },
    });
    const list = await app.caller(member).journal.list({});
    expect(list.items).toEqual([
      expect.objectContaining({
        latestPassId: pass.id,
        exerciseRemoved: true,
        prompt: "Who do you see in your community?",
      }),
    ]);
    const timeline = await app.caller(member).journal.timeline({ exerciseId: extra.reflection.id });
    expect(timeline.exerciseRemoved).toBe(true);
    expect(timeline.passes[0]!.fields[0]!.text).toBe("Kept");
  });
});

describe("journal.timeline, compare, scaleTrend, filters", () => {
  it("returns my passes of one prompt in order, each with its prompt as it read", async () => {
    const t = await app.caller(maya).journal.timeline({ exerciseId: fx.reflection.id });
    expect(t.passes.map((p) => p.id)).toEqual([passes.r1, passes.r2]);
    expect(t.passes[0]!.snapshot.prompt).toBe("Who is in your community (first wording)?");
    expect(t.passes[1]!.snapshot.prompt).toBe(fx.reflection.prompt);
    expect(t.passes[0]!.fields.map((f) => f.label)).toEqual(["Answer", "Why does that matter?"]);
    // Other's pass on the same prompt is not in Maya's timeline.
    expect(JSON.stringify(t)).not.toContain("OTHER-PRIVATE-TEXT");

    const lenses = await app.caller(maya).journal.timeline({ exerciseId: fx.lenses.id });
    expect(lenses.passes[0]!.lenses).toEqual(["Work", "Friendships", "Family"]);
  });

  it("answers NOT_FOUND for a prompt I never answered", async () => {
    expect(await codeOf(app.caller(coach).journal.timeline({ exerciseId: fx.reflection.id }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(app.caller(maya).journal.timeline({ exerciseId: "missing" }))).toBe(
      "NOT_FOUND",
    );
  });

  it("compares two passes, word by word where most of the sentence stayed", async () => {
    const result = await app
      .caller(maya)
      .journal.compare({ passIdA: passes.r1!, passIdB: passes.r2! });
    const text = result.fields.find((f) => f.key === "text")!;
    expect(text.changed).toBe(true);
    expect(text.segments).toEqual([
      { op: "same", text: "My sister" },
      { op: "added", text: "," },
      { op: "same", text: " " },
      { op: "removed", text: "and " },
      { op: "same", text: "the running club" },
      { op: "added", text: " and my neighbour Tom" },
      { op: "same", text: "." },
    ]);
    expect(result.fields.find((f) => f.key === "probe-0")!.changed).toBe(false);
    expect(result.promptChanged).toBe(true);
    expect(result.scale).toBeNull();
  });

  it("gives the scale delta with both values", async () => {
    const result = await app
      .caller(maya)
      .journal.compare({ passIdA: passes.s1!, passIdB: passes.s2! });
    expect(result.scale).toEqual({ a: 3, b: 6, delta: 3 });
    const back = await app
      .caller(maya)
      .journal.compare({ passIdA: passes.s2!, passIdB: passes.s3! });
    expect(back.scale).toEqual({ a: 6, b: 5, delta: -1 });
    expect(back.fields.map((f) => f.key)).toEqual(["followUp", "why"]);
  });

  it("refuses another member's pass, passes of different prompts and the same pass twice", async () => {
    const c = app.caller(maya);
    expect(await codeOf(c.journal.compare({ passIdA: passes.r1!, passIdB: passes.o1! }))).toBe(
      "NOT_FOUND",
    );
    expect(
      await codeOf(app.caller(other).journal.compare({ passIdA: passes.o1!, passIdB: passes.r1! })),
    ).toBe("NOT_FOUND");
    expect(await codeOf(c.journal.compare({ passIdA: passes.r1!, passIdB: passes.s1! }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(c.journal.compare({ passIdA: passes.r1!, passIdB: passes.r1! }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("returns the scale trend in order with the why notes", async () => {
    const trend = await app.caller(maya).journal.scaleTrend({ exerciseId: fx.scale.id });
    expect(trend.map((p) => [p.passId, p.value, p.why])).toEqual([
      [passes.s1, 3, ""],
      [passes.s2, 6, "I asked Tom for help."],
      [passes.s3, 5, "A hard week."],
    ]);
    expect(
      await codeOf(app.caller(maya).journal.scaleTrend({ exerciseId: fx.reflection.id })),
    ).toBe("BAD_REQUEST");
    expect(await codeOf(app.caller(other).journal.scaleTrend({ exerciseId: fx.scale.id }))).toBe(
      "NOT_FOUND",
    );
  });

  it("offers only my programs, prompts and lenses as filters", async () => {
    const f = await app.caller(maya).journal.filters();
    expect(f.programs).toEqual([{ id: fx.program.id, title: "Community, on purpose" }]);
    expect(f.prompts.map((p) => p.id).sort()).toEqual(
      [fx.reflection.id, fx.lenses.id, fx.scale.id].sort(),
    );
    expect(f.lenses).toEqual(["Family", "Friendships", "Work"]);
    const o = await app.caller(other).journal.filters();
    expect(o.prompts.map((p) => p.id)).toEqual([fx.reflection.id]);
    expect(o.lenses).toEqual([]);
  });
});

describe("export", () => {
  it("JSON holds all my data and none of another member's", async () => {
    const person = await app.db.person.create({
      data: { userId: maya.id, name: "Tom", circle: "Neighbours", status: "RECONNECT" },
    });
    await app.db.reachOut.create({
      data: { personId: person.id, userId: maya.id, note: "Coffee on Sunday" },
    });
    const commitment = await app.db.commitment.create({
      data: { userId: maya.id, text: "Text my sister", dueOn: new Date("2026-03-01") },
    });
    await app.db.commitmentCheckIn.create({
      data: { commitmentId: commitment.id, outcome: "DONE", note: "She called back" },
    });
    await app.db.person.create({
      data: { userId: other.id, name: "OTHER-PERSON", circle: "Work" },
    });
    await app.db.practiceTick.create({
      data: { userId: maya.id, exerciseId: fx.reflection.id, practiceKey: "be-open" },
    });

    const data = await buildJournalExport(app.db, maya.id);
    expect(data.profile.name).toBe("Maya");
    expect(data.passes).toHaveLength(6);
    expect(data.passes[0]!.prompt.prompt).toBe("Who is in your community (first wording)?");
    expect(data.people).toEqual([
      expect.objectContaining({
        name: "Tom",
        reachOuts: [expect.objectContaining({ note: "Coffee on Sunday" })],
      }),
    ]);
    expect(data.commitments[0]!.checkIns[0]!.note).toBe("She called back");
    expect(data.practiceTicks).toHaveLength(1);
    const json = JSON.stringify(data);
    expect(json).not.toContain("OTHER-PRIVATE-TEXT");
    expect(json).not.toContain("OTHER-PERSON");
    expect(json).not.toContain(other.email);
  });

  it("Markdown reads as a journal with headings and lens answers", async () => {
    const md = journalMarkdown(await buildJournalExport(app.db, maya.id));
    expect(md).toMatch(/^# Kindred journal — Maya/);
    expect(md).toContain("## Community, on purpose");
    expect(md).toContain(`### ${fx.lenses.prompt}`);
    expect(md).toMatch(/#### Pass 2 — \d{4}-\d{2}-\d{2}/);
    expect(md).toContain("##### Work\n\n> Lunch with colleagues.");
    expect(md).toContain("##### Family\n\n_(left empty)_");
    expect(md).toContain("**Scale:** 6 / 10");
    expect(md).toContain("## People");
    expect(md).toContain("Reached out on");
    expect(md).toContain("## Commitments");
    expect(md).not.toContain("OTHER-PRIVATE-TEXT");
  });
});

describe("export download", () => {
  it("answers 401 when signed out and 400 for an unknown format", async () => {
    expect((await journalExportResponse(app.db, null, "json")).status).toBe(401);
    expect((await journalExportResponse(app.db, maya.id, "pdf")).status).toBe(400);
  });

  it("sends JSON and Markdown as attachments", async () => {
    const json = await journalExportResponse(app.db, maya.id, "json");
    expect(json.status).toBe(200);
    expect(json.headers.get("content-disposition")).toMatch(
      /^attachment; filename="kindred-journal-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(json.headers.get("cache-control")).toBe("no-store");
    const data = (await json.json()) as { passes: unknown[] };
    expect(data.passes).toHaveLength(6);

    const md = await journalExportResponse(app.db, maya.id, "md");
    expect(md.headers.get("content-type")).toContain("text/markdown");
    expect(md.headers.get("content-disposition")).toContain(".md");
    expect(await md.text()).toContain("# Kindred journal");
  });
});

describe("statement counts", () => {
  it("journal.list sends the same number of SQL statements for 5 and 50 passes", async () => {
    const counting = countingDb(app.database.url);
    const callerFor = (user: Session["user"]) =>
      createCaller({
        db: counting.db,
        env: app.env,
        session: { user, expires: new Date(Date.now() + 3600_000) },
        ip: "127.0.0.1",
        queue: async () => app.queue,
        resHeaders: null,
      } satisfies Context);

    const big = await makeProgram(app, coach.id, { extraReflections: 10 });
    const small = await app.createUser("MEMBER");
    const large = await app.createUser("MEMBER");
    for (let i = 0; i < 5; i++) {
      await addPass(app, big, small.id, big.extra[i]!, 1, { text: `s${i}`, probes: [] });
    }
    for (let e = 0; e < 10; e++) {
      for (let n = 1; n <= 5; n++) {
        await addPass(app, big, large.id, big.extra[e]!, n, { text: `l${e}.${n}`, probes: [] });
      }
    }

    counting.reset();
    const a = await callerFor(small).journal.list({});
    const smallCount = counting.statements().length;
    counting.reset();
    const b = await callerFor(large).journal.list({});
    const largeCount = counting.statements().length;
    expect(a.items).toHaveLength(5);
    expect(b.items.reduce((n, i) => n + i.passCount, 0)).toBe(50);
    // One statement: the page of prompts (the per-prompt aggregate) joined to each prompt's
    // latest pass and its exercise.
    expect(smallCount).toBe(1);
    expect(largeCount).toBe(smallCount);

    counting.reset();
    await callerFor(large).journal.filters();
    // One statement: the answered prompts and the lenses used.
    expect(counting.statements().length).toBe(1);
    await counting.close();
  });
});
