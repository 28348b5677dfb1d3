import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { addPerson, listPeople, logReachOut, PEOPLE_PAGE } from "@/server/community/service";
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

const snapshot = (userId: string) =>
  app.db.person.findMany({
    where: { userId },
    include: { reachOuts: true },
    orderBy: { id: "asc" },
  });

describe("community map", () => {
  it("adds people and lists them grouped by circle then status", async () => {
    const api = app.caller(member);
    await api.community.add({
      name: "Ana",
      circle: "Friends",
      status: "KEEP",
      why: "Always there",
    });
    await api.community.add({ name: "Ben", circle: "friends", status: "RECONNECT", why: "" });
    await api.community.add({ name: "Cy", circle: "Work", status: "MOVE_ON", why: "" });
    await api.community.add({ name: "Di", circle: "Friends", status: "KEEP", why: "" });
    const map = await api.community.list();
    expect(map.total).toBe(4);
    expect(map.counts).toEqual({ KEEP: 2, RECONNECT: 1, MOVE_ON: 1 });
    expect(map.circles.map((c) => c.circle)).toEqual(["Friends", "Work"]);
    const friends = map.circles[0]!;
    expect(friends.groups.map((g) => [g.status, g.people.map((p) => p.name)])).toEqual([
      ["KEEP", ["Ana", "Di"]],
      ["RECONNECT", ["Ben"]],
    ]);
    expect(friends.groups[0]!.people[0]).toMatchObject({ reachOutCount: 0, latestReachOut: null });
  });

  it("refuses bad input with field messages and changes nothing", async () => {
    const api = app.caller(member);
    const before = await snapshot(member.id);
    const cases: [() => Promise<unknown>, string][] = [
      [() => api.community.add({ name: "", circle: "Friends", status: "KEEP", why: "" }), "name"],
      [
        () => api.community.add({ name: "x".repeat(101), circle: "F", status: "KEEP", why: "" }),
        "name",
      ],
      [
        () => api.community.add({ name: "Ok", circle: "c".repeat(41), status: "KEEP", why: "" }),
        "circle",
      ],
      [
        () => api.community.add({ name: "Ok", circle: "F", status: "KEEP", why: "w".repeat(2001) }),
        "why",
      ],
      [
        () => api.community.add({ name: "Ok", circle: "F", status: "BEST" as "KEEP", why: "" }),
        "status",
      ],
      [
        () =>
          api.community.add({
            name: "Ok",
            circle: "F",
            status: "KEEP",
            why: "",
            lastContactAt: "2026-02-30",
          }),
        "lastContactAt",
      ],
      [
        () =>
          api.community.add({
            name: "Ok",
            circle: "F",
            status: "KEEP",
            why: "",
            lastContactAt: "2999-01-01",
          }),
        "lastContactAt",
      ],
      [
        () =>
          api.community.add({
            name: "Ok",
            circle: "F",
            status: "KEEP",
            why: "",
            plannedReachOutAt: "2999-01-01",
          }),
        "plannedReachOutAt",
      ],
      [
        () =>
          api.community.add({
            name: "Ok",
            circle: "F",
            status: "KEEP",
            why: "",
            plannedReachOutAt: "1990-01-01",
          }),
        "plannedReachOutAt",
      ],
      [
        () =>
          api.community.add({
            name: "Ok",
            circle: "F",
            status: "KEEP",
            why: "",
            plannedReachOutAt: "next week",
          }),
        "plannedReachOutAt",
      ],
    ];
    for (const [call, field] of cases) {
      const { code, fields } = await errorOf(call);
      expect(code, field).toBe("BAD_REQUEST");
      expect(fields[field]?.[0], field).toBeTruthy();
    }
    const person = (await snapshot(member.id))[0]!;
    for (const [call, field] of [
      [() => api.community.update({ id: person.id, name: "  " }), "name"],
      [() => api.community.update({ id: person.id, lastContactAt: "2999-12-31" }), "lastContactAt"],
      [() => api.community.logReachOut({ personId: person.id, note: "n".repeat(2001) }), "note"],
      [() => api.community.logReachOut({ personId: person.id, note: "", at: "2999-01-01" }), "at"],
    ] as const) {
      const { code, fields } = await errorOf(call);
      expect(code, field).toBe("BAD_REQUEST");
      expect(fields[field]?.[0], field).toBeTruthy();
    }
    expect(await snapshot(member.id)).toEqual(before);
  });

  it("updates fields, clears a date with null and keeps omitted ones", async () => {
    const api = app.caller(member);
    const p = await api.community.add({
      name: "Eve",
      circle: "Family",
      status: "RECONNECT",
      why: "Sister",
      lastContactAt: "2024-01-15",
      plannedReachOutAt: null,
    });
    expect(p.lastContactDay).toBe("2024-01-15");
    const updated = await api.community.update({ id: p.id, status: "KEEP", lastContactAt: null });
    expect(updated).toMatchObject({
      name: "Eve",
      why: "Sister",
      status: "KEEP",
      lastContactAt: null,
    });
  });

  it("logs a reach-out: last contact moves forward, a due plan is cleared, history lists it", async () => {
    const owner = { ...member, timeZone: "UTC" };
    const now = new Date("2026-06-10T15:00:00Z");
    const p = await addPerson(
      app.db,
      owner,
      {
        name: "Fay",
        circle: "Old team",
        status: "RECONNECT",
        why: "",
        plannedReachOutAt: "2026-06-09",
        lastContactAt: "2025-01-01",
      },
      now,
    );
    expect(p.plannedDue).toBe(true);
    const first = await logReachOut(app.db, owner, { personId: p.id, note: "Called her" }, now);
    expect(first.person.lastContactAt?.toISOString()).toBe(now.toISOString());
    expect(first.person.plannedReachOutAt).toBeNull();
    // An older contact logged late does not move last contact back.
    await logReachOut(app.db, owner, { personId: p.id, note: "Old email", at: "2026-05-01" }, now);
    const row = await app.db.person.findUniqueOrThrow({ where: { id: p.id } });
    expect(row.lastContactAt?.toISOString()).toBe(now.toISOString());

    const history = await app.caller(member).community.history({ personId: p.id });
    expect(history.reachOuts.map((r) => r.note)).toEqual(["Called her", "Old email"]);
    expect(history.reachOuts[1]!.day).toBe("2026-05-01");
    const listed = (await listPeople(app.db, owner, { page: 0 }, now)).circles
      .flatMap((c) => c.groups.flatMap((g) => g.people))
      .find((x) => x.id === p.id);
    expect(listed).toMatchObject({ reachOutCount: 2, latestReachOut: { note: "Called her" } });
  });

  it("keeps a plan that is still ahead when logging a reach-out", async () => {
    const owner = { ...member, timeZone: "Pacific/Auckland" };
    // 11:30 UTC on the 10th is already the 11th in Auckland.
    const now = new Date("2026-06-10T12:30:00Z");
    const p = await addPerson(
      app.db,
      owner,
      { name: "Gus", circle: "Friends", status: "KEEP", why: "", plannedReachOutAt: "2026-06-12" },
      now,
    );
    const { person } = await logReachOut(app.db, owner, { personId: p.id, note: "" }, now);
    expect(person.plannedDay).toBe("2026-06-12");
    const dueToday = await addPerson(
      app.db,
      owner,
      { name: "Hal", circle: "Friends", status: "KEEP", why: "", plannedReachOutAt: "2026-06-11" },
      now,
    );
    const after = await logReachOut(app.db, owner, { personId: dueToday.id, note: "" }, now);
    expect(after.person.plannedReachOutAt).toBeNull();
  });

  it("removes a person with their reach-outs", async () => {
    const api = app.caller(member);
    const p = await api.community.add({ name: "Ivy", circle: "Gym", status: "MOVE_ON", why: "" });
    await api.community.logReachOut({ personId: p.id, note: "Bye" });
    await api.community.remove({ id: p.id });
    expect(await app.db.person.count({ where: { id: p.id } })).toBe(0);
    expect(await app.db.reachOut.count({ where: { personId: p.id } })).toBe(0);
  });

  it("never reaches another member's people by id, and leaves them unchanged", async () => {
    const mine = await app
      .caller(member)
      .community.add({ name: "Jo", circle: "F", status: "KEEP", why: "" });
    const before = await snapshot(member.id);
    const api = app.caller(other);
    for (const call of [
      () => api.community.update({ id: mine.id, name: "Hacked" }),
      () => api.community.remove({ id: mine.id }),
      () => api.community.logReachOut({ personId: mine.id, note: "x" }),
      () => api.community.history({ personId: mine.id }),
    ]) {
      expect((await errorOf(call)).code).toBe("NOT_FOUND");
    }
    expect((await api.community.list()).total).toBe(0);
    expect(await snapshot(member.id)).toEqual(before);
  });
});

describe("a large map", () => {
  it("comes a page at a time, with totals and circles of the whole map, in the same statements", async () => {
    const counting = countingDb(app.database.url);
    try {
      const measure = async (size: number) => {
        const user = await app.createUser("MEMBER");
        await app.db.person.createMany({
          data: Array.from({ length: size }, (_, i) => ({
            userId: user.id,
            name: `Person ${String(i).padStart(3, "0")}`,
            circle: ["Family", "Friends", "Work"][i % 3]!,
            status: i % 4 === 0 ? ("RECONNECT" as const) : ("KEEP" as const),
          })),
        });
        counting.reset();
        const first = await listPeople(counting.db, { ...user, timeZone: "UTC" }, { page: 0 });
        return { user, first, statements: counting.statements().length };
      };
      const small = await measure(5);
      const large = await measure(120);
      expect(large.statements).toBe(small.statements);
      expect(small.first).toMatchObject({ total: 5, hasMore: false });
      expect(large.first).toMatchObject({
        total: 120,
        counts: { KEEP: 90, RECONNECT: 30, MOVE_ON: 0 },
        hasMore: true,
        circleNames: ["Family", "Friends", "Work"],
      });
      const shown = (r: typeof large.first) =>
        r.circles.flatMap((c) => c.groups.flatMap((g) => g.people.map((p) => p.name)));
      expect(shown(large.first)).toHaveLength(PEOPLE_PAGE);
      const owner = { ...large.user, timeZone: "UTC" };
      const pages = [large.first];
      for (let page = 1; pages.at(-1)!.hasMore; page++) {
        pages.push(await listPeople(app.db, owner, { page }));
      }
      // Every person exactly once across the pages.
      const all = pages.flatMap(shown);
      expect(all).toHaveLength(120);
      expect(new Set(all).size).toBe(120);
    } finally {
      await counting.close();
    }
  });
});
