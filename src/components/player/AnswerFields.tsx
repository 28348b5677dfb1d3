"use client";

import clsx from "clsx";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";
import { type AnyConfig, emptyPerson, type FormContent, type PersonRow } from "./content";

const textareaClass = (invalid: boolean, rows = "min-h-32") =>
  clsx(inputClass(invalid), rows, "resize-y leading-relaxed");

type Props = {
  exercise: AnyConfig & { id: string };
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  errors: Record<string, string>;
  disabled?: boolean;
};

/** The answer form of each exercise kind; every control is labelled and keyboard-usable. */
/** A labelled long-text answer: the same control for every kind that asks for words. */
function TextAreaField(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: string;
  onChange: (text: string) => void;
  disabled?: boolean;
  minHeight: string;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(aria) => (
        <textarea
          {...aria}
          disabled={props.disabled}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          className={textareaClass(Boolean(props.error), props.minHeight)}
        />
      )}
    </Field>
  );
}

export function AnswerFields(props: Props) {
  const { exercise: ex, errors } = props;
  const id = (suffix: string) => `${ex.id}-${suffix}`;
  const set = (patch: Record<string, unknown>) => props.onChange({ ...props.value, ...patch });

  switch (ex.kind) {
    case "REFLECTION": {
      const v = props.value as Partial<FormContent["REFLECTION"]>;
      const probes = v.probes ?? [];
      return (
        <div className="space-y-4">
          <TextAreaField
            id={id("text")}
            label="Your answer"
            error={errors.text}
            value={v.text ?? ""}
            onChange={(text) => set({ text })}
            disabled={props.disabled}
            minHeight="min-h-40"
          />
          {ex.config.probes.map((probe, i) => (
            <TextAreaField
              key={probe}
              id={id(`probe-${i}`)}
              label={probe}
              error={errors[`probes.${i}`]}
              value={probes[i] ?? ""}
              onChange={(text) => {
                const next = ex.config.probes.map((_, j) => probes[j] ?? "");
                next[i] = text;
                set({ probes: next });
              }}
              disabled={props.disabled}
              minHeight="min-h-24"
            />
          ))}
        </div>
      );
    }
    case "LENSES": {
      const answers = (props.value.answers as Record<string, string> | undefined) ?? {};
      return (
        <div className="space-y-2">
          {errors.answers && <p className="text-sm font-medium text-danger">{errors.answers}</p>}
          <div className="grid gap-4 md:grid-cols-2">
            {ex.config.lenses.map((lens) => (
              <TextAreaField
                key={lens}
                id={id(`lens-${lens}`)}
                label={`Through the lens of ${lens.toLowerCase()}`}
                error={errors[`answers.${lens}`]}
                value={answers[lens] ?? ""}
                onChange={(text) => set({ answers: { ...answers, [lens]: text } })}
                disabled={props.disabled}
                minHeight="min-h-32"
              />
            ))}
          </div>
        </div>
      );
    }
    case "SCALE": {
      const v = props.value as Partial<FormContent["SCALE"]>;
      return (
        <div className="space-y-4">
          <fieldset aria-describedby={errors.value ? id("value-error") : undefined}>
            <legend className="text-sm font-semibold text-ink">
              Your rating from 1 ({ex.config.minLabel}) to 10 ({ex.config.maxLabel})
            </legend>
            <div className="mt-2 flex items-center justify-between text-xs text-muted">
              <span aria-hidden="true">1 · {ex.config.minLabel}</span>
              <span aria-hidden="true">{ex.config.maxLabel} · 10</span>
            </div>
            <div className="mt-1 grid grid-cols-5 gap-2 sm:grid-cols-10">
              {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
                <label
                  key={n}
                  className={clsx(
                    "flex min-h-11 cursor-pointer items-center justify-center rounded-lg border text-base font-semibold has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-accent",
                    v.value === n
                      ? "border-brand bg-brand text-white"
                      : "border-line bg-white text-ink hover:bg-brand-soft",
                  )}
                >
                  <input
                    type="radio"
                    name={id("value")}
                    value={n}
                    checked={v.value === n}
                    disabled={props.disabled}
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
            label={ex.config.followUp}
            error={errors.followUp}
            value={v.followUp ?? ""}
            onChange={(text) => set({ followUp: text })}
            disabled={props.disabled}
            minHeight="min-h-24"
          />
          <TextAreaField
            id={id("why")}
            label="Why did it move?"
            hint="If you rated this before: what changed since then."
            error={errors.why}
            value={v.why ?? ""}
            onChange={(text) => set({ why: text })}
            disabled={props.disabled}
            minHeight="min-h-20"
          />
        </div>
      );
    }
    case "PEOPLE": {
      const people = (props.value.people as PersonRow[] | undefined) ?? [];
      const update = (i: number, patch: Partial<PersonRow>) =>
        set({ people: people.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
      return (
        <div className="space-y-4">
          {errors.people && <p className="text-sm font-medium text-danger">{errors.people}</p>}
          {people.map((p, i) => {
            const err = (f: string) => errors[`people.${i}.${f}`];
            return (
              <fieldset
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id until submitted
                key={i}
                className="grid gap-3 rounded-xl border border-line p-4 sm:grid-cols-2"
              >
                <legend className="px-1 text-sm font-semibold">Person {i + 1}</legend>
                <Field id={id(`p${i}-name`)} label="Name" error={err("name")}>
                  {(aria) => (
                    <input
                      {...aria}
                      disabled={props.disabled}
                      value={p.name}
                      onChange={(e) => update(i, { name: e.target.value })}
                      className={inputClass(Boolean(err("name")))}
                    />
                  )}
                </Field>
                <Field id={id(`p${i}-circle`)} label="Circle" error={err("circle")}>
                  {(aria) => (
                    <select
                      {...aria}
                      disabled={props.disabled}
                      value={p.circle}
                      onChange={(e) => update(i, { circle: e.target.value })}
                      className={inputClass(Boolean(err("circle")))}
                    >
                      {!ex.config.circles.includes(p.circle) && <option value="">Choose…</option>}
                      {ex.config.circles.map((c) => (
                        <option key={c} value={c}>
                          {c}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id={id(`p${i}-status`)} label="What you want" error={err("status")}>
                  {(aria) => (
                    <select
                      {...aria}
                      disabled={props.disabled}
                      value={p.status}
                      onChange={(e) => update(i, { status: e.target.value as PersonRow["status"] })}
                      className={inputClass(Boolean(err("status")))}
                    >
                      <option value="KEEP">Keep close</option>
                      <option value="RECONNECT">Reconnect</option>
                      <option value="MOVE_ON">Move on</option>
                    </select>
                  )}
                </Field>
                <Field id={id(`p${i}-last`)} label="Last contact" error={err("lastContact")}>
                  {(aria) => (
                    <input
                      {...aria}
                      type="date"
                      disabled={props.disabled}
                      value={p.lastContact}
                      onChange={(e) => update(i, { lastContact: e.target.value })}
                      className={inputClass(Boolean(err("lastContact")))}
                    />
                  )}
                </Field>
                <div className="sm:col-span-2">
                  <Field id={id(`p${i}-why`)} label="Why" error={err("why")}>
                    {(aria) => (
                      <input
                        {...aria}
                        disabled={props.disabled}
                        value={p.why}
                        onChange={(e) => update(i, { why: e.target.value })}
                        className={inputClass(Boolean(err("why")))}
                      />
                    )}
                  </Field>
                </div>
                <div className="sm:col-span-2">
                  <button
                    type="button"
                    disabled={props.disabled}
                    className={buttonClass("ghost")}
                    onClick={() => set({ people: people.filter((_, j) => j !== i) })}
                  >
                    Remove {p.name || `person ${i + 1}`}
                  </button>
                </div>
              </fieldset>
            );
          })}
          <button
            type="button"
            disabled={props.disabled || people.length >= 50}
            className={buttonClass("secondary")}
            onClick={() => set({ people: [...people, emptyPerson(ex.config.circles[0])] })}
          >
            Add a person
          </button>
        </div>
      );
    }
    case "COMMITMENT": {
      const v = props.value as Partial<FormContent["COMMITMENT"]>;
      return (
        <div className="grid gap-4 sm:grid-cols-[1fr_auto]">
          <TextAreaField
            id={id("text")}
            label="The first step I will take"
            error={errors.text}
            value={v.text ?? ""}
            onChange={(text) => set({ text })}
            disabled={props.disabled}
            minHeight="min-h-20"
          />
          <Field id={id("dueOn")} label="By" error={errors.dueOn}>
            {(aria) => (
              <input
                {...aria}
                type="date"
                disabled={props.disabled}
                value={v.dueOn ?? ""}
                onChange={(e) => set({ dueOn: e.target.value })}
                className={inputClass(Boolean(errors.dueOn))}
              />
            )}
          </Field>
        </div>
      );
    }
    case "PRACTICE": {
      const v = props.value as Partial<FormContent["PRACTICE"]>;
      const ticked = new Set(v.ticked ?? []);
      return (
        <div className="space-y-4">
          <fieldset>
            <legend className="text-sm font-semibold text-ink">What I did</legend>
            <ul className="mt-2 space-y-2">
              {ex.config.practices.map((p) => (
                <li key={p.key}>
                  <label className="flex min-h-11 cursor-pointer items-center gap-3 rounded-lg border border-line bg-white px-3">
                    <input
                      type="checkbox"
                      className="size-5 accent-brand"
                      disabled={props.disabled}
                      checked={ticked.has(p.key)}
                      onChange={(e) => {
                        const next = new Set(ticked);
                        if (e.target.checked) next.add(p.key);
                        else next.delete(p.key);
                        set({
                          ticked: ex.config.practices.map((x) => x.key).filter((k) => next.has(k)),
                        });
                      }}
                    />
                    {p.label}
                  </label>
                </li>
              ))}
            </ul>
            {errors.ticked && (
              <p className="mt-1 text-sm font-medium text-danger">{errors.ticked}</p>
            )}
          </fieldset>
          <TextAreaField
            id={id("note")}
            label="A note (optional)"
            error={errors.note}
            value={v.note ?? ""}
            onChange={(text) => set({ note: text })}
            disabled={props.disabled}
            minHeight="min-h-20"
          />
        </div>
      );
    }
  }
}
