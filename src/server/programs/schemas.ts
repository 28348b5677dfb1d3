import { z } from "zod";
import { id as idSchema, integer, jsonValue, text as textSchema } from "@/lib/input";
import { configSchemas, EXERCISE_KINDS, LIMITS } from "./exercise-kinds";

export const PROGRAM_LIMITS = {
  title: 120,
  slug: 80,
  summary: 2000,
  moduleTitle: 120,
  stepTitle: 160,
  stepBody: 20_000,
  unlockDays: 365,
  revisitDays: 365,
  minutesPerStep: 240,
  catalogPosition: 999,
};

const id = idSchema("The item", { missing: "Missing id.", invalid: "That id is not valid." });

const text = (max: number, label: string, required = true, multiline = false) =>
  textSchema({ label, max, min: required ? 1 : 0, multiline });

// An exercise's settings are a few short lists; far below the limits of an answer.
const CONFIG_LIMITS = { maxDepth: 4, maxNodes: 500, maxChars: 20_000 };

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Covers are only ever our own uploads, never arbitrary URLs. */
export const COVER_PATTERN = /^\/api\/uploads\/[a-f0-9]{32}\.(png|jpg|webp)$/;

export const programIdInput = z.object({ id });
/** Modules, steps and exercises are addressed by id alone. */
export const idInput = programIdInput;

export const createProgramInput = z.object({ title: text(PROGRAM_LIMITS.title, "The title") });

export const updateProgramInput = z.object({
  id,
  title: text(PROGRAM_LIMITS.title, "The title"),
  slug: textSchema({ label: "The address", min: 1, max: PROGRAM_LIMITS.slug }).regex(
    SLUG_PATTERN,
    "Use lowercase letters, digits and single dashes, like my-program.",
  ),
  summary: text(PROGRAM_LIMITS.summary, "The summary", false, true),
  pacing: z.enum(["SELF_PACED", "COHORT_PACED"], { error: "Choose self-paced or cohort-paced." }),
  accessRule: z.enum(["FREE", "PLANS", "PURCHASE"], {
    error: "Choose free, included in plans or one-time purchase.",
  }),
  // undefined: leave as is; null: remove the cover.
  coverImage: textSchema({ label: "The cover image", max: 100, trim: false })
    .regex(COVER_PATTERN, "Upload the cover image again.")
    .nullable()
    .optional(),
  // undefined: leave as is (older clients of this form do not send it).
  minutesPerStep: integer({
    min: 1,
    max: PROGRAM_LIMITS.minutesPerStep,
    messages: {
      type: "Enter a number of minutes.",
      whole: "Enter whole minutes.",
      min: "At least 1 minute.",
      max: `At most ${PROGRAM_LIMITS.minutesPerStep} minutes.`,
    },
  }).optional(),
});

/** Where a program stands in the members' catalog: lower first, ties newest first. */
export const catalogPositionInput = z.object({
  id,
  position: integer({
    min: 0,
    max: PROGRAM_LIMITS.catalogPosition,
    messages: {
      type: "Enter a number.",
      whole: "Enter a whole number.",
      min: "Use 0 or more.",
      max: `Use ${PROGRAM_LIMITS.catalogPosition} or less.`,
    },
  }),
});

export const addModuleInput = z.object({
  programId: id,
  title: text(PROGRAM_LIMITS.moduleTitle, "The module title"),
});

export const updateModuleInput = z.object({
  id,
  title: text(PROGRAM_LIMITS.moduleTitle, "The module title"),
  unlockDayOffset: integer({
    min: 0,
    max: PROGRAM_LIMITS.unlockDays,
    messages: {
      type: "Enter a number of days.",
      whole: "Enter a whole number of days.",
      min: "Unlock on day 0 at the earliest.",
      max: `At most ${PROGRAM_LIMITS.unlockDays} days.`,
    },
  }),
});

// A step may be saved without a title while drafting; publishing requires one.
export const addStepInput = z.object({
  moduleId: id,
  title: text(PROGRAM_LIMITS.stepTitle, "The step title", false).default(""),
});

export const updateStepInput = z.object({
  id,
  title: text(PROGRAM_LIMITS.stepTitle, "The step title", false),
  body: textSchema({
    label: "The body",
    max: PROGRAM_LIMITS.stepBody,
    trim: false,
    multiline: true,
  }),
});

export const moveStepInput = z.object({ id, moduleId: id });

const exerciseFields = {
  kind: z.enum(EXERCISE_KINDS, { error: "Choose a known exercise kind." }),
  prompt: text(LIMITS.prompt, "The prompt", true, true),
  // Checked as JSON here (every string and key), then by the kind's own schema below.
  config: jsonValue("The settings", CONFIG_LIMITS),
  revisitAfterDays: integer({
    min: 1,
    max: PROGRAM_LIMITS.revisitDays,
    messages: {
      type: "Enter a number of days, or leave it empty.",
      whole: "Enter a whole number of days.",
      min: "Ask again after 1 day at the earliest.",
      max: `At most ${PROGRAM_LIMITS.revisitDays} days.`,
    },
  }).nullable(),
};

/** Validates `config` with the kind's own schema; its messages land on the `config` field. */
function withKindConfig<T extends { kind: (typeof EXERCISE_KINDS)[number]; config: unknown }>(
  value: T,
  ctx: z.RefinementCtx,
) {
  const parsed = configSchemas[value.kind].safeParse(value.config ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: "custom", message: issue.message, path: ["config", ...issue.path] });
    }
    return z.NEVER;
  }
  return { ...value, config: parsed.data as Record<string, unknown> };
}

export const addExerciseInput = z
  .object({ stepId: id, ...exerciseFields })
  .transform(withKindConfig);

export const updateExerciseInput = z.object({ id, ...exerciseFields }).transform(withKindConfig);

export const reorderInput = z.object({
  parentId: id,
  kind: z.enum(["modules", "steps", "exercises"], { error: "Unknown kind of list." }),
  orderedIds: z.array(id).max(500, "Too many items."),
});

export type UpdateProgramInput = z.infer<typeof updateProgramInput>;
export type AddExerciseInput = z.output<typeof addExerciseInput>;
export type UpdateExerciseInput = z.output<typeof updateExerciseInput>;
export type ReorderInput = z.infer<typeof reorderInput>;
