import { renderStepBody } from "@/lib/markdown";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { programAccess } from "../entitlements/service";
import { DomainError } from "../errors";
import type { ExerciseConfig, ExerciseKindName } from "../programs/exercise-kinds";
import { enrolmentOf, gate, outline, outlineOf, programFacts, refuseLocked } from "./access";
import { readConfig } from "./config";
import { type RevisitState, revisitState } from "./logic";

/**
 * The step shows each exercise's latest passes, not all of them: a practice done daily for years
 * would otherwise grow the page without bound. The journal's timeline shows every pass.
 */
export const PASSES_SHOWN = 10;

export type PassView = {
  id: string;
  passNumber: number;
  content: unknown;
  promptSnapshot: unknown;
  scaleValue: number | null;
  createdAt: Date;
};

type ExerciseViewBase = {
  id: string;
  prompt: string;
  revisitAfterDays: number | null;
  draft: { content: unknown; version: number; updatedAt: Date } | null;
  /** The caller's latest passes (at most PASSES_SHOWN), newest first. */
  passes: PassView[];
  /** How many passes there are in all. */
  passCount: number;
  revisit: RevisitState;
};
export type ExerciseView = {
  [K in ExerciseKindName]: ExerciseViewBase & { kind: K; config: ExerciseConfig<K> };
}[ExerciseKindName];

export async function getStep(db: Db, user: SignedInUser, stepId: string, now = new Date()) {
  const step = await db.step.findUnique({
    where: { id: stepId },
    select: {
      id: true,
      title: true,
      body: true,
      module: {
        select: {
          id: true,
          title: true,
          program: {
            select: {
              ...programFacts,
              enrolments: enrolmentOf(user.id),
              modules: outlineOf(user.id),
            },
          },
        },
      },
      exercises: {
        where: { deletedAt: null },
        orderBy: { position: "asc" },
        select: {
          id: true,
          kind: true,
          prompt: true,
          config: true,
          revisitAfterDays: true,
          drafts: {
            where: { userId: user.id },
            select: { content: true, version: true, updatedAt: true },
          },
          passes: {
            where: { userId: user.id },
            orderBy: { passNumber: "desc" },
            take: PASSES_SHOWN,
            select: {
              id: true,
              passNumber: true,
              content: true,
              promptSnapshot: true,
              scaleValue: true,
              createdAt: true,
            },
          },
        },
      },
    },
  });
  if (!step) throw new DomainError("NOT_FOUND", "We could not find that step.");
  const program = step.module.program;
  const enrolment = program.enrolments[0] ?? null;
  const access = await programAccess(db, user, program, now);
  gate(access, program, enrolment, "read");
  const o = outline(program, program.modules, enrolment, now, user.timeZone);
  const index = o.steps.findIndex((s) => s.id === step.id);
  const here = o.steps[index]!;
  refuseLocked(here.unlockAt, user);

  const exercises = step.exercises.map((e) => {
    const kind = e.kind as ExerciseKindName;
    const latest = e.passes[0] ?? null;
    return {
      id: e.id,
      kind,
      prompt: e.prompt,
      config: readConfig(kind, e.config),
      revisitAfterDays: e.revisitAfterDays,
      draft: e.drafts[0] ?? null,
      passes: e.passes,
      passCount: latest?.passNumber ?? 0,
      revisit: revisitState(kind, e.revisitAfterDays, latest, now, user.timeZone),
    } as ExerciseView;
  });
  // Reading steps are marked done by hand; so is a step whose every exercise has an answer but
  // which was left incomplete (completion converges: marking it done is always possible).
  const allAnswered = exercises.every((e) => e.passCount > 0);
  return {
    program: { id: program.id, slug: program.slug, title: program.title, pacing: program.pacing },
    module: { id: step.module.id, title: step.module.title },
    step: {
      id: step.id,
      title: step.title,
      bodyHtml: renderStepBody(step.body),
      done: here.done,
      canMarkDone: !here.done && allAnswered && access.canAnswer,
    },
    position: { index: index + 1, total: o.steps.length },
    progress: o.progress,
    prevStepId: o.steps[index - 1]?.id ?? null,
    nextStepId: o.steps[index + 1]?.id ?? null,
    // Where "Next" goes, named, and when it opens if it is not open yet.
    next: o.steps[index + 1]
      ? {
          id: o.steps[index + 1]!.id,
          title: o.steps[index + 1]!.title,
          unlockAt: o.steps[index + 1]!.unlockAt,
        }
      : null,
    canAnswer: access.canAnswer,
    reason: access.canAnswer ? null : (access.reason ?? "You do not have access to this program."),
    exercises,
  };
}
