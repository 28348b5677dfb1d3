import { z } from "zod";
import { FORBIDDEN_KEYS, integer, isoDay, JSON_LIMITS, jsonObject, text } from "@/lib/input";

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

const label = (max: number, what: string) => text({ label: what, min: 1, max });
/** What a member writes: may span lines; empty until they write something. */
const answer = (max: number, what: string, messages?: { max?: string }) =>
  text({ label: what, max, trim: false, multiline: true, messages });

export const configSchemas = {
  REFLECTION: z.object({
    probes: z
      .array(label(300, "A follow-up question"))
      .max(5, "At most 5 follow-up questions.")
      .default([]),
  }),
  LENSES: z.object({
    lenses: z
      .array(
        // A lens names a key of the answer, so it cannot be a name JavaScript objects reserve.
        label(40, "A lens").refine(
          (l) => !FORBIDDEN_KEYS.has(l),
          "Choose another name for the lens.",
        ),
      )
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
    dueInDays: integer({
      min: 0,
      max: 90,
      messages: { min: "Due today at the earliest.", max: "At most 90 days." },
    }).default(0),
  }),
  PRACTICE: z.object({
    practices: z
      .array(
        z.object({
          key: text({ label: "A practice key", max: 40, trim: false }).regex(
            /^[a-z0-9-]{1,40}$/,
            "A practice key uses lowercase letters, digits and dashes.",
          ),
          label: label(120, "A practice"),
        }),
      )
      .min(1, "List at least one practice.")
      .max(LIMITS.practices, `At most ${LIMITS.practices} practices.`),
  }),
} satisfies Record<ExerciseKindName, z.ZodType>;

export type ExerciseConfig<K extends ExerciseKindName> = z.infer<(typeof configSchemas)[K]>;

const isoDate = isoDay();

export const contentSchemas = {
  REFLECTION: z.object({
    text: answer(LIMITS.longAnswer, "Your answer", {
      max: `An answer can be at most ${LIMITS.longAnswer} characters.`,
    }),
    probes: z.array(answer(LIMITS.longAnswer, "A follow-up answer")).max(5).default([]),
  }),
  LENSES: z.object({
    answers: z.record(
      text({ label: "A lens", max: 40, trim: false }),
      answer(LIMITS.lensAnswer, "A lens answer"),
    ),
  }),
  SCALE: z.object({
    value: integer({
      min: 1,
      max: 10,
      messages: {
        type: "Choose a number from 1 to 10.",
        whole: "Choose a whole number from 1 to 10.",
        min: "Choose a number from 1 to 10.",
        max: "Choose a number from 1 to 10.",
      },
    }),
    followUp: answer(LIMITS.shortAnswer, "The follow-up answer").default(""),
    why: answer(LIMITS.shortAnswer, "The why").default(""),
  }),
  PEOPLE: z.object({
    people: z
      .array(
        z.object({
          name: label(100, "A name"),
          circle: label(40, "A circle"),
          status: z.enum(["KEEP", "RECONNECT", "MOVE_ON"]),
          why: answer(LIMITS.shortAnswer, "The why").default(""),
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
    ticked: z.array(text({ label: "A practice", max: 40, trim: false })).max(LIMITS.practices),
    note: answer(LIMITS.shortAnswer, "The note").default(""),
  }),
} satisfies Record<ExerciseKindName, z.ZodType>;

export type AnswerContent<K extends ExerciseKindName> = z.infer<(typeof contentSchemas)[K]>;

/** Drafts may be incomplete (a scale not chosen yet); only their shape and size are checked. */
export const draftContent = jsonObject("The draft", JSON_LIMITS);

export function parseConfig(kind: ExerciseKindName, config: unknown) {
  return configSchemas[kind].parse(config);
}

export function parseContent(kind: ExerciseKindName, content: unknown) {
  return contentSchemas[kind].parse(content);
}
