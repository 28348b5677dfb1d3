import { Field } from "../../ui/Field";
import { inputClass } from "../../ui/styles";
import { TextAreaField } from "../../ui/TextAreaField";
import { type AnswerProps, answerAreaClass } from "./types";

export function CommitmentAnswer({ id, value, set, errors, disabled }: AnswerProps<"COMMITMENT">) {
  return (
    <div className="grid gap-4 sm:grid-cols-[1fr_auto]">
      <TextAreaField
        id={id("text")}
        label="The first step I will take"
        error={errors.text}
        value={value.text ?? ""}
        onChange={(text) => set({ text })}
        disabled={disabled}
        className={answerAreaClass("min-h-20")}
      />
      <Field id={id("dueOn")} label="By" error={errors.dueOn}>
        {(aria) => (
          <input
            {...aria}
            type="date"
            disabled={disabled}
            value={value.dueOn ?? ""}
            onChange={(e) => set({ dueOn: e.target.value })}
            className={inputClass(Boolean(errors.dueOn))}
          />
        )}
      </Field>
    </div>
  );
}
