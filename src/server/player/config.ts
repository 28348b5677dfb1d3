import {
  configSchemas,
  type ExerciseConfig,
  type ExerciseKindName,
} from "../programs/exercise-kinds";

const FALLBACK_CONFIG: { [K in ExerciseKindName]: ExerciseConfig<K> } = {
  REFLECTION: { probes: [] },
  LENSES: { lenses: [] },
  SCALE: { minLabel: "Not at all", maxLabel: "Completely", followUp: "What would make it a 10?" },
  PEOPLE: { circles: ["Friends", "Family", "Work"] },
  COMMITMENT: { dueInDays: 0 },
  PRACTICE: { practices: [] },
};

/** The coach's editor validates config; a row that does not parse still renders, plainly. */
export function readConfig<K extends ExerciseKindName>(kind: K, raw: unknown): ExerciseConfig<K> {
  const parsed = configSchemas[kind].safeParse(raw);
  return (parsed.success ? parsed.data : FALLBACK_CONFIG[kind]) as ExerciseConfig<K>;
}
