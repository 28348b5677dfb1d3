import type { ExerciseKindName } from "@/server/programs/exercise-kinds";

/** Names, hints and starting configs of the exercise kinds, for the editor and the preview. */
export const KIND_INFO: Record<ExerciseKindName, { label: string; hint: string }> = {
  REFLECTION: { label: "Reflection", hint: "A deep prompt with optional “why?” follow-ups." },
  LENSES: { label: "Lenses", hint: "One question answered through several lenses." },
  SCALE: { label: "Scale 1–10", hint: "A self-rating with labelled ends and a follow-up." },
  PEOPLE: { label: "People", hint: "Adds people to the member’s community map." },
  COMMITMENT: { label: "Commitment", hint: "The first step the member will take, with a date." },
  PRACTICE: { label: "Practice", hint: "Practices the member ticks as they do them." },
};

/** The kinds in the order the editor offers them (no zod in the client bundle). */
export const KIND_NAMES = Object.keys(KIND_INFO) as ExerciseKindName[];

export const LENS_PRESETS = ["Career", "Work", "Friendships", "Family"];

export const DEFAULT_CONFIGS: Record<ExerciseKindName, Record<string, unknown>> = {
  REFLECTION: { probes: [] },
  LENSES: { lenses: [...LENS_PRESETS] },
  SCALE: { minLabel: "Not at all", maxLabel: "Completely", followUp: "What would make it a 10?" },
  PEOPLE: { circles: ["Family", "Friends", "Work"] },
  COMMITMENT: { dueInDays: 0 },
  PRACTICE: {
    practices: [
      { key: "start-where-you-are", label: "Start where you are" },
      { key: "be-open", label: "Be open" },
    ],
  },
};

/** A stable key for a practice label; existing keys never change (ticks refer to them). */
export function practiceKey(label: string, taken: Set<string>): string {
  const base =
    label
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 34) || "practice";
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  return key;
}

/** Styles for rendered Markdown (no typography plugin in this project). */
export const STATUS_BADGE: Record<
  "DRAFT" | "PUBLISHED" | "ARCHIVED",
  { label: string; className: string }
> = {
  DRAFT: { label: "Draft", className: "bg-warn-soft text-warn" },
  PUBLISHED: { label: "Published", className: "bg-brand-soft text-brand-dark" },
  ARCHIVED: { label: "Archived", className: "bg-line text-ink" },
};
