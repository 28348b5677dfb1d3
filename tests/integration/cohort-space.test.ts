import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "@/lib/time-zone";
import type { Session } from "@/server/auth/session";
import { feed } from "@/server/cohorts/space";
import { ANSWERS, seedProgram } from "../authz/player";
import { createTestApp, type TestApp } from "../helpers/app";
import { errorOf } from "../helpers/errors";
import { countingDb } from "../helpers/statements";

let app: TestApp;
let coach: Session["user"];
let program: Awaited<ReturnType<typeof seedProgram>>;

const codeOf = async (p: Promise<unknown>) => (await errorOf(() => p)).code;

async function cohortWith(memberCount: number) {
  const c = await app.caller(coach).cohorts.create({
    programId: program.program.id,
    name: `Space ${Math.random().toString(36).slice(2, 8)}`,
    startDate: localDay(new Date(), "UTC"),
    timeZone: "UTC",
    capacity: 50,
  });
  const members = [];
  for (let i = 0; i < memberCount; i++) {
    const m = await app.createUser("MEMBER");
    await app.caller(m).cohorts.join({ cohortId: c.id });
    members.push(m);
  }
  return { cohort: c, members };
}

beforeAll(async () => {
  app = await createTestApp();
  coach = await app.createUser("COACH");
  program = await seedProgram(app.db, coach.id);
});
afterAll(() => app?.close());

describe("the cohort space", () => {
  it("shows posts to members and coaches only, escapes what they write, refuses what is too long", async () => {
    const { cohort, members } = await cohortWith(2);
    const [a, b] = members;
    const outsider = await app.createUser("MEMBER");
    await app.caller(a!).cohorts.post({
      cohortId: cohort.id,
      body: "Hello **all** <script>alert(1)</script> [me](javascript:alert(1))",
    });
    const seen = await app.caller(b!).cohorts.feed({ cohortId: cohort.id });
    expect(seen.posts).toHaveLength(1);
    const html = seen.posts[0]!.bodyHtml;
    expect(html).toContain("<strong>all</strong>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("javascript:");
    expect(JSON.stringify(seen)).not.toContain("@");
    expect((await app.caller(coach).cohorts.feed({ cohortId: cohort.id })).posts).toHaveLength(1);
    expect(await codeOf(app.caller(outsider).cohorts.feed({ cohortId: cohort.id }))).toBe(
      "NOT_FOUND",
    );
    expect(
      await codeOf(app.caller(outsider).cohorts.post({ cohortId: cohort.id, body: "hi" })),
    ).toBe("NOT_FOUND");
    const long = await errorOf(() =>
      app.caller(a!).cohorts.post({ cohortId: cohort.id, body: "x".repeat(5001) }),
    );
    expect(long).toMatchObject({
      code: "BAD_REQUEST",
      fields: { body: ["A post can be at most 5000 characters."] },
    });
    const blank = await errorOf(() =>
      app.caller(a!).cohorts.post({ cohortId: cohort.id, body: "  " }),
    );
    expect(blank.fields).toEqual({ body: ["Write something first."] });
    expect(await app.db.cohortPost.count({ where: { cohortId: cohort.id } })).toBe(1);
  });

  it("pins announcements from coaches on top; members cannot post them", async () => {
    const { cohort, members } = await cohortWith(1);
    await app.caller(members[0]!).cohorts.post({ cohortId: cohort.id, body: "First" });
    expect(
      await codeOf(
        app
          .caller(members[0]!)
          .cohorts.post({ cohortId: cohort.id, body: "Hear ye", announcement: true }),
      ),
    ).toBe("FORBIDDEN");
    await app
      .caller(coach)
      .cohorts.post({ cohortId: cohort.id, body: "Welcome", announcement: true });
    await app.caller(members[0]!).cohorts.post({ cohortId: cohort.id, body: "Second" });
    const f = await app.caller(members[0]!).cohorts.feed({ cohortId: cohort.id });
    expect(f.pinned.map((p) => p.kind)).toEqual(["ANNOUNCEMENT"]);
    expect(f.posts.map((p) => p.bodyHtml)).toEqual(["<p>Second</p>", "<p>First</p>"]);
  });

  it("lets coaches hide a post from members (audited), members report one once", async () => {
    const { cohort, members } = await cohortWith(2);
    const [author, reader] = members;
    const post = await app.caller(author!).cohorts.post({ cohortId: cohort.id, body: "Oops" });
    await app.caller(reader!).cohorts.report({ postId: post.id, reason: "Not kind" });
    await app.caller(reader!).cohorts.report({ postId: post.id, reason: "Again" });
    expect(await app.db.cohortReport.count({ where: { postId: post.id } })).toBe(1);
    expect(
      await codeOf(app.caller(reader!).cohorts.moderate({ postId: post.id, action: "hide" })),
    ).toBe("FORBIDDEN");
    const before = await app.caller(coach).cohorts.feed({ cohortId: cohort.id });
    expect(before.posts[0]!.reports).toBe(1);
    // Members never see report counts.
    expect(
      (await app.caller(reader!).cohorts.feed({ cohortId: cohort.id })).posts[0]!.reports,
    ).toBe(0);

    await app.caller(coach).cohorts.moderate({ postId: post.id, action: "hide" });
    expect((await app.caller(reader!).cohorts.feed({ cohortId: cohort.id })).posts).toEqual([]);
    expect(await codeOf(app.caller(reader!).cohorts.comment({ postId: post.id, body: "hm" }))).toBe(
      "NOT_FOUND",
    );
    const own = await app.caller(author!).cohorts.feed({ cohortId: cohort.id });
    expect(own.posts.map((p) => p.hidden)).toEqual([true]);
    expect(
      await app.db.auditLog.count({ where: { action: "cohort.hide-post", targetId: post.id } }),
    ).toBe(1);
    await app.caller(coach).cohorts.moderate({ postId: post.id, action: "unhide" });
    expect((await app.caller(reader!).cohorts.feed({ cohortId: cohort.id })).posts).toHaveLength(1);
  });

  it("keeps comment counts and reactions right; only authors delete, coaches remove (audited)", async () => {
    const { cohort, members } = await cohortWith(2);
    const [a, b] = members;
    const post = await app.caller(a!).cohorts.post({ cohortId: cohort.id, body: "Thoughts?" });
    const c1 = await app.caller(b!).cohorts.comment({ postId: post.id, body: "Yes" });
    await app.caller(a!).cohorts.comment({ postId: post.id, body: "Thanks" });
    expect(await codeOf(app.caller(a!).cohorts.deleteComment({ commentId: c1.id }))).toBe(
      "FORBIDDEN",
    );
    await app.caller(coach).cohorts.deleteComment({ commentId: c1.id });
    expect(
      await app.db.auditLog.count({ where: { action: "cohort.remove-comment", targetId: c1.id } }),
    ).toBe(1);
    expect(await app.caller(b!).cohorts.react({ postId: post.id, kind: "HEART" })).toEqual({
      on: true,
    });
    await app.caller(a!).cohorts.react({ postId: post.id, kind: "HEART" });
    await app.caller(a!).cohorts.react({ postId: post.id, kind: "SAME" });
    expect(await app.caller(a!).cohorts.react({ postId: post.id, kind: "SAME" })).toEqual({
      on: false,
    });
    const f = await app.caller(b!).cohorts.feed({ cohortId: cohort.id });
    const p = f.posts[0]!;
    expect(p.commentCount).toBe(1);
    expect(p.comments.map((c) => c.bodyHtml)).toEqual(["<p>Thanks</p>"]);
    expect(p.reactions).toEqual([
      { kind: "HEART", count: 2, mine: true },
      { kind: "THANKS", count: 0, mine: false },
      { kind: "SAME", count: 0, mine: false },
    ]);
    expect(await codeOf(app.caller(b!).cohorts.deletePost({ postId: post.id }))).toBe("FORBIDDEN");
    await app.caller(a!).cohorts.deletePost({ postId: post.id });
    expect(await app.db.cohortComment.count({ where: { postId: post.id } })).toBe(0);
  });

  it("is read-only once finished, yet its members can still take back their own words", async () => {
    const { cohort, members } = await cohortWith(2);
    const [a, b] = members;
    const post = await app.caller(a!).cohorts.post({ cohortId: cohort.id, body: "Before the end" });
    const mine = await app.caller(b!).cohorts.comment({ postId: post.id, body: "Mine" });
    const theirs = await app.caller(a!).cohorts.comment({ postId: post.id, body: "Theirs" });
    await app.caller(coach).cohorts.close({ cohortId: cohort.id });

    expect(await codeOf(app.caller(a!).cohorts.post({ cohortId: cohort.id, body: "After" }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await codeOf(app.caller(b!).cohorts.comment({ postId: post.id, body: "After" }))).toBe(
      "PRECONDITION_FAILED",
    );
    // Removing is not writing: the feed and the post's page offer it, and it works.
    expect(await codeOf(app.caller(b!).cohorts.deleteComment({ commentId: theirs.id }))).toBe(
      "FORBIDDEN",
    );
    await app.caller(b!).cohorts.deleteComment({ commentId: mine.id });
    const page = await app.caller(a!).cohorts.comments({ postId: post.id, page: 0 });
    expect(page.comments.map((c) => c.id)).toEqual([theirs.id]);
    await app.caller(a!).cohorts.deletePost({ postId: post.id });
    expect((await app.caller(b!).cohorts.feed({ cohortId: cohort.id })).posts).toHaveLength(0);
  });

  it("shares an answer only with consent, and taking it back removes its words", async () => {
    const { cohort, members } = await cohortWith(2);
    const [a, b] = members;
    await app.caller(a!).player.enrol({ programId: program.program.id });
    const pass = await app
      .caller(a!)
      .player.submit({ exerciseId: program.ex.REFLECTION, content: ANSWERS.REFLECTION });
    const noConsent = await errorOf(() =>
      app.caller(a!).cohorts.shareAnswer({
        cohortId: cohort.id,
        passId: pass.passId,
        consent: false as unknown as true,
      }),
    );
    expect(Object.keys(noConsent.fields)).toEqual(["consent"]);
    // Someone else's answer is not mine to share.
    expect(
      await codeOf(
        app
          .caller(b!)
          .cohorts.shareAnswer({ cohortId: cohort.id, passId: pass.passId, consent: true }),
      ),
    ).toBe("NOT_FOUND");
    const post = await app.caller(a!).cohorts.shareAnswer({
      cohortId: cohort.id,
      passId: pass.passId,
      note: "This one surprised me",
      consent: true,
    });
    const again = await app
      .caller(a!)
      .cohorts.shareAnswer({ cohortId: cohort.id, passId: pass.passId, consent: true });
    expect(again.id).toBe(post.id);
    const seen = await app.caller(b!).cohorts.feed({ cohortId: cohort.id });
    expect(seen.posts[0]!.shared?.content).toMatchObject({ text: ANSWERS.REFLECTION.text });
    await app.caller(a!).cohorts.deletePost({ postId: post.id });
    const share = await app.db.share.findFirstOrThrow({
      where: { passId: pass.passId, audience: "COHORT" },
    });
    expect(share.revokedAt).not.toBeNull();
    expect(share.snapshot).toEqual({});
    expect(
      JSON.stringify(await app.caller(b!).cohorts.feed({ cohortId: cohort.id })),
    ).not.toContain(ANSWERS.REFLECTION.text);
  });

  it("pages through the feed without losing or repeating a post", async () => {
    const { cohort, members } = await cohortWith(1);
    const base = Date.now() - 100_000;
    await app.db.cohortPost.createMany({
      data: Array.from({ length: 45 }, (_, i) => ({
        cohortId: cohort.id,
        authorId: members[0]!.id,
        body: `Post ${i}`,
        // Pairs share a timestamp: the id breaks the tie.
        createdAt: new Date(base + Math.floor(i / 2) * 1000),
      })),
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const f = await app.caller(members[0]!).cohorts.feed({ cohortId: cohort.id, cursor });
      seen.push(...f.posts.map((p) => p.id));
      if (!f.next) break;
      cursor = `${new Date(f.next.at).getTime()}_${f.next.id}`;
    }
    expect(seen).toHaveLength(45);
    expect(new Set(seen).size).toBe(45);
    expect(
      await codeOf(app.caller(members[0]!).cohorts.feed({ cohortId: cohort.id, cursor: "nope" })),
    ).toBe("BAD_REQUEST");
  });

  it("reads a page of the feed in the same number of SQL statements for 5 posts and 300", async () => {
    const counting = countingDb(app.database.url);
    async function statementsFor(posts: number) {
      const { cohort, members } = await cohortWith(3);
      await app.db.cohortPost.createMany({
        data: Array.from({ length: posts }, (_, i) => ({
          cohortId: cohort.id,
          authorId: members[i % 3]!.id,
          body: `Post ${i}`,
          commentCount: 2,
        })),
      });
      const ids = (
        await app.db.cohortPost.findMany({ where: { cohortId: cohort.id }, select: { id: true } })
      ).map((p) => p.id);
      await app.db.cohortComment.createMany({
        data: ids.flatMap((postId) => [
          { postId, authorId: members[1]!.id, body: "a" },
          { postId, authorId: members[2]!.id, body: "b" },
        ]),
      });
      await app.db.cohortReaction.createMany({
        data: ids.map((postId) => ({ postId, userId: members[0]!.id, kind: "HEART" as const })),
      });
      counting.reset();
      const f = await feed(counting.db, members[0]!, { cohortId: cohort.id });
      return { count: counting.statements().length, posts: f.posts.length };
    }
    const small = await statementsFor(5);
    const large = await statementsFor(300);
    await counting.close();
    expect(small.posts).toBe(5);
    expect(large.posts).toBe(10);
    // Access, pinned, the page (with comments and authors joined), reaction counts, mine.
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(6);
  });

  it("sends live events to subscribers of the cohort, from another connection, and only them", async () => {
    const { cohort, members } = await cohortWith(2);
    const other = await cohortWith(1);
    const events = app.caller(members[1]!).cohorts.live({ cohortId: cohort.id });
    const iterator = (await events)[Symbol.asyncIterator]();
    const first = iterator.next();
    // Let the subscription reach LISTEN before anything is written.
    await new Promise((r) => setTimeout(r, 300));
    await app
      .caller(other.members[0]!)
      .cohorts.post({ cohortId: other.cohort.id, body: "elsewhere" });
    const post = await app.caller(members[0]!).cohorts.post({ cohortId: cohort.id, body: "live" });
    const got = await Promise.race([
      first,
      new Promise((_, reject) => setTimeout(() => reject(new Error("no event within 5 s")), 5000)),
    ]);
    expect((got as IteratorResult<unknown>).value).toEqual({
      cohortId: cohort.id,
      what: "post",
      postId: post.id,
    });
    // Closing the stream (the browser leaving the page) ends the subscription.
    await iterator.return?.();
    // Someone outside the cohort cannot subscribe.
    const outsider = await app.createUser("MEMBER");
    const refused = await errorOf(async () => {
      const it = (await app.caller(outsider).cohorts.live({ cohortId: cohort.id }))[
        Symbol.asyncIterator
      ]();
      await it.next();
    });
    expect(refused.code).toBe("NOT_FOUND");
  });
});

describe("profiles in a cohort", () => {
  it("shows members each other's name, picture and bio, never an email; outsiders nothing", async () => {
    const { cohort, members } = await cohortWith(2);
    const [a, b] = members;
    await app.caller(a!).me.update({
      name: "Ana Ruiz",
      timeZone: "Europe/Madrid",
      bio: "Baker. Early riser.",
      image: "/api/uploads/0123456789abcdef0123456789abcdef.png",
    });
    const seen = await app.caller(b!).cohorts.members({ cohortId: cohort.id });
    expect(seen.coaches.map((c) => c.id)).toEqual([coach.id]);
    expect(seen.members.find((m) => m.id === a!.id)).toMatchObject({
      name: "Ana Ruiz",
      bio: "Baker. Early riser.",
      image: "/api/uploads/0123456789abcdef0123456789abcdef.png",
    });
    expect(JSON.stringify(seen)).not.toContain("@");
    const outsider = await app.createUser("MEMBER");
    expect(await codeOf(app.caller(outsider).cohorts.members({ cohortId: cohort.id }))).toBe(
      "NOT_FOUND",
    );
    // A picture is one of our uploads, never a URL from elsewhere; a bio has a limit.
    const bad = await errorOf(() =>
      app.caller(a!).me.update({
        name: "Ana",
        timeZone: "UTC",
        image: "https://evil.example/x.png",
        bio: "x".repeat(301),
      }),
    );
    expect(Object.keys(bad.fields).sort()).toEqual(["bio", "image"]);
    expect((await app.caller(a!).me.get()).bio).toBe("Baker. Early riser.");
  });
});

describe("a post's comments", () => {
  it("shows the latest 20 in the feed and all of them, oldest first, on the post's page", async () => {
    const { cohort, members } = await cohortWith(2);
    const post = await app
      .caller(members[0]!)
      .cohorts.post({ cohortId: cohort.id, body: "Ask me" });
    for (let i = 0; i < 25; i++) {
      await app.caller(members[1]!).cohorts.comment({ postId: post.id, body: `Comment ${i}` });
    }
    const f = await app.caller(members[0]!).cohorts.feed({ cohortId: cohort.id });
    expect(f.posts[0]!.commentCount).toBe(25);
    expect(f.posts[0]!.comments).toHaveLength(20);
    expect(f.posts[0]!.comments.at(-1)!.bodyHtml).toBe("<p>Comment 24</p>");
    const all = await app.caller(members[0]!).cohorts.comments({ postId: post.id });
    expect(all.comments.map((c) => c.bodyHtml)).toEqual(
      Array.from({ length: 25 }, (_, i) => `<p>Comment ${i}</p>`),
    );
    const outsider = await app.createUser("MEMBER");
    expect(await codeOf(app.caller(outsider).cohorts.comments({ postId: post.id }))).toBe(
      "NOT_FOUND",
    );
  });
});
