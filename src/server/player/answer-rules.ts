import { addDays, type Day } from "@/lib/time-zone";
import type { AnswerContent, ExerciseKindName } from "../programs/exercise-kinds";
import { readConfig } from "./config";

/**
 * Rules the generic content schema cannot know: the answer must fit this exercise's config.
 * Returns field-level messages keyed by path ("people.0.circle"); empty when the answer fits.
 */
export function checkAgainstConfig(
  kind: ExerciseKindName,
  content: AnswerContent<ExerciseKindName>,
  rawConfig: unknown,
  today: Day,
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (key: string, message: string) => {
    errors[key] ??= [];
    errors[key].push(message);
  };
  switch (kind) {
    case "REFLECTION": {
      const c = content as AnswerContent<"REFLECTION">;
      if (!c.text.trim()) add("text", "Write your answer before you submit it.");
      break;
    }
    case "LENSES": {
      const c = content as AnswerContent<"LENSES">;
      const lenses = new Set(readConfig("LENSES", rawConfig).lenses);
      for (const lens of Object.keys(c.answers)) {
        if (!lenses.has(lens)) add(`answers.${lens}`, `“${lens}” is not one of the lenses.`);
      }
      if (!Object.values(c.answers).some((a) => a.trim())) {
        add("answers", "Answer through at least one lens.");
      }
      break;
    }
    case "PEOPLE": {
      const c = content as AnswerContent<"PEOPLE">;
      const circles = new Set(readConfig("PEOPLE", rawConfig).circles);
      if (c.people.length === 0) add("people", "Add at least one person.");
      c.people.forEach((p, i) => {
        if (!circles.has(p.circle)) add(`people.${i}.circle`, "Choose one of the circles.");
        if (p.lastContact && (p.lastContact > today || p.lastContact < "1900-01-01")) {
          add(`people.${i}.lastContact`, "The last contact cannot be in the future.");
        }
      });
      break;
    }
    case "COMMITMENT": {
      const c = content as AnswerContent<"COMMITMENT">;
      // `today` is the member's local day; allow one day of slack for the other side of UTC.
      if (c.dueOn < addDays(today, -1)) add("dueOn", "Choose today or a later day.");
      if (c.dueOn > `${Number(today.slice(0, 4)) + 2}${today.slice(4)}`) {
        add("dueOn", "Choose a day within the next two years.");
      }
      break;
    }
    case "PRACTICE": {
      const c = content as AnswerContent<"PRACTICE">;
      const keys = new Set(readConfig("PRACTICE", rawConfig).practices.map((p) => p.key));
      if (c.ticked.length === 0) add("ticked", "Tick at least one practice you did.");
      if (c.ticked.some((k) => !keys.has(k))) add("ticked", "That practice is not in this list.");
      break;
    }
    default:
      break;
  }
  return errors;
}
