import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "@/lib/time-zone";
import type { Session } from "@/server/auth/session";
import {
  ACTIVE_PAGE,
  checkIn,
  createCommitment,
  listCommitments,
} from "@/server/commitments/service";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";
import { countingDb } from "../helpers/statements";

let app: TestApp;
let member: Session["user"];
let other: Session["user"];

beforeAll(async () => {
  app = await createTestApp();
  member = await app.createUser("MEMBER");
  other = await app.createUser("MEMBER");
});
afterAll(() => app?.close());

const today = () => localDay(new Date(), "UTC");
const snapshot = (userId: string) =>
  app.db.commitment.findMany({
    where: { userId },
    include: { checkIns: true },
    orderBy: { id: "asc" },
  });

describe("commitments", () => {
  it("creates, checks in and keeps a history", async () => {
    const api = app.caller(member);
    const c = await api.commitments.create({ text: "Call Mum", dueOn: today() });
    expect(c).toMatchObject({ status: "OPEN", timing: "due", dueDay: today() });

    const later = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const notYet = await api.commitments.checkIn({
      id: c.id,
      outcome: "NOT_YET",
      note: "Busy week",
      newDueOn: later,
    });
    expect(notYet.commitment).toMatchObject({ status: "NOT_YET", dueDay: later, timing: "open" });

    const changed = await api.commitments.checkIn({
      id: c.id,
      outcome: "CHANGED",
      note: "A visit is better",
      newText: "Visit Mum",
    });
    expect(changed.commitment).toMatchObject({ status: "CHANGED", text: "Visit Mum" });

    await api.commitments.checkIn({ id: c.id, outcome: "DONE", note: "Lovely lunch" });
    const history = await api.commitments.history({ id: c.id });
    expect(history.commitment.timing).toBe("done");
    expect(history.checkIns.map((x) => [x.outcome, x.note])).toEqual([
      ["DONE", "Lovely lunch"],
      ["CHANGED", "A visit is better"],
      ["NOT_YET", "Busy week"],
    ]);
    const list = await api.commitments.list();
    expect(list.done.map((x) => x.id)).toContain(c.id);
    // A done commitment is closed.
    expect(
      (await errorOf(() => api.commitments.checkIn({ id: c.id, outcome: "NOT_YET", note: "" })))
        .code,
    ).toBe("PRECONDITION_FAILED");
  });

  it("refuses bad input with field messages and changes nothing", async () => {
    const api = app.caller(member);
    const c = await api.commitments.create({ text: "Text Sam", dueOn: today() });
    const before = await snapshot(member.id);
    const cases: [() => Promise<unknown>, string][] = [
      [() => api.commitments.create({ text: "", dueOn: today() }), "text"],
      [() => api.commitments.create({ text: "x".repeat(1001), dueOn: today() }), "text"],
      [() => api.commitments.create({ text: "Ok", dueOn: "2026-13-01" }), "dueOn"],
      [() => api.commitments.create({ text: "Ok", dueOn: "2020-01-01" }), "dueOn"],
      [() => api.commitments.create({ text: "Ok", dueOn: "2999-01-01" }), "dueOn"],
      [
        () => api.commitments.checkIn({ id: c.id, outcome: "MAYBE" as "DONE", note: "" }),
        "outcome",
      ],
      [
        () => api.commitments.checkIn({ id: c.id, outcome: "DONE", note: "n".repeat(2001) }),
        "note",
      ],
      [
        () =>
          api.commitments.checkIn({
            id: c.id,
            outcome: "NOT_YET",
            note: "",
            newDueOn: "2020-01-01",
          }),
        "newDueOn",
      ],
      [
        () => api.commitments.checkIn({ id: c.id, outcome: "DONE", note: "", newDueOn: today() }),
        "newDueOn",
      ],
      [
        () => api.commitments.checkIn({ id: c.id, outcome: "NOT_YET", note: "", newText: "New" }),
        "newText",
      ],
      [
        () => api.commitments.checkIn({ id: c.id, outcome: "CHANGED", note: "", newText: "" }),
        "newText",
      ],
    ];
    for (const [call, field] of cases) {
      const { code, fields } = await errorOf(call);
      expect(code, field).toBe("BAD_REQUEST");
      expect(fields[field]?.[0], field).toBeTruthy();
    }
    expect(await snapshot(member.id)).toEqual(before);
  });

  it("groups due and overdue by the member's own calendar (Auckland vs Los Angeles)", async () => {
    // 23:30 UTC on 10 June: already 11 June 11:30 in Auckland, still 10 June 16:30 in LA.
    const now = new Date("2026-06-10T23:30:00Z");
    const created = new Date("2026-06-01T00:00:00Z");
    const auckland = { ...(await app.createUser("MEMBER")), timeZone: "Pacific/Auckland" };
    const la = { ...(await app.createUser("MEMBER")), timeZone: "America/Los_Angeles" };
    for (const owner of [auckland, la]) {
      for (const [text, dueOn] of [
        ["ninth", "2026-06-09"],
        ["tenth", "2026-06-10"],
        ["eleventh", "2026-06-11"],
      ]) {
        await app.db.commitment.create({
          data: {
            userId: owner.id,
            text: text!,
            dueOn: new Date(`${dueOn}T00:00:00Z`),
            createdAt: created,
          },
        });
      }
    }
    const texts = (l: { text: string }[]) => l.map((x) => x.text);
    const a = await listCommitments(app.db, auckland, { page: 0 }, now);
    expect(a.today).toBe("2026-06-11");
    expect([texts(a.overdue), texts(a.due), texts(a.open)]).toEqual([
      ["ninth", "tenth"],
      ["eleventh"],
      [],
    ]);
    const l = await listCommitments(app.db, la, { page: 0 }, now);
    expect(l.today).toBe("2026-06-10");
    expect([texts(l.overdue), texts(l.due), texts(l.open)]).toEqual([
      ["ninth"],
      ["tenth"],
      ["eleventh"],
    ]);
    // "Today at the earliest" also follows the member's day: the 10th is past in Auckland only.
    await expect(
      createCommitment(app.db, auckland, { text: "x", dueOn: "2026-06-10" }, now),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", fieldErrors: { dueOn: [expect.any(String)] } });
    await expect(
      createCommitment(app.db, la, { text: "x", dueOn: "2026-06-10" }, now),
    ).resolves.toMatchObject({ timing: "due" });
  });

  it("not yet without a new date keeps the due day", async () => {
    const owner = { ...member, timeZone: "UTC" };
    const now = new Date("2026-06-10T12:00:00Z");
    const c = await app.db.commitment.create({
      data: { userId: member.id, text: "Walk", dueOn: new Date("2026-06-08T00:00:00Z") },
    });
    const { commitment } = await checkIn(
      app.db,
      owner,
      { id: c.id, outcome: "NOT_YET", note: "" },
      now,
    );
    expect(commitment).toMatchObject({
      dueDay: "2026-06-08",
      timing: "overdue",
      status: "NOT_YET",
    });
  });

  it("never reaches another member's commitments by id, and leaves them unchanged", async () => {
    const mine = await app.caller(member).commitments.create({ text: "Mine", dueOn: today() });
    const before = await snapshot(member.id);
    const api = app.caller(other);
    for (const call of [
      () => api.commitments.checkIn({ id: mine.id, outcome: "DONE", note: "" }),
      () =>
        api.commitments.checkIn({ id: mine.id, outcome: "CHANGED", note: "", newText: "Hacked" }),
      () => api.commitments.history({ id: mine.id }),
    ]) {
      expect((await errorOf(call)).code).toBe("NOT_FOUND");
    }
    const list = await api.commitments.list();
    expect([...list.open, ...list.due, ...list.overdue, ...list.done]).toEqual([]);
    expect(await snapshot(member.id)).toEqual(before);
  });
});

describe("many commitments", () => {
  it("come a page at a time, soonest due first, in the same statements", async () => {
    const counting = countingDb(app.database.url);
    try {
      const measure = async (size: number) => {
        const user = await app.createUser("MEMBER");
        await app.db.commitment.createMany({
          data: Array.from({ length: size }, (_, i) => ({
            userId: user.id,
            text: `c${String(i).padStart(3, "0")}`,
            dueOn: new Date(Date.UTC(2027, 0, 1 + i)),
          })),
        });
        counting.reset();
        const owner = { ...user, timeZone: "UTC" };
        const first = await listCommitments(counting.db, owner, { page: 0 });
        return { owner, first, statements: counting.statements().length };
      };
      const small = await measure(3);
      const large = await measure(120);
      expect(large.statements).toBe(small.statements);
      expect(small.first.hasMore).toBe(false);
      expect(large.first.hasMore).toBe(true);
      const texts = (l: typeof large.first) =>
        [...l.overdue, ...l.due, ...l.open].map((c) => c.text);
      expect(texts(large.first)).toHaveLength(ACTIVE_PAGE);
      const all = [...texts(large.first)];
      for (let page = 1; ; page++) {
        const next = await listCommitments(app.db, large.owner, { page });
        all.push(...texts(next));
        if (!next.hasMore) break;
      }
      expect(all).toEqual(Array.from({ length: 120 }, (_, i) => `c${String(i).padStart(3, "0")}`));
    } finally {
      await counting.close();
    }
  });
});
