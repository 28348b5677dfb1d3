import type { Prisma } from "@/generated/prisma/client";
import type { SignedInUser } from "../auth/session";
import { readablePosts } from "../cohorts/space";
import { byNameWithinGroups } from "../community/service";
import type { Db } from "../db";
import { answerFields, excerptOf, readSnapshot } from "../journal/fields";
import { inCatalog } from "../player/catalog";
import type { ExerciseKindName } from "../programs/exercise-kinds";
import { ownProgram } from "../programs/ownership";
import { firstSnippet, likeEscaped, type Snippet } from "./snippet";

/**
 * One search over what the caller may see: their own journal, the programs their catalog shows
 * (and, for coaches, the programs they author, drafts included), the people on their own map, and
 * the posts and comments of the cohorts they sit in or run. Every statement carries the caller's
 * scope in its WHERE clause, built from the same filters the journal, the catalog, the map and
 * the cohort space use, so nothing out of scope ever leaves the database. Programs and posts match
 * by ILIKE on a pattern whose wildcards are escaped: a `%`, `_` or `\` in the query matches
 * itself. The journal and the map are sealed at rest and match here, case-insensitively, on the
 * opened text of the caller's own rows.
 */

export type SearchHit = {
  id: string;
  title: string;
  href: string;
  /** A second link (a coach's own program: its editor). */
  editHref?: string;
  /** What the result is: "Reflection · Program · Step", "Friends · keep", "Comment by Ana". */
  context: string;
  /** The field the snippet comes from when it is not the obvious one ("Why it moved"). */
  label?: string;
  snippet: Snippet | null;
  /** The start of the text when the match was elsewhere (in the title): context, not a match. */
  excerpt?: string;
  at: Date | null;
};

export type SearchGroup = {
  key: "journal" | "programs" | "people" | "posts";
  label: string;
  hits: SearchHit[];
  /** More matched than `limit`: the caller should narrow the search. */
  more: boolean;
};

export type SearchResult = { q: string; total: number; groups: SearchGroup[] };

const KIND_LABEL: Record<string, string> = {
  REFLECTION: "Reflection",
  LENSES: "Lenses",
  SCALE: "Scale",
  PEOPLE: "People",
  COMMITMENT: "Commitment",
  PRACTICE: "Practice",
};
const STATUS_LABEL: Record<string, string> = {
  KEEP: "keep",
  RECONNECT: "reconnect",
  MOVE_ON: "move on",
};

export async function search(
  db: Db,
  user: SignedInUser,
  input: { q: string; limit: number },
): Promise<SearchResult> {
  const { q, limit } = input;
  const [journal, programs, people, posts] = await Promise.all([
    searchJournal(db, user, q, limit),
    searchPrograms(db, user, q, limit),
    searchPeople(db, user, q, limit),
    searchPosts(db, user, q, limit),
  ]);
  const groups: SearchGroup[] = [
    { key: "journal", label: "Journal", ...journal },
    { key: "programs", label: "Programs", ...programs },
    { key: "people", label: "People", ...people },
    { key: "posts", label: "Cohort posts", ...posts },
  ];
  return { q, total: groups.reduce((n, g) => n + g.hits.length, 0), groups };
}

const capped = (hits: SearchHit[], limit: number) => ({
  hits: hits.slice(0, limit),
  more: hits.length > limit,
});

type PassRow = {
  id: string;
  exerciseId: string;
  kind: string;
  passNumber: number;
  content: unknown;
  promptSnapshot: unknown;
  createdAt: Date;
};

/** Passes read per statement while the caller's journal is searched, newest first. */
const JOURNAL_BATCH = 200;

/** Every string inside a JSON value (not its keys). */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === "object")
    for (const v of Object.values(value)) strings(v, out);
  return out;
}

/**
 * The caller's own answers, newest first: any text of the answer (every string in its content,
 * not the keys), or the prompt as it read when answered. Private answers are searchable by their
 * member only: every statement reads `userId = caller`, whoever the caller is.
 *
 * Answers are sealed at rest (crypto/sealing.ts), so the database cannot match them: the
 * caller's passes are read newest first, a batch at a time, opened, and matched here, until a
 * page of hits is found or the journal ends.
 */
async function searchJournal(db: Db, user: SignedInUser, q: string, limit: number) {
  const needle = q.toLocaleLowerCase();
  const matches = (text: string) => text.toLocaleLowerCase().includes(needle);
  const rows: PassRow[] = [];
  let after: { createdAt: Date; id: string } | null = null;
  while (rows.length <= limit) {
    const batch: PassRow[] = await db.answerPass.findMany({
      where: {
        userId: user.id,
        ...(after
          ? {
              OR: [
                { createdAt: { lt: after.createdAt } },
                { createdAt: after.createdAt, id: { lt: after.id } },
              ],
            }
          : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: JOURNAL_BATCH,
      select: {
        id: true,
        exerciseId: true,
        kind: true,
        passNumber: true,
        content: true,
        promptSnapshot: true,
        createdAt: true,
      },
    });
    for (const row of batch) {
      if (rows.length > limit) break;
      const prompt = readSnapshot(row.promptSnapshot).prompt ?? "";
      if (matches(prompt) || strings(row.content).some(matches)) rows.push(row);
    }
    const last = batch.at(-1);
    if (batch.length < JOURNAL_BATCH || !last) break;
    after = { createdAt: last.createdAt, id: last.id };
  }
  const hits = rows.map((row): SearchHit => {
    const snapshot = readSnapshot(row.promptSnapshot);
    const fields = answerFields(row.kind as ExerciseKindName, row.content, snapshot);
    // The answer's words first; a match in the prompt alone is already the title, so the
    // answer's beginning is shown instead.
    const found = firstSnippet(
      fields.map((f) => ({ label: f.label, text: f.text })),
      q,
    );
    return {
      id: row.id,
      title: snapshot.prompt || "A prompt",
      href: `/app/journal/${row.exerciseId}#pass-${row.id}`,
      context: [KIND_LABEL[row.kind] ?? row.kind, snapshot.programTitle, snapshot.stepTitle]
        .filter(Boolean)
        .join(" · "),
      label: found?.label,
      snippet: found?.snippet ?? null,
      excerpt: found
        ? undefined
        : excerptOf(row.kind as ExerciseKindName, row.content, snapshot, 160),
      at: row.createdAt,
    };
  });
  return capped(hits, limit);
}

const contains = (q: string) => ({ contains: likeEscaped(q), mode: "insensitive" as const });

/**
 * Programs the caller's catalog lists (published, or enrolled in), and for coaches and admins
 * the programs they may author (`ownProgram`: their own, drafts and archived included; admins
 * all), by title or summary.
 */
async function searchPrograms(db: Db, user: SignedInUser, q: string, limit: number) {
  const authors = user.role === "COACH" || user.role === "ADMIN";
  const match = contains(q);
  // Admins may author every program (`ownProgram` is empty for them), so their scope is all;
  // an empty filter inside an OR would be dropped by Prisma, not read as "every program".
  const scope: Prisma.ProgramWhereInput =
    user.role === "ADMIN"
      ? {}
      : { OR: [inCatalog(user.id), ...(authors ? [ownProgram(user)] : [])] };
  const rows = await db.program.findMany({
    where: { AND: [scope, { OR: [{ title: match }, { summary: match }] }] },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    take: limit + 1,
    select: {
      id: true,
      slug: true,
      title: true,
      summary: true,
      status: true,
      authorId: true,
      updatedAt: true,
      enrolments: { where: { userId: user.id }, select: { id: true } },
    },
  });
  const hits = rows.map((p): SearchHit => {
    const listed = p.status === "PUBLISHED" || p.enrolments.length > 0;
    const mayEdit = authors && (user.role === "ADMIN" || p.authorId === user.id);
    const editor = `/coach/programs/${p.id}`;
    const state =
      p.status === "DRAFT" ? "Draft" : p.status === "ARCHIVED" ? "Archived" : "Published";
    return {
      id: p.id,
      title: p.title,
      href: listed ? `/app/programs/${p.slug}` : editor,
      editHref: listed && mayEdit ? editor : undefined,
      context: [
        mayEdit ? state : null,
        p.enrolments.length > 0 ? "Enrolled" : null,
        mayEdit && p.authorId === user.id ? "Yours" : null,
      ]
        .filter(Boolean)
        .join(" · "),
      snippet: firstSnippet([{ text: p.summary }], q)?.snippet ?? null,
      at: null,
    };
  });
  return capped(hits, limit);
}

/**
 * The caller's own map: a person's name, circle, why, or a note of a reach-out. Names, whys and
 * notes are sealed at rest, so the caller's map is read (one statement for the people, one for
 * the notes) and matched here.
 */
async function searchPeople(db: Db, user: SignedInUser, q: string, limit: number) {
  const needle = q.toLocaleLowerCase();
  const matches = (text: string) => text.toLocaleLowerCase().includes(needle);
  const [people, notes] = await Promise.all([
    db.person.findMany({
      where: { userId: user.id },
      select: { id: true, name: true, circle: true, status: true, why: true },
    }),
    db.reachOut.findMany({
      where: { userId: user.id, note: { not: "" } },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      select: { personId: true, note: true },
    }),
  ]);
  // Each person's newest note that matches.
  const noteOf = new Map<string, string>();
  for (const n of notes) {
    if (!noteOf.has(n.personId) && matches(n.note)) noteOf.set(n.personId, n.note);
  }
  const rows = byNameWithinGroups(
    people
      .filter((p) => matches(p.name) || matches(p.circle) || matches(p.why) || noteOf.has(p.id))
      .map((p) => ({
        ...p,
        reachOuts: noteOf.has(p.id) ? [{ note: noteOf.get(p.id) ?? "" }] : [],
      })),
    () => "",
  ).slice(0, limit + 1);
  const hits = rows.map((p): SearchHit => {
    const found = firstSnippet(
      [
        { label: "Why", text: p.why },
        { label: "Reach-out note", text: p.reachOuts[0]?.note ?? "" },
      ],
      q,
    );
    return {
      id: p.id,
      title: p.name,
      href: `/app/community/${p.id}`,
      context: `${p.circle} · ${STATUS_LABEL[p.status] ?? p.status}`,
      label: found?.label,
      snippet: found?.snippet ?? null,
      at: null,
    };
  });
  return capped(hits, limit);
}

/**
 * Posts and comments of the cohorts the caller may read (`readablePosts`, the cohort space's
 * rule), newest first. A post links to the feed page that starts with it; a comment to its
 * post's comments.
 *
 * Four statements in two rounds: the matching posts and comments (a page of each, scalars only:
 * joined relations were built for every matching row before the sort and limit, 3,000 rows for a
 * common word in a busy cohort), then the authors and the posts' cohorts of that page, for posts
 * and comments together.
 */
async function searchPosts(db: Db, user: SignedInUser, q: string, limit: number) {
  const match = contains(q);
  const visible = readablePosts(user);
  const newest = [{ createdAt: "desc" as const }, { id: "desc" as const }];
  const [posts, comments] = await Promise.all([
    db.cohortPost.findMany({
      where: { AND: [visible, { body: match }] },
      orderBy: newest,
      take: limit + 1,
      select: {
        id: true,
        kind: true,
        body: true,
        pinnedAt: true,
        createdAt: true,
        authorId: true,
      },
    }),
    db.cohortComment.findMany({
      where: { body: match, post: visible },
      orderBy: newest,
      take: limit + 1,
      select: { id: true, body: true, createdAt: true, postId: true, authorId: true },
    }),
  ]);
  if (posts.length === 0 && comments.length === 0) return { hits: [], more: false };
  const [authors, postCohorts] = await Promise.all([
    db.user.findMany({
      where: { id: { in: [...new Set([...posts, ...comments].map((r) => r.authorId))] } },
      select: { id: true, name: true },
    }),
    db.cohortPost.findMany({
      relationLoadStrategy: "join",
      where: {
        id: { in: [...new Set([...posts.map((p) => p.id), ...comments.map((c) => c.postId)])] },
      },
      select: { id: true, cohort: { select: { slug: true, name: true } } },
    }),
  ]);
  const nameOf = new Map(authors.map((a) => [a.id, a.name]));
  const by = (authorId: string) => nameOf.get(authorId) ?? "a member";
  // A post deleted between the two rounds has no cohort here: its hits are left out.
  const cohortOf = new Map(postCohorts.map((p) => [p.id, p.cohort]));
  const postHits = posts.flatMap((p): SearchHit[] => {
    const cohort = cohortOf.get(p.id);
    if (!cohort) return [];
    const feed = `/app/cohorts/${cohort.slug}`;
    // The feed page whose first post is this one (pinned posts head the first page).
    const page = p.pinnedAt ? feed : `${feed}?before=${p.createdAt.getTime() + 1}_0`;
    const what =
      p.kind === "ANNOUNCEMENT"
        ? "Announcement"
        : p.kind === "SHARED_ANSWER"
          ? "Shared answer"
          : "Post";
    return [
      {
        id: p.id,
        title: `${what} by ${by(p.authorId)}`,
        href: `${page}#post-${p.id}`,
        context: cohort.name,
        snippet: firstSnippet([{ text: p.body }], q)?.snippet ?? null,
        at: p.createdAt,
      },
    ];
  });
  const commentHits = comments.flatMap((c): SearchHit[] => {
    const cohort = cohortOf.get(c.postId);
    if (!cohort) return [];
    return [
      {
        id: c.id,
        title: `Comment by ${by(c.authorId)}`,
        href: `/app/cohorts/${cohort.slug}/posts/${c.postId}`,
        context: cohort.name,
        snippet: firstSnippet([{ text: c.body }], q)?.snippet ?? null,
        at: c.createdAt,
      },
    ];
  });
  const merged = [...postHits, ...commentHits].sort(
    (a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0),
  );
  // Either list may have had more than it returned.
  const more = posts.length > limit || comments.length > limit || merged.length > limit;
  return { hits: merged.slice(0, limit), more };
}
