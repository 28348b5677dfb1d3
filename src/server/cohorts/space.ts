import type { Prisma } from "@/generated/prisma/client";
import { renderMarkdown } from "@/lib/markdown";
import { recordAudit } from "../audit/service";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";
import { type ShareSnapshot, snapshotOf } from "../sharing/service";
import { managedBy, NO_COHORT, type Tx } from "./access";
import { announce } from "./live";

/**
 * The cohort space: a feed of posts (pinned announcements first, then newest first, a page at a
 * time), comments, reactions, reports, moderation and answers shared into it. Seated members and
 * those who run the cohort read it; nobody else learns anything about it (NOT_FOUND). A finished
 * cohort's space stays readable and takes no new posts.
 */

/** Posts per page: each carries its comments and controls, and rendering them is the cost. */
export const FEED_PAGE = 10;
export const COMMENTS_SHOWN = 20;
export const PINNED_MAX = 3;

export type SpaceRole = "member" | "coach";

/** Who the caller is in this cohort, or NOT_FOUND. */
export async function spaceAccess(db: Db | Tx, user: SignedInUser, cohortId: string) {
  const cohort = await db.cohort.findUnique({
    where: { id: cohortId },
    select: {
      id: true,
      programId: true,
      finishedAt: true,
      program: { select: { authorId: true } },
      facilitators: { where: { userId: user.id }, select: { userId: true } },
      members: { where: { userId: user.id, status: "ACTIVE" }, select: { id: true } },
    },
  });
  if (!cohort) throw new DomainError("NOT_FOUND", NO_COHORT);
  const coach =
    user.role === "ADMIN" || cohort.program.authorId === user.id || cohort.facilitators.length > 0;
  if (!coach && cohort.members.length === 0) throw new DomainError("NOT_FOUND", NO_COHORT);
  return { cohort, role: (coach ? "coach" : "member") as SpaceRole };
}

/**
 * The same rule as `spaceAccess` and `visiblePost`, as a filter over many cohorts' posts (search):
 * every post of a cohort the caller runs; in a cohort where they hold an active seat, the posts
 * not hidden, and their own.
 */
export const readablePosts = (user: SignedInUser): Prisma.CohortPostWhereInput =>
  // Admins run every cohort. (Prisma drops an empty `{}` from an OR list rather than reading it
  // as "true", so that case is not left to `managedBy`'s empty filter.)
  user.role === "ADMIN"
    ? {}
    : {
        OR: [
          { cohort: managedBy(user) },
          {
            cohort: { members: { some: { userId: user.id, status: "ACTIVE" } } },
            OR: [{ hiddenAt: null }, { authorId: user.id }],
          },
        ],
      };

async function writable(db: Db | Tx, user: SignedInUser, cohortId: string) {
  const access = await spaceAccess(db, user, cohortId);
  if (access.cohort.finishedAt) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "This cohort has finished; its space is read-only.",
    );
  }
  return access;
}

/** A post the caller may see (hidden posts only to coaches and their author), with its cohort. */
async function visiblePost(db: Db | Tx, user: SignedInUser, postId: string) {
  const post = await db.cohortPost.findUnique({
    where: { id: postId },
    select: { id: true, cohortId: true, authorId: true, hiddenAt: true, kind: true, shareId: true },
  });
  if (!post) throw new DomainError("NOT_FOUND", "We could not find that post.");
  const access = await spaceAccess(db, user, post.cohortId).catch(() => {
    throw new DomainError("NOT_FOUND", "We could not find that post.");
  });
  if (post.hiddenAt && access.role !== "coach" && post.authorId !== user.id) {
    throw new DomainError("NOT_FOUND", "We could not find that post.");
  }
  return { post, ...access };
}

export async function createPost(
  db: Db,
  user: SignedInUser,
  input: { cohortId: string; body: string; announcement: boolean },
) {
  return db.$transaction(async (tx) => {
    const { role } = await writable(tx, user, input.cohortId);
    if (input.announcement && role !== "coach") {
      throw new DomainError("FORBIDDEN", "Only the cohort's coaches post announcements.");
    }
    const post = await tx.cohortPost.create({
      data: {
        cohortId: input.cohortId,
        authorId: user.id,
        body: input.body,
        kind: input.announcement ? "ANNOUNCEMENT" : "POST",
        pinnedAt: input.announcement ? new Date() : null,
      },
      select: { id: true },
    });
    await announce(tx, { cohortId: input.cohortId, what: "post", postId: post.id });
    return post;
  });
}

/** Authors delete their own posts (a shared answer is taken back with its share). */
export async function deletePost(db: Db, user: SignedInUser, postId: string) {
  return db.$transaction(async (tx) => {
    const { post } = await visiblePost(tx, user, postId);
    if (post.authorId !== user.id) {
      throw new DomainError("FORBIDDEN", "Only its author can delete a post; coaches can hide it.");
    }
    await tx.cohortPost.delete({ where: { id: post.id } });
    if (post.shareId) {
      // The share row stays as the record that something was shared, without its words.
      await tx.share.updateMany({
        where: { id: post.shareId, revokedAt: null },
        data: { revokedAt: new Date(), snapshot: {} },
      });
    }
    await announce(tx, { cohortId: post.cohortId, what: "removed", postId: post.id });
    return { deleted: true };
  });
}

export async function addComment(
  db: Db,
  user: SignedInUser,
  input: { postId: string; body: string },
) {
  return db.$transaction(async (tx) => {
    const { post } = await visiblePost(tx, user, input.postId);
    await writable(tx, user, post.cohortId);
    if (post.hiddenAt) {
      throw new DomainError("PRECONDITION_FAILED", "This post is hidden; it takes no comments.");
    }
    const comment = await tx.cohortComment.create({
      data: { postId: post.id, authorId: user.id, body: input.body },
      select: { id: true },
    });
    await tx.cohortPost.update({
      where: { id: post.id },
      data: { commentCount: { increment: 1 } },
    });
    await announce(tx, { cohortId: post.cohortId, what: "comment", postId: post.id });
    return comment;
  });
}

export async function deleteComment(db: Db, user: SignedInUser, commentId: string) {
  return db.$transaction(async (tx) => {
    const comment = await tx.cohortComment.findUnique({
      where: { id: commentId },
      select: { id: true, authorId: true, postId: true },
    });
    if (!comment) throw new DomainError("NOT_FOUND", "We could not find that comment.");
    const { post, role } = await visiblePost(tx, user, comment.postId);
    if (comment.authorId !== user.id && role !== "coach") {
      throw new DomainError("FORBIDDEN", "Only its author or a coach can remove a comment.");
    }
    await tx.cohortComment.delete({ where: { id: comment.id } });
    await tx.cohortPost.update({
      where: { id: post.id },
      data: { commentCount: { decrement: 1 } },
    });
    if (comment.authorId !== user.id) {
      await recordAudit(tx, {
        actorId: user.id,
        action: "cohort.remove-comment",
        targetType: "cohort-comment",
        targetId: comment.id,
        targetUserId: comment.authorId,
      });
    }
    await announce(tx, { cohortId: post.cohortId, what: "comment", postId: post.id });
    return { deleted: true };
  });
}

/** A reaction is a toggle: on when absent, off when present. */
export async function toggleReaction(
  db: Db,
  user: SignedInUser,
  input: { postId: string; kind: "HEART" | "THANKS" | "SAME" },
) {
  return db.$transaction(async (tx) => {
    const { post } = await visiblePost(tx, user, input.postId);
    await writable(tx, user, post.cohortId);
    const key = { postId: post.id, userId: user.id, kind: input.kind };
    const { count } = await tx.cohortReaction.deleteMany({ where: key });
    if (count === 0) {
      await tx.cohortReaction.createMany({ data: [key], skipDuplicates: true });
    }
    await announce(tx, { cohortId: post.cohortId, what: "reaction", postId: post.id });
    return { on: count === 0 };
  });
}

/** One report per member and post; reporting again changes nothing. */
export async function reportPost(
  db: Db,
  user: SignedInUser,
  input: { postId: string; reason: string },
) {
  const { post } = await visiblePost(db, user, input.postId);
  if (post.authorId === user.id) {
    throw new DomainError("BAD_REQUEST", "You cannot report your own post; delete it instead.");
  }
  await db.cohortReport.createMany({
    data: [{ postId: post.id, reporterId: user.id, reason: input.reason }],
    skipDuplicates: true,
  });
  return { reported: true };
}

/** Coaches hide a post from members (its author still sees it, marked) or show it again. */
export async function moderatePost(
  db: Db,
  user: SignedInUser,
  input: { postId: string; action: "hide" | "unhide" | "pin" | "unpin" },
) {
  return db.$transaction(async (tx) => {
    const { post, role } = await visiblePost(tx, user, input.postId);
    if (role !== "coach") throw new DomainError("FORBIDDEN", "Only the cohort's coaches moderate.");
    const now = new Date();
    const data: Prisma.CohortPostUpdateInput =
      input.action === "hide"
        ? { hiddenAt: now, hiddenById: user.id }
        : input.action === "unhide"
          ? { hiddenAt: null, hiddenById: null }
          : input.action === "pin"
            ? { pinnedAt: now }
            : { pinnedAt: null };
    if (input.action === "pin") {
      const pinned = await tx.cohortPost.count({
        where: { cohortId: post.cohortId, pinnedAt: { not: null }, id: { not: post.id } },
      });
      if (pinned >= PINNED_MAX) {
        throw new DomainError(
          "PRECONDITION_FAILED",
          `At most ${PINNED_MAX} posts can be pinned; unpin one first.`,
        );
      }
    }
    await tx.cohortPost.update({ where: { id: post.id }, data });
    if (input.action === "hide" || input.action === "unhide") {
      await recordAudit(tx, {
        actorId: user.id,
        action: `cohort.${input.action}-post`,
        targetType: "cohort-post",
        targetId: post.id,
        targetUserId: post.authorId,
      });
    }
    await announce(tx, { cohortId: post.cohortId, what: "moderation", postId: post.id });
    return { id: post.id, action: input.action };
  });
}

/**
 * Shares one pass of mine into the cohort's feed: an explicit act, a frozen snapshot, taken back
 * by deleting the post (the share's words are cleared with it).
 */
export async function shareIntoCohort(
  db: Db,
  user: SignedInUser,
  input: { cohortId: string; passId: string; note: string },
) {
  return db.$transaction(async (tx) => {
    const { cohort } = await writable(tx, user, input.cohortId);
    const pass = await tx.answerPass.findFirst({
      where: { id: input.passId, userId: user.id },
      select: {
        id: true,
        programId: true,
        kind: true,
        passNumber: true,
        content: true,
        promptSnapshot: true,
        createdAt: true,
      },
    });
    if (!pass) throw new DomainError("NOT_FOUND", "There is no such answer in your journal.");
    if (pass.programId !== cohort.programId) {
      throw new DomainError(
        "BAD_REQUEST",
        "Only answers to this cohort's program can be shared into its space.",
      );
    }
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`share:${pass.id}:${cohort.id}`}))`;
    const existing = await tx.cohortPost.findFirst({
      where: { cohortId: cohort.id, share: { passId: pass.id, revokedAt: null } },
      select: { id: true },
    });
    if (existing) return existing;
    const snapshot = snapshotOf(pass);
    const share = await tx.share.create({
      data: {
        passId: pass.id,
        userId: user.id,
        programId: pass.programId,
        audience: "COHORT",
        snapshot: snapshot as unknown as Prisma.InputJsonObject,
      },
      select: { id: true },
    });
    const post = await tx.cohortPost.create({
      data: {
        cohortId: cohort.id,
        authorId: user.id,
        kind: "SHARED_ANSWER",
        body: input.note,
        shareId: share.id,
      },
      select: { id: true },
    });
    await announce(tx, { cohortId: cohort.id, what: "post", postId: post.id });
    return post;
  });
}

const REACTIONS = ["HEART", "THANKS", "SAME"] as const;

/**
 * One page of the feed: pinned posts (first page only), then posts newest first, each with its
 * latest comments, reaction counts and mine, and (for coaches) its report count. A fixed number
 * of statements whatever the feed's size: access, pinned, page, reactions, my reactions, reports.
 */
export async function feed(
  db: Db,
  user: SignedInUser,
  input: { cohortId: string; before?: { at: Date; id: string } | null },
) {
  const { cohort, role } = await spaceAccess(db, user, input.cohortId);
  const visible: Prisma.CohortPostWhereInput =
    role === "coach" ? {} : { OR: [{ hiddenAt: null }, { authorId: user.id }] };
  const postSelect = {
    id: true as const,
    kind: true,
    body: true,
    pinnedAt: true,
    hiddenAt: true,
    commentCount: true,
    createdAt: true,
    author: { select: { id: true, name: true, image: true } },
    share: { select: { snapshot: true, revokedAt: true } },
    comments: {
      orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }],
      take: COMMENTS_SHOWN,
      select: {
        id: true,
        body: true,
        createdAt: true,
        author: { select: { id: true, name: true, image: true } },
      },
    },
  } satisfies Prisma.CohortPostSelect;
  const before = input.before;
  const [pinned, rows] = await Promise.all([
    before
      ? Promise.resolve([])
      : db.cohortPost.findMany({
          where: { cohortId: cohort.id, pinnedAt: { not: null }, ...visible },
          orderBy: { pinnedAt: "desc" },
          take: PINNED_MAX,
          select: postSelect,
        }),
    db.cohortPost.findMany({
      where: {
        cohortId: cohort.id,
        pinnedAt: null,
        ...visible,
        ...(before
          ? {
              AND: [
                {
                  OR: [
                    { createdAt: { lt: before.at } },
                    { createdAt: before.at, id: { lt: before.id } },
                  ],
                },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: FEED_PAGE + 1,
      select: postSelect,
    }),
  ]);
  const page = rows.slice(0, FEED_PAGE);
  const all = [...pinned, ...page];
  const ids = all.map((p) => p.id);
  const [counts, mine, reports] = ids.length
    ? await Promise.all([
        db.cohortReaction.groupBy({
          by: ["postId", "kind"],
          where: { postId: { in: ids } },
          _count: { _all: true },
        }),
        db.cohortReaction.findMany({
          where: { postId: { in: ids }, userId: user.id },
          select: { postId: true, kind: true },
        }),
        role === "coach"
          ? db.cohortReport.groupBy({
              by: ["postId"],
              where: { postId: { in: ids } },
              _count: { _all: true },
            })
          : Promise.resolve([]),
      ])
    : [[], [], []];
  const shape = (p: (typeof all)[number]) => ({
    id: p.id,
    kind: p.kind,
    bodyHtml: renderMarkdown(p.body),
    pinned: p.pinnedAt !== null,
    hidden: p.hiddenAt !== null,
    createdAt: p.createdAt,
    author: { id: p.author.id, name: p.author.name ?? "A member", image: p.author.image },
    mine: p.author.id === user.id,
    shared: p.share && !p.share.revokedAt ? (p.share.snapshot as unknown as ShareSnapshot) : null,
    commentCount: p.commentCount,
    comments: p.comments
      .map((c) => ({
        id: c.id,
        bodyHtml: renderMarkdown(c.body),
        createdAt: c.createdAt,
        author: { id: c.author.id, name: c.author.name ?? "A member", image: c.author.image },
        mine: c.author.id === user.id,
      }))
      .reverse(),
    reactions: REACTIONS.map((kind) => ({
      kind,
      count: counts.find((c) => c.postId === p.id && c.kind === kind)?._count._all ?? 0,
      mine: mine.some((m) => m.postId === p.id && m.kind === kind),
    })),
    reports: reports.find((r) => r.postId === p.id)?._count._all ?? 0,
  });
  const last = page.at(-1);
  return {
    role,
    finished: cohort.finishedAt !== null,
    pinned: pinned.map(shape),
    posts: page.map(shape),
    next: rows.length > FEED_PAGE && last ? { at: last.createdAt, id: last.id } : null,
  };
}

/** The newest change in a cohort's feed (ms), for the embedded database's polling. */
export async function lastFeedChange(db: Db, cohortId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ at: Date | null }[]>`
    SELECT greatest(
      (SELECT max("updatedAt") FROM "CohortPost" WHERE "cohortId" = ${cohortId}),
      (SELECT max(c."createdAt") FROM "CohortComment" c JOIN "CohortPost" p ON p."id" = c."postId"
        WHERE p."cohortId" = ${cohortId}),
      (SELECT max(r."createdAt") FROM "CohortReaction" r JOIN "CohortPost" p ON p."id" = r."postId"
        WHERE p."cohortId" = ${cohortId})
    ) AS "at"`;
  return row?.at ? new Date(row.at).getTime() : 0;
}

export const DIRECTORY_PAGE = 48;

/**
 * Who is in the cohort, for its members: names, pictures and bios, coaches first, never an email
 * address. A page at a time, in the order people joined.
 */
export async function directory(
  db: Db,
  user: SignedInUser,
  input: { cohortId: string; page: number },
) {
  const { cohort } = await spaceAccess(db, user, input.cohortId);
  const person = { select: { id: true, name: true, image: true, bio: true } } as const;
  const [coaches, rows] = await Promise.all([
    db.cohortFacilitator.findMany({
      where: { cohortId: cohort.id },
      orderBy: { createdAt: "asc" },
      select: { user: person },
    }),
    db.cohortMember.findMany({
      where: { cohortId: cohort.id, status: "ACTIVE" },
      orderBy: { queuePosition: "asc" },
      skip: input.page * DIRECTORY_PAGE,
      take: DIRECTORY_PAGE + 1,
      select: { joinedAt: true, user: person },
    }),
  ]);
  const shape = (u: { id: string; name: string | null; image: string | null; bio: string }) => ({
    id: u.id,
    name: u.name ?? "A member",
    image: u.image,
    bio: u.bio,
  });
  return {
    coaches: input.page === 0 ? coaches.map((c) => shape(c.user)) : [],
    members: rows.slice(0, DIRECTORY_PAGE).map((r) => ({ ...shape(r.user), joinedAt: r.joinedAt })),
    page: input.page,
    hasMore: rows.length > DIRECTORY_PAGE,
  };
}

export const COMMENTS_PAGE = 100;

/** Every comment of one post, oldest first, a page at a time (the feed shows the latest 20). */
export async function postComments(
  db: Db,
  user: SignedInUser,
  input: { postId: string; page: number },
) {
  const { post, role } = await visiblePost(db, user, input.postId);
  const rows = await db.cohortComment.findMany({
    where: { postId: post.id },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    skip: input.page * COMMENTS_PAGE,
    take: COMMENTS_PAGE + 1,
    select: {
      id: true,
      body: true,
      createdAt: true,
      author: { select: { id: true, name: true, image: true } },
    },
  });
  return {
    post: { id: post.id, cohortId: post.cohortId, hidden: post.hiddenAt !== null },
    coach: role === "coach",
    comments: rows.slice(0, COMMENTS_PAGE).map((c) => ({
      id: c.id,
      bodyHtml: renderMarkdown(c.body),
      createdAt: c.createdAt,
      author: { id: c.author.id, name: c.author.name ?? "A member", image: c.author.image },
      mine: c.author.id === user.id,
    })),
    page: input.page,
    hasMore: rows.length > COMMENTS_PAGE,
  };
}
