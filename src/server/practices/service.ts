import type { z } from "zod";
import { addDays, localDay, startOfLocalDay } from "@/lib/time-zone";
import { countTicks, uncountTick } from "../activity/progress";
import { recordActivity } from "../activity/service";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { isUniqueViolation } from "../db/errors";
import { requireAnswerAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import { type EnrolmentFacts, enrolmentOf, refuseLocked } from "../player/access";
import { moduleUnlockAt } from "../player/logic";
import { configSchemas } from "../programs/exercise-kinds";
import { practiceRows } from "./reads";
import type { tickInput } from "./schemas";

export const HISTORY_DAYS = 14;

/** When the practice's module opens for the member (their cohort's schedule or their own). */
function lockedFor(
  module: {
    unlockDayOffset: number;
    program: { pacing: "SELF_PACED" | "COHORT_PACED"; enrolments: EnrolmentFacts[] };
  },
  now: Date,
  zone: string,
): Date | null {
  const enrolment = module.program.enrolments[0] ?? null;
  return moduleUnlockAt(module.program.pacing, module.unlockDayOffset, enrolment, now, zone);
}

/**
 * The practices of every program I am enrolled in, each with my tick count, last tick, the
 * last 14 local days and today's ticks (which may be undone). One statement.
 */
export async function listPractices(db: Db, owner: SignedInUser, now = new Date()) {
  const today = localDay(now, owner.timeZone);
  const firstDay = addDays(today, -(HISTORY_DAYS - 1));
  const days = Array.from({ length: HISTORY_DAYS }, (_, i) => addDays(firstDay, i));
  const { exercises, totals, recent, todays } = await practiceRows(
    db,
    owner.id,
    startOfLocalDay(firstDay, owner.timeZone),
    startOfLocalDay(today, owner.timeZone),
  );
  const key = (exerciseId: string, practiceKey: string) => `${exerciseId}\u0000${practiceKey}`;
  const totalBy = new Map(totals.map((t) => [key(t.exerciseId, t.practiceKey), t]));
  const perDay = new Map<string, Map<string, number>>();
  for (const r of recent) {
    const k = key(r.exerciseId, r.practiceKey);
    if (!perDay.has(k)) perDay.set(k, new Map());
    const day = localDay(new Date(r.q), owner.timeZone);
    const counts = perDay.get(k);
    counts?.set(day, (counts.get(day) ?? 0) + r.n);
  }
  const todayIds = new Map<string, string[]>();
  for (const t of todays) {
    const k = key(t.exerciseId, t.practiceKey);
    todayIds.set(k, [...(todayIds.get(k) ?? []), t.id]);
  }
  return {
    today,
    days,
    exercises: exercises.flatMap((exercise) => {
      const config = configSchemas.PRACTICE.safeParse(exercise.config);
      if (!config.success) return [];
      // A practice in a module that has not opened yet appears when it opens.
      if (lockedFor(exercise.step.module, now, owner.timeZone)) return [];
      const practices = config.data.practices.map((p) => {
        const k = key(exercise.id, p.key);
        const total = totalBy.get(k);
        const daily = perDay.get(k);
        return {
          key: p.key,
          label: p.label,
          count: total?.count ?? 0,
          lastTickedAt: total?.lastTickedAt ?? null,
          history: days.map((day) => ({ day, count: daily?.get(day) ?? 0 })),
          todayTickIds: todayIds.get(k) ?? [],
        };
      });
      return [
        {
          exerciseId: exercise.id,
          /**
           * The member has reached the step that introduces these practices (done it) or has
           * logged one of them: Today shows practices only then.
           */
          reached: exercise.step.completions.length > 0 || practices.some((p) => p.count > 0),
          prompt: exercise.prompt,
          stepId: exercise.step.id,
          programSlug: exercise.step.module.program.slug,
          programTitle: exercise.step.module.program.title,
          practices,
        },
      ];
    }),
  };
}

/** Ticks are repeatable; only practices of programs I am enrolled in (and may still answer). */
export async function tickPractice(
  db: Db,
  actor: SignedInUser,
  input: z.infer<typeof tickInput>,
  now = new Date(),
) {
  const exercise = await db.exercise.findFirst({
    where: {
      id: input.exerciseId,
      kind: "PRACTICE",
      deletedAt: null,
      step: { module: { program: { enrolments: { some: { userId: actor.id } } } } },
    },
    select: {
      id: true,
      config: true,
      step: {
        select: {
          module: {
            select: {
              unlockDayOffset: true,
              program: {
                select: {
                  id: true,
                  accessRule: true,
                  status: true,
                  authorId: true,
                  pacing: true,
                  enrolments: enrolmentOf(actor.id),
                },
              },
            },
          },
        },
      },
    },
  });
  if (!exercise) throw new DomainError("NOT_FOUND", "No such practice in your programs.");
  const config = configSchemas.PRACTICE.safeParse(exercise.config);
  if (!config.success || !config.data.practices.some((p) => p.key === input.practiceKey)) {
    throw new DomainError("BAD_REQUEST", "This exercise has no such practice.", {
      practiceKey: ["Choose one of the listed practices."],
    });
  }
  await requireAnswerAccess(db, actor, exercise.step.module.program);
  refuseLocked(lockedFor(exercise.step.module, now, actor.timeZone), actor);
  const earlier = await replayedTick(db, actor.id, input);
  if (earlier) return earlier;
  try {
    return await db.$transaction(async (tx) => {
      const tick = await tx.practiceTick.create({
        data: {
          userId: actor.id,
          exerciseId: exercise.id,
          practiceKey: input.practiceKey,
          note: input.note,
          createdAt: now,
          requestId: input.requestId,
        },
        select: TICK_SELECT,
      });
      await countTicks(tx, actor.id, exercise.id, [input.practiceKey], now);
      await recordActivity(tx, actor.id, now, actor.timeZone);
      return tick;
    });
  } catch (error) {
    // The same press twice at once: the first one's tick is the answer to both.
    const raced = isUniqueViolation(error) ? await replayedTick(db, actor.id, input) : null;
    if (raced) return raced;
    throw error;
  }
}

const TICK_SELECT = {
  id: true,
  exerciseId: true,
  practiceKey: true,
  note: true,
  createdAt: true,
} as const;

/**
 * The tick an earlier try of this press recorded (its answer lost on the way), or null. The
 * id is looked up among the caller's own ticks only; on another practice it is a mistake.
 */
async function replayedTick(db: Db, userId: string, input: z.infer<typeof tickInput>) {
  if (!input.requestId) return null;
  const tick = await db.practiceTick.findUnique({
    where: { userId_requestId: { userId, requestId: input.requestId } },
    select: TICK_SELECT,
  });
  if (!tick) return null;
  if (tick.exerciseId !== input.exerciseId || tick.practiceKey !== input.practiceKey) {
    throw new DomainError("CONFLICT", "That request was for another practice. Reload the page.");
  }
  return tick;
}

/** Undo a mistaken tick: mine, and only on the local day it was made (history stays honest). */
export async function untickPractice(
  db: Db,
  owner: SignedInUser,
  tickId: string,
  now = new Date(),
) {
  const tick = await db.practiceTick.findFirst({
    where: { id: tickId, userId: owner.id },
    select: { id: true, createdAt: true, exerciseId: true, practiceKey: true },
  });
  if (!tick) throw new DomainError("NOT_FOUND", "No such tick.");
  if (localDay(tick.createdAt, owner.timeZone) !== localDay(now, owner.timeZone)) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "A tick can only be undone on the day it was made.",
    );
  }
  await db.$transaction(async (tx) => {
    const { count } = await tx.practiceTick.deleteMany({
      where: { id: tick.id, userId: owner.id },
    });
    if (count > 0) await uncountTick(tx, { userId: owner.id, ...tick });
  });
  return { id: tick.id };
}
