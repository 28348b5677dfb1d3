import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Session } from "@/server/auth/session";
import { type SearchResult, search } from "@/server/search/service";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { countingDb } from "../helpers/statements";

/**
 * Search returns only what the caller may see: two members and the coach of their program and
 * cohort, each writing marker words into private answers, map people and cohort posts. Every
 * marker is a word nobody else wrote, so finding it anywhere else would be a leak.
 */

type User = Session["user"];
let app: TestApp;
let memberA: User;
let memberB: User;
let coach: User;
let otherCoach: User;
let admin: User;
let outsider: User;
let exerciseA: string;
let passA: string;
let draftId: string;
let cohortSlug: string;
let cohortId: string;
let postId: string;

const run = (user: User | null, q: string, limit?: number) =>
  app.caller(user).search.query({ q, ...(limit ? { limit } : {}) });

/** Every word a result shows (titles, snippets, contexts), as one string. */
const shown = (r: SearchResult) => JSON.stringify(r.groups);
const group = (r: SearchResult, key: string) => r.groups.find((g) => g.key === key)!;

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
  otherCoach = await app.createUser("COACH");
  admin = await app.createUser("ADMIN");
  memberA = await app.createUser("MEMBER", { name: "Alma" });
  memberB = await app.createUser("MEMBER", { name: "Bruno" });
  outsider = await app.createUser("MEMBER");

  const seeded = await seedProgram(app.db, coach.id);
  await app.db.program.update({
    where: { id: seeded.program.id },
    data: { title: "Circles of belonging", summary: "Who holds you up, and whom you hold." },
  });
  const draft = await seedProgram(app.db, coach.id, { status: "DRAFT" });
  await app.db.program.update({
    where: { id: draft.program.id },
    data: { title: "Unreleased quillwort draft", publishedAt: null },
  });
  draftId = draft.program.id;

  const cohort = await app.caller(coach).cohorts.create({
    programId: seeded.program.id,
    name: "Winter circle",
    startDate: new Date().toISOString().slice(0, 10),
    timeZone: "UTC",
    capacity: 10,
  });
  cohortSlug = cohort.slug;
  cohortId = cohort.id;
  for (const m of [memberA, memberB]) {
    await app.caller(m).player.enrol({ programId: seeded.program.id });
    await app.caller(m).cohorts.join({ cohortId: cohort.id });
  }

  // Member A: private answers (one with the wildcard characters), a map, posts.
  const a = app.caller(memberA);
  exerciseA = seeded.ex.REFLECTION;
  const pass = await a.player.submit({
    exerciseId: seeded.ex.REFLECTION,
    content: { text: "Marigoldsecret: I am 100% sure about a_b and C:\\temp.", probes: ["x"] },
  });
  passA = pass.passId;
  await a.player.submit({
    exerciseId: seeded.ex.LENSES,
    content: { answers: { Work: "Lunch with Tamsinlens", Friends: "1000 sure, aXb, C:temp" } },
  });
  await a.player.submit({ exerciseId: seeded.ex.SCALE, content: ANSWERS.SCALE });
  await a.community.add({ name: "Quennell Marsh", circle: "Old crew", why: "Lindenwhy talks" });
  const person = await a.community.add({ name: "Percy 50% done", circle: "Wild" });
  await a.community.add({ name: "Percy 500 done", circle: "Wild" });
  await a.community.logReachOut({ personId: person.id, note: "Spoke of thistlenote plans" });
  const post = await a.cohorts.post({
    cohortId: cohort.id,
    body: "Hello all, **lanternpost** here",
  });
  postId = post.id;
  await a.cohorts.comment({ postId: post.id, body: "Adding a saffroncomment below" });
  const hidden = await a.cohorts.post({ cohortId: cohort.id, body: "A hiddenheron thought" });
  await app.caller(coach).cohorts.moderate({ postId: hidden.id, action: "hide" });

  // Member B: their own private answer and person.
  const b = app.caller(memberB);
  await b.player.submit({
    exerciseId: seeded.ex.REFLECTION,
    content: { text: "Brambleprivate is mine alone", probes: ["y"] },
  });
  await b.community.add({ name: "Ottoline Brambleperson", circle: "Family" });

  // Another coach's cohort, with a member of its own: nobody above sits in it.
  const other = await seedProgram(app.db, otherCoach.id);
  const otherCohort = await app.caller(otherCoach).cohorts.create({
    programId: other.program.id,
    name: "Elsewhere",
    startDate: new Date().toISOString().slice(0, 10),
    timeZone: "UTC",
    capacity: 10,
  });
  await app.caller(outsider).player.enrol({ programId: other.program.id });
  await app.caller(outsider).cohorts.join({ cohortId: otherCohort.id });
  await app
    .caller(outsider)
    .cohorts.post({ cohortId: otherCohort.id, body: "Far away fennelpost" });
}, 120_000);

afterAll(() => app?.close());

describe("search scope", () => {
  it("finds a member's own private answers, with a link to the pass and a snippet", async () => {
    const r = await run(memberA, "marigoldsecret");
    const journal = group(r, "journal");
    expect(journal.hits).toHaveLength(1);
    const hit = journal.hits[0]!;
    expect(hit.href).toBe(`/app/journal/${exerciseA}#pass-${passA}`);
    expect(hit.title).toBe("The reflection prompt");
    expect(hit.snippet?.match).toBe("Marigoldsecret");
    expect(hit.snippet?.after).toContain("100% sure");
    expect(hit.label).toBe("Answer");
    // Case does not matter, and a lens answer is found by its text, not by its key.
    expect(group(await run(memberA, "TAMSINLENS"), "journal").hits[0]?.label).toBe("Work");
    expect(group(await run(memberA, "answers"), "journal").hits).toEqual([]);
    // A match in the prompt alone: the title says it; the answer's beginning comes as context.
    const byPrompt = group(await run(memberA, "reflection prompt"), "journal").hits;
    expect(byPrompt.map((h) => h.snippet)).toEqual([null]);
    expect(byPrompt[0]?.excerpt).toMatch(/^Marigoldsecret: I am 100% sure/);
  });

  it("never shows one member's private answers to another member, the coach or an admin", async () => {
    for (const user of [memberB, coach, otherCoach, admin, outsider]) {
      for (const q of ["marigoldsecret", "tamsinlens", "100% sure"]) {
        const r = await run(user, q);
        expect(group(r, "journal").hits, `${user.name} searching ${q}`).toEqual([]);
        expect(shown(r).toLowerCase()).not.toContain("marigold");
      }
    }
    // And the other way round: B's words stay B's.
    expect(group(await run(memberB, "brambleprivate"), "journal").hits).toHaveLength(1);
    for (const user of [memberA, coach, admin]) {
      expect(shown(await run(user, "bramble")).toLowerCase()).not.toContain("bramble");
    }
  });

  it("searches the caller's own map only: names, circles, why and reach-out notes", async () => {
    const a = await run(memberA, "quennell");
    expect(group(a, "people").hits.map((h) => h.title)).toEqual(["Quennell Marsh"]);
    expect(group(a, "people").hits[0]?.href).toMatch(/^\/app\/community\//);
    const why = group(await run(memberA, "lindenwhy"), "people").hits[0];
    expect(why?.label).toBe("Why");
    const note = group(await run(memberA, "thistlenote"), "people").hits[0];
    expect(note?.title).toBe("Percy 50% done");
    expect(note?.label).toBe("Reach-out note");
    expect(group(await run(memberA, "old crew"), "people").hits).toHaveLength(1);
    for (const user of [memberB, coach, admin]) {
      for (const q of ["quennell", "lindenwhy", "thistlenote", "percy"]) {
        expect(shown(await run(user, q)).toLowerCase(), `${user.name}: ${q}`).not.toMatch(
          /quennell|lindenwhy|thistlenote|percy/,
        );
      }
    }
    expect(group(await run(memberB, "ottoline"), "people").hits).toHaveLength(1);
    expect(group(await run(memberA, "ottoline"), "people").hits).toEqual([]);
  });

  it("shows cohort posts and comments to the cohort's members and coaches only", async () => {
    for (const user of [memberA, memberB, coach, admin]) {
      const posts = group(await run(user, "lanternpost"), "posts");
      expect(posts.hits, `${user.name}`).toHaveLength(1);
      expect(posts.hits[0]?.href).toMatch(
        new RegExp(`^/app/cohorts/${cohortSlug}\\?before=\\d+_0#post-`),
      );
      expect(posts.hits[0]?.title).toBe("Post by Alma");
      const comments = group(await run(user, "saffroncomment"), "posts");
      expect(comments.hits[0]?.href).toMatch(new RegExp(`^/app/cohorts/${cohortSlug}/posts/`));
    }
    for (const user of [outsider, otherCoach]) {
      expect(group(await run(user, "lanternpost"), "posts").hits).toEqual([]);
      expect(group(await run(user, "saffroncomment"), "posts").hits).toEqual([]);
    }
    // The other cohort's post: its member, its coach and admins; not this cohort's people.
    for (const user of [outsider, otherCoach, admin]) {
      expect(group(await run(user, "fennelpost"), "posts").hits).toHaveLength(1);
    }
    for (const user of [memberA, memberB, coach]) {
      expect(group(await run(user, "fennelpost"), "posts").hits).toEqual([]);
    }
  });

  it("names each post's and comment's author and cohort, in the same statements for 1 match or 40", async () => {
    const comment = group(await run(memberB, "saffroncomment"), "posts").hits[0];
    expect(comment?.title).toBe("Comment by Alma");
    expect(comment?.context).toBe("Winter circle");
    expect(comment?.href).toBe(`/app/cohorts/${cohortSlug}/posts/${postId}`);

    const counting = countingDb(app.database.url);
    try {
      const statementsFor = async (q: string) => {
        await search(counting.db, memberB, { q, limit: 20 }); // warm: keys and plans
        counting.reset();
        const result = await search(counting.db, memberB, { q, limit: 20 });
        return { count: counting.statements().length, posts: group(result, "posts") };
      };
      const one = await statementsFor("saffroncomment");
      expect(one.posts.hits).toHaveLength(1);
      for (let i = 0; i < 20; i++) {
        await app.caller(memberA).cohorts.post({ cohortId, body: `zinniabulk post ${i}` });
        await app.caller(memberB).cohorts.comment({ postId, body: `zinniabulk comment ${i}` });
      }
      const many = await statementsFor("zinniabulk");
      expect(many.posts.hits).toHaveLength(20);
      expect(many.posts.more).toBe(true);
      expect(new Set(many.posts.hits.map((h) => h.title))).toEqual(
        new Set(["Post by Alma", "Comment by Bruno"]),
      );
      expect(many.count).toBe(one.count);
      // Posts, comments, then their authors and cohorts; the journal (1), programs (1), map (2).
      expect(one.count).toBeLessThanOrEqual(8);
    } finally {
      await counting.close();
    }
  });

  it("keeps a hidden post to its author and the coaches, as the feed does", async () => {
    expect(group(await run(memberA, "hiddenheron"), "posts").hits).toHaveLength(1);
    expect(group(await run(coach, "hiddenheron"), "posts").hits).toHaveLength(1);
    expect(group(await run(memberB, "hiddenheron"), "posts").hits).toEqual([]);
  });

  it("shows a coach's draft to that coach (and admins), never to members", async () => {
    const own = group(await run(coach, "quillwort"), "programs").hits;
    expect(own).toHaveLength(1);
    expect(own[0]?.href).toBe(`/coach/programs/${draftId}`);
    expect(own[0]?.context).toContain("Draft");
    expect(group(await run(admin, "quillwort"), "programs").hits).toHaveLength(1);
    for (const user of [memberA, memberB, outsider, otherCoach]) {
      expect(group(await run(user, "quillwort"), "programs").hits, `${user.name}`).toEqual([]);
    }
    // The published program is in everyone's catalog; its author also gets the editor.
    const published = group(await run(memberB, "belonging"), "programs").hits;
    expect(published.map((h) => h.title)).toEqual(["Circles of belonging"]);
    expect(published[0]?.href).toMatch(/^\/app\/programs\//);
    expect(published[0]?.editHref).toBeUndefined();
    expect(group(await run(coach, "belonging"), "programs").hits[0]?.editHref).toMatch(
      /^\/coach\/programs\//,
    );
    const bySummary = group(await run(outsider, "whom you hold"), "programs").hits[0];
    expect(bySummary?.snippet?.match).toBe("whom you hold");
  });
});

describe("search input", () => {
  it("matches %, _ and \\ literally", async () => {
    // Journal (raw SQL over the answer's strings): "100%" must not match "1000".
    const percent = group(await run(memberA, "100%"), "journal").hits;
    expect(percent).toHaveLength(1);
    expect(percent[0]?.snippet?.match).toBe("100%");
    expect(group(await run(memberA, "a_b"), "journal").hits).toHaveLength(1);
    expect(group(await run(memberA, "a_b"), "journal").hits[0]?.snippet?.match).toBe("a_b");
    expect(group(await run(memberA, "C:\\t"), "journal").hits).toHaveLength(1);
    // The map (Prisma's contains, escaped): "50%" must not match "500".
    expect(group(await run(memberA, "50%"), "people").hits.map((h) => h.title)).toEqual([
      "Percy 50% done",
    ]);
    expect(group(await run(memberA, "%%"), "people").hits).toEqual([]);
    expect(group(await run(memberA, "__"), "journal").hits).toEqual([]);
    expect((await run(memberA, "\\\\")).total).toBe(0);
  });

  it("caps each group and says when there is more", async () => {
    const r = await run(memberA, "percy", 1);
    expect(group(r, "people").hits).toHaveLength(1);
    expect(group(r, "people").more).toBe(true);
    const all = await run(memberA, "percy");
    expect(group(all, "people").hits).toHaveLength(2);
    expect(group(all, "people").more).toBe(false);
  });

  it("refuses bad input with BAD_REQUEST and a message", async () => {
    const c = app.caller(memberA).search.query;
    const bad: unknown[] = [
      { q: "a" },
      { q: "  a  " },
      { q: "x".repeat(101) },
      { q: 42 },
      { q: null },
      {},
      { q: "ok\u0000" },
      { q: "tab\there" },
      { q: "ok", limit: 0 },
      { q: "ok", limit: 21 },
      { q: "ok", limit: "5" },
      { q: "ok", limit: 1.5 },
      { q: ["ok"] },
    ];
    for (const input of bad) {
      expect(await codeOf(c(input as never)), JSON.stringify(input)).toBe("BAD_REQUEST");
    }
    await expect(c({ q: "a" })).rejects.toThrow("Type at least 2 characters to search.");
    expect(await codeOf(app.caller(null).search.query({ q: "marigold" }))).toBe("UNAUTHORIZED");
  });
});
