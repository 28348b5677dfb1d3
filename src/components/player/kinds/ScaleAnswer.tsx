import clsx from "clsx";
import { TextAreaField } from "../../ui/TextAreaField";
import { type AnswerProps, answerAreaClass } from "./types";

export function ScaleAnswer({
  id,
  config,
  value,
  set,
  errors,
  disabled,
  answeredBefore,
}: AnswerProps<"SCALE">) {
  return (
    <div className="space-y-4">
      <fieldset aria-describedby={errors.value ? id("value-error") : undefined}>
        <legend className="text-sm font-semibold text-ink">
          Your rating from 1 ({config.minLabel}) to 10 ({config.maxLabel})
        </legend>
        <div className="mt-2 flex items-center justify-between text-xs text-muted">
          <span aria-hidden="true">1 · {config.minLabel}</span>
          <span aria-hidden="true">{config.maxLabel} · 10</span>
        </div>
        <div className="mt-1 grid grid-cols-5 gap-2 sm:grid-cols-10">
          {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
            <label
              key={n}
              className={clsx(
                "flex min-h-11 cursor-pointer items-center justify-center rounded-lg border text-base font-semibold has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-accent",
                value.value === n
                  ? "border-brand bg-brand text-white"
                  : "border-line bg-white text-ink hover:bg-brand-soft",
              )}
            >
              <input
                type="radio"
                name={id("value")}
                value={n}
                checked={value.value === n}
                disabled={disabled}
                onChange={() => set({ value: n })}
                className="sr-only"
              />
              {n}
            </label>
          ))}
        </div>
        {errors.value && (
          <p id={id("value-error")} className="mt-1 text-sm font-medium text-danger">
            {errors.value}
          </p>
        )}
      </fieldset>
      <TextAreaField
        id={id("followUp")}
        label={config.followUp}
        error={errors.followUp}
        value={value.followUp ?? ""}
        onChange={(text) => set({ followUp: text })}
        disabled={disabled}
        className={answerAreaClass("min-h-24")}
      />
      {/* Only a re-rating has something to have moved from. */}
      {answeredBefore && (
        <TextAreaField
          id={id("why")}
          label="Why did it move?"
          hint="What changed since you last rated this (or why it stayed)."
          error={errors.why}
          value={value.why ?? ""}
          onChange={(text) => set({ why: text })}
          disabled={disabled}
          className={answerAreaClass("min-h-20")}
        />
      )}
    </div>
  );
}
