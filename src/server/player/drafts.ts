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

/**
 * Optimistic concurrency: the write only lands on the version the client last saw (0 = none
 * yet). Anything else is a CONFLICT, never a silent overwrite of what another tab saved.
 */
export async function saveDraft(
  db: Db,
  user: SignedInUser,
  input: { exerciseId: string; content: Record<string, unknown>; baseVersion: number },
  now = new Date(),
) {
  await loadExercise(db, user, input.exerciseId, "write", now);
  const content = input.content as Prisma.InputJsonValue;
  if (input.baseVersion === 0) {
    try {
      return await db.answerDraft.create({
        data: { userId: user.id, exerciseId: input.exerciseId, content, version: 1 },
        select: { version: true, updatedAt: true },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError("CONFLICT", STALE);
      throw error;
    }
  }
  const { count } = await db.answerDraft.updateMany({
    where: { userId: user.id, exerciseId: input.exerciseId, version: input.baseVersion },
    data: { content, version: { increment: 1 } },
  });
  if (count === 0) throw new DomainError("CONFLICT", STALE);
  return { version: input.baseVersion + 1, updatedAt: now };
}
