import type { ExerciseConfig, ExerciseKindName } from "@/server/programs/exercise-kinds";
import type { FormContent } from "../content";

/** What every kind's answer form gets: its config, the (possibly incomplete) answer, errors. */
export type AnswerProps<K extends ExerciseKindName> = {
  /** A unique control id within this exercise. */
  id: (suffix: string) => string;
  config: ExerciseConfig<K>;
  value: Partial<FormContent[K]>;
  /** Merges a change into the answer. */
  set: (patch: Partial<FormContent[K]>) => void;
  errors: Record<string, string>;
  disabled?: boolean;
  /** True when the member has answered this before (this is an answer again). */
  answeredBefore?: boolean;
};

/** Long answers grow with the text; each kind gives its own starting height. */
export const answerAreaClass = (minHeight: string) => `${minHeight} resize-y leading-relaxed`;
