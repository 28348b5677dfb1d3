import { TextAreaField } from "../../ui/TextAreaField";
import { type AnswerProps, answerAreaClass } from "./types";

export function LensesAnswer({ id, config, value, set, errors, disabled }: AnswerProps<"LENSES">) {
  const answers = value.answers ?? {};
  return (
    <div className="space-y-2">
      {errors.answers && <p className="text-sm font-medium text-danger">{errors.answers}</p>}
      <div className="grid gap-4 md:grid-cols-2">
        {config.lenses.map((lens) => (
          <TextAreaField
            key={lens}
            id={id(`lens-${lens}`)}
            label={`Through the lens of ${lens.toLowerCase()}`}
            error={errors[`answers.${lens}`]}
            value={answers[lens] ?? ""}
            onChange={(text) => set({ answers: { ...answers, [lens]: text } })}
            disabled={disabled}
            className={answerAreaClass("min-h-32")}
          />
        ))}
      </div>
    </div>
  );
}
