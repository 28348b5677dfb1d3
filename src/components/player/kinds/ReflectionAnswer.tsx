import { TextAreaField } from "../../ui/TextAreaField";
import { type AnswerProps, answerAreaClass } from "./types";

export function ReflectionAnswer({
  id,
  config,
  value,
  set,
  errors,
  disabled,
}: AnswerProps<"REFLECTION">) {
  const probes = value.probes ?? [];
  return (
    <div className="space-y-4">
      <TextAreaField
        id={id("text")}
        label="Your answer"
        error={errors.text}
        value={value.text ?? ""}
        onChange={(text) => set({ text })}
        disabled={disabled}
        className={answerAreaClass("min-h-40")}
      />
      {config.probes.map((probe, i) => (
        <TextAreaField
          key={probe}
          id={id(`probe-${i}`)}
          label={probe}
          error={errors[`probes.${i}`]}
          value={probes[i] ?? ""}
          onChange={(text) => {
            const next = config.probes.map((_, j) => probes[j] ?? "");
            next[i] = text;
            set({ probes: next });
          }}
          disabled={disabled}
          className={answerAreaClass("min-h-24")}
        />
      ))}
    </div>
  );
}
