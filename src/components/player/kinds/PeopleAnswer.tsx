import { Field } from "../../ui/Field";
import { buttonClass, inputClass } from "../../ui/styles";
import { emptyPerson, type PersonRow } from "../content";
import { type AnswerProps, answerAreaClass } from "./types";

export function PeopleAnswer({ id, config, value, set, errors, disabled }: AnswerProps<"PEOPLE">) {
  const people = value.people ?? [];
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
                  disabled={disabled}
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
                  disabled={disabled}
                  value={p.circle}
                  onChange={(e) => update(i, { circle: e.target.value })}
                  className={inputClass(Boolean(err("circle")))}
                >
                  {!config.circles.includes(p.circle) && <option value="">Choose…</option>}
                  {config.circles.map((c) => (
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
                  disabled={disabled}
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
                  disabled={disabled}
                  value={p.lastContact}
                  onChange={(e) => update(i, { lastContact: e.target.value })}
                  className={inputClass(Boolean(err("lastContact")))}
                />
              )}
            </Field>
            <div className="sm:col-span-2">
              <Field id={id(`p${i}-why`)} label="Why" error={err("why")}>
                {(aria) => (
                  // A reason can run to a few sentences: a field that grows, not one line.
                  <textarea
                    {...aria}
                    rows={2}
                    disabled={disabled}
                    value={p.why}
                    onChange={(e) => update(i, { why: e.target.value })}
                    className={`${inputClass(Boolean(err("why")))} ${answerAreaClass("min-h-16")} py-2`}
                  />
                )}
              </Field>
            </div>
            <div className="sm:col-span-2">
              <button
                type="button"
                disabled={disabled}
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
        disabled={disabled || people.length >= 50}
        className={buttonClass("secondary")}
        onClick={() => set({ people: [...people, emptyPerson(config.circles[0])] })}
      >
        Add a person
      </button>
    </div>
  );
}
