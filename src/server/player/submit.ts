import type { Prisma } from "@/generated/prisma/client";
import { formatDate } from "@/lib/format-date";
import { dayToDateColumn, localDay } from "@/lib/time-zone";
import { countTicks, recordPass } from "../activity/progress";
import { recordActivity } from "../activity/service";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/errors";
import { DomainError } from "../errors";
import {
  type AnswerContent,
  contentSchemas,
  type ExerciseKindName,
} from "../programs/exercise-kinds";
import { loadExercise, lockEnrolment } from "./access";
import { checkAgainstConfig } from "./answer-rules";
import { markComplete } from "./completion";
import { readConfig } from "./config";
import { issuesByPath, revisitState } from "./logic";
import { mergePeople } from "./people";

const FIX_FIELDS = "Please correct the highlighted fields.";

/** The answer checked against its kind and its exercise, normalised for storage. */
function validAnswer(
  kind: ExerciseKindName,
  raw: unknown,
  config: unknown,
  today: string,
): AnswerContent<ExerciseKindName> {
  const parsed = contentSchemas[kind].safeParse(raw);
  if (!parsed.success) throw new DomainError("BAD_REQUEST", FIX_FIELDS, issuesByPath(parsed.error));
  const content = parsed.data as AnswerContent<ExerciseKindName>;
  const mismatch = checkAgainstConfig(kind, content, config, today);
  if (Object.keys(mismatch).length) throw new DomainError("BAD_REQUEST", FIX_FIELDS, mismatch);
  if (kind === "REFLECTION") {
    const c = content as AnswerContent<"REFLECTION">;
    return { ...c, probes: c.probes.slice(0, readConfig("REFLECTION", config).probes.length) };
  }
  if (kind === "PRACTICE") {
    const c = content as AnswerContent<"PRACTICE">;
    return { ...c, ticked: [...new Set(c.ticked)] };
  }
  return content;
}

/**
 * Records a pass: validated against the kind and the exercise, gated by the revisit rule,
 * numbered inside a transaction that first locks the member's enrolment (so passes and
 * completions of one member in one program happen one at a time and the step's completion
 * sees every sibling answer), with the prompt snapshot and every side effect in the same
 * transaction. The unique (user, exercise, passNumber) still turns a double submit into a
 * CONFLICT.
 *
 * A submit with a `submissionId` is idempotent for its member: when a pass with that id is
 * already recorded (the first try committed, then the answer was lost to an outage), that pass
 * is returned as if just recorded; no second pass, no "answered already". The lookup is by the
 * signed-in member, so another member's id finds nothing of theirs.
 */
export async function submitAnswer(
  db: Db,
  user: SignedInUser,
  input: { exerciseId: string; content: unknown; submissionId?: string },
  now = new Date(),
) {
  const { exercise, program, kind } = await loadExercise(db, user, input.exerciseId, "write", now);
  const content = validAnswer(kind, input.content, exercise.config, localDay(now, user.timeZone));
  const userId = user.id;
  const exerciseId = exercise.id;
  const submissionId = input.submissionId ?? null;

  /**
   * What the member is told about a recorded pass: just now (its step may be complete now), or
   * by an earlier try (`replay`: read only, that try did the rest).
   */
  async function outcome(
    tx: Prisma.TransactionClient,
    pass: { id: string; passNumber: number; createdAt: Date },
    replay = false,
  ) {
    const siblings = await tx.exercise.findMany({
      where: { stepId: exercise.step.id, deletedAt: null },
      select: { passes: { where: { userId }, select: { id: true }, take: 1 } },
    });
    const stepDone = siblings.every((e) => e.passes.length > 0);
    const currentStepId =
      stepDone && !replay
        ? await markComplete(tx, userId, exercise.step.id, program.id, now)
        : ((
            await tx.enrolment.findUnique({
              where: { userId_programId: { userId, programId: program.id } },
              select: { currentStepId: true },
            })
          )?.currentStepId ?? null);
    const after = revisitState(kind, exercise.revisitAfterDays, pass, now, user.timeZone);
    return {
      passId: pass.id,
      passNumber: pass.passNumber,
      createdAt: pass.createdAt,
      nextDueAt: after.nextDueAt,
      stepDone,
      currentStepId,
    };
  }

  /** The pass an earlier try of this submit recorded, if any. */
  async function recorded(tx: Prisma.TransactionClient) {
    if (!submissionId) return null;
    const pass = await tx.answerPass.findUnique({
      where: { userId_submissionId: { userId, submissionId } },
      select: { id: true, passNumber: true, createdAt: true, exerciseId: true },
    });
    if (pass && pass.exerciseId !== exerciseId) {
      throw new DomainError(
        "CONFLICT",
        "This submission belongs to another answer; reload the page.",
      );
    }
    return pass;
  }

  try {
    return await db.$transaction(async (tx) => {
      await lockEnrolment(tx, userId, program.id);
      // Under the enrolment's lock: a retry racing its own first try sees it once it committed.
      const earlier = await recorded(tx);
      if (earlier) return outcome(tx, earlier, true);
      const last = await tx.answerPass.findFirst({
        where: { userId, exerciseId },
        orderBy: { passNumber: "desc" },
        select: { passNumber: true, createdAt: true },
      });
      const before = revisitState(kind, exercise.revisitAfterDays, last, now, user.timeZone);
      if (!before.canAnswerAgain) {
        throw new DomainError(
          "PRECONDITION_FAILED",
          before.nextDueAt
            ? `You can answer again on ${formatDate(before.nextDueAt, user.timeZone, "long")}.`
            : "This exercise is answered once; your answer is kept in your journal.",
        );
      }
      const pass = await tx.answerPass.create({
        data: {
          userId,
          exerciseId,
          programId: program.id,
          passNumber: (last?.passNumber ?? 0) + 1,
          kind,
          content: content as Prisma.InputJsonValue,
          promptSnapshot: {
            prompt: exercise.prompt,
            config: exercise.config as Prisma.InputJsonValue,
            revision: exercise.revision,
            stepTitle: exercise.step.title,
            programTitle: program.title,
          },
          scaleValue: kind === "SCALE" ? (content as AnswerContent<"SCALE">).value : null,
          submissionId,
          createdAt: now,
        },
        select: { id: true, passNumber: true, createdAt: true },
      });
      await recordPass(tx, { ...pass, userId, exerciseId, programId: program.id, kind });
      await tx.answerDraft.deleteMany({ where: { userId, exerciseId } });
      await applySideEffects(tx, user, exerciseId, pass.id, kind, content, now);
      await recordActivity(tx, userId, now, user.timeZone);
      return outcome(tx, pass);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      // Its own earlier try won a race the lock did not cover: answer as that try would have.
      const earlier = submissionId
        ? await db.$transaction(async (tx) => {
            const pass = await recorded(tx);
            return pass && outcome(tx, pass, true);
          })
        : null;
      if (earlier) return earlier;
      throw new DomainError("CONFLICT", "This answer was just submitted from another tab.");
    }
    throw error;
  }
}

/** People go on the map, a commitment is created, practices are ticked. */
async function applySideEffects(
  tx: Prisma.TransactionClient,
  user: SignedInUser,
  exerciseId: string,
  passId: string,
  kind: ExerciseKindName,
  content: AnswerContent<ExerciseKindName>,
  now: Date,
) {
  if (kind === "PEOPLE") {
    const people = (content as AnswerContent<"PEOPLE">).people;
    await mergePeople(tx, user.id, user.timeZone, passId, people);
  } else if (kind === "COMMITMENT") {
    const c = content as AnswerContent<"COMMITMENT">;
    await tx.commitment.create({
      data: {
        userId: user.id,
        text: c.text,
        dueOn: dayToDateColumn(c.dueOn),
        sourcePassId: passId,
      },
    });
  } else if (kind === "PRACTICE") {
    const c = content as AnswerContent<"PRACTICE">;
    await tx.practiceTick.createMany({
      data: c.ticked.map((practiceKey) => ({
        userId: user.id,
        exerciseId,
        practiceKey,
        note: c.note,
        createdAt: now,
      })),
    });
    await countTicks(tx, user.id, exerciseId, c.ticked, now);
  }
}
