import type { ExerciseKind, Prisma } from "@/generated/prisma/client";

type Tx = Prisma.TransactionClient;

/**
 * The per-prompt summary kept with every pass (`ExerciseProgress`). Called in the pass's own
 * transaction, after the member's enrolment lock, so passes of one exercise arrive in order.
 */
export async function recordPass(
  tx: Tx,
  pass: {
    id: string;
    userId: string;
    exerciseId: string;
    programId: string;
    kind: ExerciseKind;
    passNumber: number;
    createdAt: Date;
  },
): Promise<void> {
  await tx.exerciseProgress.upsert({
    where: { userId_exerciseId: { userId: pass.userId, exerciseId: pass.exerciseId } },
    create: {
      userId: pass.userId,
      exerciseId: pass.exerciseId,
      programId: pass.programId,
      kind: pass.kind,
      passCount: pass.passNumber,
      firstPassAt: pass.createdAt,
      lastPassAt: pass.createdAt,
      lastPassId: pass.id,
    },
    update: { passCount: pass.passNumber, lastPassAt: pass.createdAt, lastPassId: pass.id },
  });
}

/** Practice totals (`PracticeTotal`) follow every tick, in the tick's transaction. */
export async function countTicks(
  tx: Tx,
  userId: string,
  exerciseId: string,
  practiceKeys: string[],
  at: Date,
): Promise<void> {
  for (const practiceKey of practiceKeys) {
    await tx.$executeRaw`
      INSERT INTO "PracticeTotal" ("userId", "exerciseId", "practiceKey", "count", "lastTickedAt")
      VALUES (${userId}, ${exerciseId}, ${practiceKey}, 1, ${at})
      ON CONFLICT ("userId", "exerciseId", "practiceKey") DO UPDATE SET
        "count" = "PracticeTotal"."count" + 1,
        "lastTickedAt" = GREATEST("PracticeTotal"."lastTickedAt", EXCLUDED."lastTickedAt")`;
  }
}

/** An undone tick leaves the total and its last tick as if it had never been made. */
export async function uncountTick(
  tx: Tx,
  tick: { userId: string; exerciseId: string; practiceKey: string },
): Promise<void> {
  await tx.$executeRaw`
    UPDATE "PracticeTotal" t SET
      "count" = GREATEST(t."count" - 1, 0),
      "lastTickedAt" = (
        SELECT max(k."createdAt") FROM "PracticeTick" k
        WHERE k."userId" = t."userId" AND k."exerciseId" = t."exerciseId"
          AND k."practiceKey" = t."practiceKey")
    WHERE t."userId" = ${tick.userId} AND t."exerciseId" = ${tick.exerciseId}
      AND t."practiceKey" = ${tick.practiceKey}`;
}
