import type { z } from "zod";
import type { ExerciseKind, Prisma } from "@/generated/prisma/client";
import { type DiffSegment, diffAnswers, hasChanges } from "@/lib/diff";
import { localDayRange } from "@/lib/time-zone";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";
import {
  answerFields,
  excerptOf,
  lensNames,
  type PromptSnapshot,
  readSnapshot,
  scaleValueOf,
} from "./fields";
import type { listInput } from "./schemas";

/**
 * The member's journal. Every query is scoped by `userId` of the caller: a pass id or prompt id
 * of another member simply finds nothing (NOT_FOUND), so ids cannot be probed. Passes are read
 * by owner, not through entitlements or the live exercise, so losing access or a deleted
 * exercise never hides an answer.
 */

/** Timeline/compare read at most this many passes of one prompt (years of weekly revisits). */
const MAX_PASSES_PER_PROMPT = 500;

type ListInput = z.infer<typeof listInput>;

function passFilter(
  user: SignedInUser,
  input: Omit<ListInput, "limit">,
): Prisma.AnswerPassWhereInput {
  const createdAt: Prisma.DateTimeFilter = localDayRange(input.from, input.to, user.timeZone);
  return {
    userId: user.id,
    ...(input.programId ? { programId: input.programId } : {}),
    ...(input.exerciseId ? { exerciseId: input.exerciseId } : {}),
    // A lens filter keeps LENSES passes whose prompt (as answered) had that lens.
    ...(input.lens
      ? {
          kind: "LENSES" as const,
          promptSnapshot: { path: ["config", "lenses"], array_contains: [input.lens] },
        }
      : {}),
    ...(input.from || input.to ? { createdAt } : {}),
  };
}

const passSelect = {
  id: true,
  exerciseId: true,
  programId: true,
  passNumber: true,
  kind: true,
  content: true,
  promptSnapshot: true,
  scaleValue: true,
  createdAt: true,
  exercise: { select: { deletedAt: true } },
} as const;

/** One group of the list: a prompt, how often and when it was answered, its latest pass. */
type PromptGroup = {
  exerciseId: string;
  passCount: number;
  firstAt: Date;
  latestAt: Date;
  /** Finds the latest pass: by id (aggregate) or by number (grouped passes). */
  latest: { id: string } | { passNumber: number };
};

/**
 * Passes grouped per prompt, the most recently answered prompt first, a page at a time. Without
 * a lens or date filter the groups come from `ExerciseProgress` (kept with every pass), so the
 * journal costs the same after three years of answers as in the first week; a lens or date
 * filter groups the passes it selects. Either way two queries: the page of groups, then each
 * group's latest pass.
 */
export async function listJournal(db: Db, user: SignedInUser, input: ListInput) {
  const offset = Number(input.cursor ?? 0);
  const byPasses = Boolean(input.lens || input.from || input.to);
  const rows = byPasses
    ? await groupsOfPasses(db, user, input, offset)
    : await groupsOfPrompts(db, user, input, offset);
  const hasMore = rows.length > input.limit;
  const items = rows.slice(0, input.limit).flatMap(({ group: g, pass }) => {
    if (!pass) return [];
    const snapshot = readSnapshot(pass.promptSnapshot);
    return [
      {
        exerciseId: g.exerciseId,
        kind: pass.kind,
        programId: pass.programId,
        programTitle: snapshot.programTitle,
        stepTitle: snapshot.stepTitle,
        prompt: snapshot.prompt,
        passCount: g.passCount,
        firstAt: g.firstAt,
        latestAt: pass.createdAt,
        latestPassId: pass.id,
        latestExcerpt: excerptOf(pass.kind, pass.content, snapshot),
        latestScale: pass.kind === "SCALE" ? scaleValueOf(pass.content, pass.scaleValue) : null,
        exerciseRemoved: pass.exerciseDeletedAt !== null,
      },
    ];
  });
  return { items, nextCursor: hasMore ? String(offset + input.limit) : undefined };
}

type LatestPass = {
  id: string;
  programId: string;
  kind: ExerciseKind;
  content: Prisma.JsonValue;
  promptSnapshot: Prisma.JsonValue;
  scaleValue: number | null;
  createdAt: Date;
  exerciseDeletedAt: Date | null;
};
type ListRow = { group: PromptGroup; pass: LatestPass | null };

/**
 * Unfiltered (or by program or prompt): a page of the per-prompt aggregate kept with every pass,
 * each joined to its latest pass, in one statement (the journal is the second page members open
 * most; docs/performance.md).
 */
async function groupsOfPrompts(
  db: Db,
  user: SignedInUser,
  input: ListInput,
  offset: number,
): Promise<ListRow[]> {
  const programId = input.programId ?? null;
  const exerciseId = input.exerciseId ?? null;
  const rows = await db.$queryRaw<
    ({
      exerciseId: string;
      passCount: number;
      firstPassAt: Date;
      lastPassAt: Date;
      passId: string | null;
    } & Omit<LatestPass, "id">)[]
  >`SELECT g."exerciseId", g."passCount", g."firstPassAt", g."lastPassAt", a."id" AS "passId",
           a."programId", a."kind"::text AS "kind", a."content", a."promptSnapshot",
           a."scaleValue", a."createdAt", x."deletedAt" AS "exerciseDeletedAt"
      FROM (SELECT * FROM "ExerciseProgress"
             WHERE "userId" = ${user.id}
               AND (${programId}::text IS NULL OR "programId" = ${programId}::text)
               AND (${exerciseId}::text IS NULL OR "exerciseId" = ${exerciseId}::text)
             ORDER BY "lastPassAt" DESC, "exerciseId" ASC
            OFFSET ${offset} LIMIT ${input.limit + 1}) g
      LEFT JOIN "AnswerPass" a ON a."id" = g."lastPassId" AND a."userId" = ${user.id}
      LEFT JOIN "Exercise" x ON x."id" = a."exerciseId"
     ORDER BY g."lastPassAt" DESC, g."exerciseId" ASC`;
  return rows.map((r) => ({
    group: {
      exerciseId: r.exerciseId,
      passCount: r.passCount,
      firstAt: r.firstPassAt,
      latestAt: r.lastPassAt,
      latest: { id: r.passId ?? "" },
    },
    pass: r.passId
      ? {
          id: r.passId,
          programId: r.programId,
          kind: r.kind,
          content: r.content,
          promptSnapshot: r.promptSnapshot,
          scaleValue: r.scaleValue,
          createdAt: r.createdAt,
          exerciseDeletedAt: r.exerciseDeletedAt,
        }
      : null,
  }));
}

/** By lens or dates: prompts grouped from the passes that match, then their latest passes. */
async function groupsOfPasses(
  db: Db,
  user: SignedInUser,
  input: ListInput,
  offset: number,
): Promise<ListRow[]> {
  const groups: PromptGroup[] = (
    await db.answerPass.groupBy({
      by: ["exerciseId"],
      where: passFilter(user, input),
      _count: { _all: true },
      _max: { passNumber: true, createdAt: true },
      _min: { createdAt: true },
      orderBy: [{ _max: { createdAt: "desc" } }, { exerciseId: "asc" }],
      skip: offset,
      take: input.limit + 1,
    })
  ).map((g) => ({
    exerciseId: g.exerciseId,
    passCount: g._count._all,
    firstAt: g._min.createdAt as Date,
    latestAt: g._max.createdAt as Date,
    latest: { passNumber: g._max.passNumber ?? 0 },
  }));
  const page = groups.slice(0, input.limit);
  const latest = page.length
    ? await db.answerPass.findMany({
        where: {
          userId: user.id,
          OR: page.map((g) => ({ exerciseId: g.exerciseId, ...g.latest })),
        },
        select: passSelect,
      })
    : [];
  const byExercise = new Map(latest.map((p) => [p.exerciseId, p]));
  return groups.map((group) => {
    const p = byExercise.get(group.exerciseId);
    return {
      group,
      pass: p
        ? {
            id: p.id,
            programId: p.programId,
            kind: p.kind,
            content: p.content,
            promptSnapshot: p.promptSnapshot,
            scaleValue: p.scaleValue,
            createdAt: p.createdAt,
            exerciseDeletedAt: p.exercise.deletedAt,
          }
        : null,
    };
  });
}

/** All my passes of one prompt, oldest first, each with the prompt as it read then. */
export async function timeline(db: Db, user: SignedInUser, exerciseId: string) {
  // The newest passes when there are more than the cap, shown oldest first.
  const passes = (
    await db.answerPass.findMany({
      where: { userId: user.id, exerciseId },
      orderBy: { passNumber: "desc" },
      take: MAX_PASSES_PER_PROMPT,
      select: {
        ...passSelect,
        shares: {
          where: { userId: user.id, revokedAt: null },
          select: {
            id: true,
            audience: true,
            createdAt: true,
            post: { select: { id: true, cohort: { select: { name: true, slug: true } } } },
          },
        },
      },
    })
  ).reverse();
  const last = passes.at(-1);
  if (!last) throw new DomainError("NOT_FOUND", "There is no such prompt in your journal.");
  // The cohort I could share into: the one I have a seat in for this program, if still running.
  const seat = await db.cohortMember.findFirst({
    where: {
      userId: user.id,
      status: "ACTIVE",
      cohort: { programId: last.programId, finishedAt: null },
    },
    select: { cohort: { select: { id: true, name: true } } },
  });
  const latest = readSnapshot(last.promptSnapshot);
  return {
    exerciseId,
    kind: last.kind,
    programId: last.programId,
    programTitle: latest.programTitle,
    stepTitle: latest.stepTitle,
    prompt: latest.prompt,
    exerciseRemoved: last.exercise.deletedAt !== null,
    cohort: seat?.cohort ?? null,
    passes: passes.map((p) => {
      const snapshot = readSnapshot(p.promptSnapshot);
      return {
        id: p.id,
        passNumber: p.passNumber,
        createdAt: p.createdAt,
        kind: p.kind,
        snapshot,
        content: p.content,
        scaleValue: p.kind === "SCALE" ? scaleValueOf(p.content, p.scaleValue) : null,
        fields: answerFields(p.kind, p.content, snapshot),
        lenses: p.kind === "LENSES" ? lensNames(p.content, snapshot) : [],
        share: p.shares.find((s) => s.audience === "COACH") ?? null,
        cohortPost: p.shares.find((s) => s.audience === "COHORT")?.post ?? null,
      };
    }),
  };
}

export type CompareField = {
  key: string;
  label: string;
  a: string;
  b: string;
  changed: boolean;
  segments: DiffSegment[];
};

/** Two of my passes of the same prompt: a word diff per text and the scale movement. */
export async function compare(db: Db, user: SignedInUser, passIdA: string, passIdB: string) {
  if (passIdA === passIdB)
    throw new DomainError("BAD_REQUEST", "Choose two different passes to compare.", {
      passIdB: ["Choose a different pass."],
    });
  const rows = await db.answerPass.findMany({
    where: { userId: user.id, id: { in: [passIdA, passIdB] } },
    select: passSelect,
  });
  const a = rows.find((r) => r.id === passIdA);
  const b = rows.find((r) => r.id === passIdB);
  if (!a || !b) throw new DomainError("NOT_FOUND", "There is no such pass in your journal.");
  if (a.exerciseId !== b.exerciseId)
    throw new DomainError("BAD_REQUEST", "Both passes must answer the same prompt.");

  const snapA = readSnapshot(a.promptSnapshot);
  const snapB = readSnapshot(b.promptSnapshot);
  const fieldsA = answerFields(a.kind, a.content, snapA);
  const fieldsB = answerFields(b.kind, b.content, snapB);
  const keys = [...new Set([...fieldsA.map((f) => f.key), ...fieldsB.map((f) => f.key)])];
  const fields: CompareField[] = keys.map((key) => {
    const fa = fieldsA.find((f) => f.key === key);
    const fb = fieldsB.find((f) => f.key === key);
    const segments = diffAnswers(fa?.text ?? "", fb?.text ?? "");
    return {
      key,
      label: fb?.label ?? fa?.label ?? key,
      a: fa?.text ?? "",
      b: fb?.text ?? "",
      changed: hasChanges(segments),
      segments,
    };
  });
  const valueA = a.kind === "SCALE" ? scaleValueOf(a.content, a.scaleValue) : null;
  const valueB = b.kind === "SCALE" ? scaleValueOf(b.content, b.scaleValue) : null;
  const side = (p: typeof a, snapshot: PromptSnapshot) => ({
    id: p.id,
    passNumber: p.passNumber,
    createdAt: p.createdAt,
    prompt: snapshot.prompt,
    revision: snapshot.revision,
  });
  return {
    exerciseId: a.exerciseId,
    kind: b.kind,
    programTitle: snapB.programTitle,
    stepTitle: snapB.stepTitle,
    a: side(a, snapA),
    b: side(b, snapB),
    promptChanged: snapA.prompt !== snapB.prompt,
    fields,
    scale:
      valueA !== null && valueB !== null ? { a: valueA, b: valueB, delta: valueB - valueA } : null,
  };
}

/** The scale series of one prompt, oldest first, with the member's "why it moved" notes. */
export async function scaleTrend(db: Db, user: SignedInUser, exerciseId: string) {
  const passes = await db.answerPass.findMany({
    where: { userId: user.id, exerciseId },
    orderBy: { passNumber: "desc" },
    take: MAX_PASSES_PER_PROMPT,
    select: {
      id: true,
      passNumber: true,
      kind: true,
      content: true,
      scaleValue: true,
      createdAt: true,
    },
  });
  if (!passes.length)
    throw new DomainError("NOT_FOUND", "There is no such prompt in your journal.");
  if (passes.some((p) => p.kind !== "SCALE"))
    throw new DomainError("BAD_REQUEST", "This prompt is not a 1–10 scale.");
  // Fetched newest first (so the cap keeps the newest), returned oldest first.
  return passes.reverse().flatMap((p) => {
    const value = scaleValueOf(p.content, p.scaleValue);
    if (value === null) return [];
    const c = (p.content ?? {}) as { why?: unknown; followUp?: unknown };
    return [
      {
        passId: p.id,
        passNumber: p.passNumber,
        date: p.createdAt,
        value,
        why: typeof c.why === "string" ? c.why : "",
        followUp: typeof c.followUp === "string" ? c.followUp : "",
      },
    ];
  });
}

/** What the filter form offers: only programs, prompts and lenses the member has answered. */
export async function filters(db: Db, user: SignedInUser) {
  // One statement: the latest pass of each answered prompt (with the program's current title),
  // and the lenses used in LENSES passes.
  const [{ prompts, lenses }] = await db.$queryRaw<
    [
      {
        prompts: {
          exerciseId: string;
          programId: string;
          programTitle: string;
          kind: string;
          promptSnapshot: unknown;
        }[];
        lenses: string[];
      },
    ]
  >`SELECT
      (SELECT coalesce(json_agg(json_build_object(
                'exerciseId', l."exerciseId", 'programId', l."programId",
                'programTitle', l."programTitle", 'kind', l."kind",
                'promptSnapshot', l."promptSnapshot")), '[]'::json)
         FROM (SELECT DISTINCT ON (a."exerciseId") a."exerciseId", a."programId",
                      p."title" AS "programTitle", a."kind"::text AS "kind", a."promptSnapshot"
                 FROM "AnswerPass" a JOIN "Program" p ON p."id" = a."programId"
                WHERE a."userId" = ${user.id}
                ORDER BY a."exerciseId", a."passNumber" DESC) l) AS "prompts",
      (SELECT coalesce(json_agg(DISTINCT e."lens"), '[]'::json)
         FROM "AnswerPass" ap,
              jsonb_array_elements_text(
                CASE WHEN jsonb_typeof(ap."promptSnapshot"->'config'->'lenses') = 'array'
                     THEN ap."promptSnapshot"->'config'->'lenses' ELSE '[]'::jsonb END) AS e("lens")
        WHERE ap."userId" = ${user.id} AND ap."kind" = 'LENSES') AS "lenses"`;
  const programs = new Map<string, string>();
  for (const p of prompts) programs.set(p.programId, p.programTitle);
  return {
    programs: [...programs]
      .map(([id, title]) => ({ id, title }))
      .sort((x, y) => x.title.localeCompare(y.title)),
    prompts: prompts
      .map((p) => {
        const snapshot = readSnapshot(p.promptSnapshot);
        return {
          id: p.exerciseId,
          programId: p.programId,
          kind: p.kind,
          prompt: snapshot.prompt,
          stepTitle: snapshot.stepTitle,
        };
      })
      .sort((x, y) => x.stepTitle.localeCompare(y.stepTitle) || x.prompt.localeCompare(y.prompt)),
    lenses: [...lenses].sort((x, y) => x.localeCompare(y)),
  };
}
