import { z } from "zod";

/**
 * What each exercise kind holds (its coach-edited `config`) and what a member's answer to it
 * holds (`content` of drafts and passes). Shared by authoring, the player, the journal and the
 * export, so every layer validates the same shapes.
 */
export const EXERCISE_KINDS = [
  "REFLECTION",
  "LENSES",
  "SCALE",
  "PEOPLE",
  "COMMITMENT",
  "PRACTICE",
] as const;
export type ExerciseKindName = (typeof EXERCISE_KINDS)[number];

export const LIMITS = {
  prompt: 1000,
  longAnswer: 20_000,
  shortAnswer: 2000,
  lensAnswer: 10_000,
  people: 50,
  practices: 12,
};

const label = (max: number, what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} cannot be empty.`)
    .max(max, `${what} can be at most ${max} characters.`);

export const configSchemas = {
  REFLECTION: z.object({
    probes: z
      .array(label(300, "A follow-up question"))
      .max(5, "At most 5 follow-up questions.")
      .default([]),
  }),
  LENSES: z.object({
    lenses: z
      .array(label(40, "A lens"))
      .min(2, "Pick at least two lenses.")
      .max(6, "At most six lenses.")
      .refine(
        (l) => new Set(l.map((x) => x.toLowerCase())).size === l.length,
        "Each lens only once.",
      ),
  }),
  SCALE: z.object({
    minLabel: label(40, "The label of 1"),
    maxLabel: label(40, "The label of 10"),
    followUp: label(300, "The follow-up question").default("What would make it a 10?"),
  }),
  PEOPLE: z.object({
    circles: z
      .array(label(40, "A circle"))
      .min(1, "Name at least one circle.")
      .max(8, "At most 8 circles."),
  }),
  COMMITMENT: z.object({
    dueInDays: z
      .number()
      .int()
      .min(0, "Due today at the earliest.")
      .max(90, "At most 90 days.")
      .default(0),
  }),
  PRACTICE: z.object({
    practices: z
      .array(
        z.object({ key: z.string().regex(/^[a-z0-9-]{1,40}$/), label: label(120, "A practice") }),
      )
      .min(1, "List at least one practice.")
      .max(LIMITS.practices, `At most ${LIMITS.practices} practices.`),
  }),
} satisfies Record<ExerciseKindName, z.ZodType>;

export type ExerciseConfig<K extends ExerciseKindName> = z.infer<(typeof configSchemas)[K]>;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-31.")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
  }, "That date does not exist.");

export const contentSchemas = {
  REFLECTION: z.object({
    text: z
      .string()
      .max(LIMITS.longAnswer, `An answer can be at most ${LIMITS.longAnswer} characters.`),
    probes: z.array(z.string().max(LIMITS.longAnswer)).max(5).default([]),
  }),
  LENSES: z.object({
    answers: z.record(
      z.string().max(40),
      z
        .string()
        .max(LIMITS.lensAnswer, `A lens answer can be at most ${LIMITS.lensAnswer} characters.`),
    ),
  }),
  SCALE: z.object({
    value: z
      .number({ error: "Choose a number from 1 to 10." })
      .int("Choose a whole number from 1 to 10.")
      .min(1, "Choose a number from 1 to 10.")
      .max(10, "Choose a number from 1 to 10."),
    followUp: z.string().max(LIMITS.shortAnswer).default(""),
    why: z.string().max(LIMITS.shortAnswer).default(""),
  }),
  PEOPLE: z.object({
    people: z
      .array(
        z.object({
          name: label(100, "A name"),
          circle: label(40, "A circle"),
          status: z.enum(["KEEP", "RECONNECT", "MOVE_ON"]),
          why: z.string().max(LIMITS.shortAnswer).default(""),
          lastContact: isoDate.optional(),
        }),
      )
      .max(LIMITS.people, `At most ${LIMITS.people} people in one answer.`),
  }),
  COMMITMENT: z.object({
    text: label(1000, "Your first step"),
    dueOn: isoDate,
  }),
  PRACTICE: z.object({
    ticked: z.array(z.string().max(40)).max(LIMITS.practices),
    note: z.string().max(LIMITS.shortAnswer).default(""),
  }),
} satisfies Record<ExerciseKindName, z.ZodType>;

export type AnswerContent<K extends ExerciseKindName> = z.infer<(typeof contentSchemas)[K]>;

/** Drafts may be incomplete (a scale not chosen yet); only their size is bounded. */
export const draftContent = z
  .record(z.string(), z.unknown())
  .refine((v) => JSON.stringify(v).length <= 200_000, "This draft is too large.");

export function parseConfig(kind: ExerciseKindName, config: unknown) {
  return configSchemas[kind].parse(config);
}

export function parseContent(kind: ExerciseKindName, content: unknown) {
  return contentSchemas[kind].parse(content);
}
