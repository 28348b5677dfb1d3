import { TextAreaField } from "../../ui/TextAreaField";
import { type AnswerProps, answerAreaClass } from "./types";

export function PracticeAnswer({
  id,
  config,
  value,
  set,
  errors,
  disabled,
}: AnswerProps<"PRACTICE">) {
  const ticked = new Set(value.ticked ?? []);
  return (
    <div className="space-y-4">
      <fieldset>
        <legend className="text-sm font-semibold text-ink">What I did</legend>
        <ul className="mt-2 space-y-2">
          {config.practices.map((p) => (
            <li key={p.key}>
              <label className="flex min-h-11 cursor-pointer items-center gap-3 rounded-lg border border-line bg-white px-3">
                <input
                  type="checkbox"
                  className="size-5 accent-brand"
                  disabled={disabled}
                  checked={ticked.has(p.key)}
                  onChange={(e) => {
                    const next = new Set(ticked);
                    if (e.target.checked) next.add(p.key);
                    else next.delete(p.key);
                    // Kept in the coach's order, whatever order they were ticked in.
                    set({ ticked: config.practices.map((x) => x.key).filter((k) => next.has(k)) });
                  }}
                />
                {p.label}
              </label>
            </li>
          ))}
        </ul>
        {errors.ticked && <p className="mt-1 text-sm font-medium text-danger">{errors.ticked}</p>}
      </fieldset>
      <TextAreaField
        id={id("note")}
        label="A note (optional)"
        error={errors.note}
        value={value.note ?? ""}
        onChange={(text) => set({ note: text })}
        disabled={disabled}
        className={answerAreaClass("min-h-20")}
      />
    </div>
  );
}
