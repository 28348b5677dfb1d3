"use client";

import type { ComponentType } from "react";
import type { ExerciseKindName } from "@/server/programs/exercise-kinds";
import type { AnyConfig } from "./content";
import { CommitmentAnswer } from "./kinds/CommitmentAnswer";
import { LensesAnswer } from "./kinds/LensesAnswer";
import { PeopleAnswer } from "./kinds/PeopleAnswer";
import { PracticeAnswer } from "./kinds/PracticeAnswer";
import { ReflectionAnswer } from "./kinds/ReflectionAnswer";
import { ScaleAnswer } from "./kinds/ScaleAnswer";
import type { AnswerProps } from "./kinds/types";

/** One answer form per exercise kind; every control is labelled and keyboard-usable. */
const ANSWER_FORMS: { [K in ExerciseKindName]: ComponentType<AnswerProps<K>> } = {
  REFLECTION: ReflectionAnswer,
  LENSES: LensesAnswer,
  SCALE: ScaleAnswer,
  PEOPLE: PeopleAnswer,
  COMMITMENT: CommitmentAnswer,
  PRACTICE: PracticeAnswer,
};

type Props = {
  exercise: AnyConfig & { id: string };
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  errors: Record<string, string>;
  disabled?: boolean;
  /** Whether this is an answer again (a re-rating asks why it moved). */
  answeredBefore: boolean;
};

/** The answer form of the exercise's kind, bound to the draft. */
export function AnswerFields(props: Props) {
  const { exercise: ex } = props;
  // `kind` and `config` come from one row, so they match; TypeScript cannot follow that through
  // the union, hence the single widening here.
  const Form = ANSWER_FORMS[ex.kind] as ComponentType<AnswerProps<ExerciseKindName>>;
  return (
    <Form
      id={(suffix) => `${ex.id}-${suffix}`}
      config={ex.config}
      value={props.value}
      set={(patch) => props.onChange({ ...props.value, ...patch })}
      errors={props.errors}
      disabled={props.disabled}
      answeredBefore={props.answeredBefore}
    />
  );
}
