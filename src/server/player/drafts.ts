import type { Prisma } from "@/generated/prisma/client";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/errors";
import { DomainError } from "../errors";
import { loadExercise } from "./access";

const STALE =
  "This answer was changed in another tab. Reload to see the latest version before you go on.";

/** The caller's own draft of one exercise (for a tab that was told it is stale). */
export async function getDraft(db: Db, user: SignedInUser, exerciseId: string, now = new Date()) {
  await loadExercise(db, user, exerciseId, "read", now);
  return db.answerDraft.findUnique({
    where: { userId_exerciseId: { userId: user.id, exerciseId } },
    select: { content: true, version: true, updatedAt: true },
  });
}

type DraftInput = {
  exerciseId: string;
  content: Record<string, unknown>;
  baseVersion: number;
  writer?: { id: string; seq: number } | undefined;
};

/**
 * Optimistic concurrency: the write only lands on the version the client last saw (0 = none
 * yet). Anything else is a CONFLICT, never a silent overwrite of what another tab saved, except
 * a save from the editor that wrote the current version itself (see ownContinuation).
 */
export async function saveDraft(db: Db, user: SignedInUser, input: DraftInput, now = new Date()) {
  await loadExercise(db, user, input.exerciseId, "write", now);
  const content = input.content as Prisma.InputJsonValue;
  const writer = { writerId: input.writer?.id ?? null, writerSeq: input.writer?.seq ?? null };
  if (input.baseVersion === 0) {
    try {
      return await db.answerDraft.create({
        data: { userId: user.id, exerciseId: input.exerciseId, content, version: 1, ...writer },
        select: { version: true, updatedAt: true },
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await afterMiss(db, user.id, input)) ?? refuseStale();
    }
  }
  const { count } = await db.answerDraft.updateMany({
    where: { userId: user.id, exerciseId: input.exerciseId, version: input.baseVersion },
    data: { content, version: { increment: 1 }, ...writer },
  });
  if (count === 0) return (await afterMiss(db, user.id, input)) ?? refuseStale();
  return { version: input.baseVersion + 1, updatedAt: now };
}

function refuseStale(): never {
  throw new DomainError("CONFLICT", STALE);
}

/** JSON with object keys in one order (jsonb keeps its own), for comparing two answers. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The draft is not at the version the client sent. That is a conflict with another tab unless
 * the client's own earlier saves landed without their answers reaching it (the connection or
 * the database went away after the commit):
 * - the same save sent again: the draft holds exactly this content, one version on from the
 *   base sent (recognised for any client, with or without a writer);
 * - a later save from the same editor (the autosave sends what was typed since, from the last
 *   version it heard of): the current version is this editor's, written by an earlier save of
 *   its own, so this one continues it. A save older than the one recorded (a first try that
 *   arrived after its retry) changes nothing and is answered with the current version.
 * The write still lands only on the version read, so another tab saving meanwhile wins the
 * race and this save is refused, as before.
 */
async function afterMiss(db: Db, userId: string, input: DraftInput) {
  const current = await db.answerDraft.findUnique({
    where: { userId_exerciseId: { userId, exerciseId: input.exerciseId } },
    select: {
      id: true,
      content: true,
      version: true,
      updatedAt: true,
      writerId: true,
      writerSeq: true,
    },
  });
  if (!current || current.version <= input.baseVersion) return null;
  const answered = { version: current.version, updatedAt: current.updatedAt };
  const writer = input.writer;
  if (writer && current.writerId === writer.id && current.writerSeq !== null) {
    if (writer.seq <= current.writerSeq) return answered;
    const now = new Date();
    const { count } = await db.answerDraft.updateMany({
      where: { id: current.id, version: current.version },
      data: {
        content: input.content as Prisma.InputJsonValue,
        version: { increment: 1 },
        writerSeq: writer.seq,
      },
    });
    return count === 1 ? { version: current.version + 1, updatedAt: now } : null;
  }
  if (current.version !== input.baseVersion + 1) return null;
  if (canonical(current.content) !== canonical(input.content)) return null;
  return answered;
}
