"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { ExerciseKindName } from "@/server/programs/exercise-kinds";
import { useTRPC } from "../providers/TRPCProvider";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";
import { DEFAULT_CONFIGS, KIND_INFO, KIND_NAMES, LENS_PRESETS, practiceKey } from "./kinds";
import { SaveStatus } from "./SaveStatus";
import { useSave } from "./useSave";

type Config = Record<string, unknown>;
type Practice = { key: string | null; label: string };

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
const str = (v: unknown, fallback = "") => (typeof v === "string" ? v : fallback);

/** One editor for every kind: the prompt, the "answer again" period and the kind's own fields. */
export function ExerciseEditor(
  props:
    | { mode: "add"; stepId: string }
    | {
        mode: "edit";
        id: string;
        kind: ExerciseKindName;
        prompt: string;
        config: Config;
        revisitAfterDays: number | null;
        answers: number;
      },
) {
  const trpc = useTRPC();
  const add = useMutation(trpc.programs.addExercise.mutationOptions());
  const update = useMutation(trpc.programs.updateExercise.mutationOptions());
  const remove = useMutation(trpc.programs.deleteExercise.mutationOptions());
  const save = useSave();
  const editing = props.mode === "edit" ? props : null;
  const [kind, setKind] = useState<ExerciseKindName>(editing?.kind ?? "REFLECTION");
  const [prompt, setPrompt] = useState(editing?.prompt ?? "");
  const [revisit, setRevisit] = useState(editing?.revisitAfterDays?.toString() ?? "");
  const [config, setConfig] = useState<Config>(editing?.config ?? DEFAULT_CONFIGS.REFLECTION);
  const [practices, setPractices] = useState<Practice[]>(() =>
    Array.isArray(config.practices)
      ? (config.practices as { key: string; label: string }[]).map((p) => ({ ...p }))
      : [],
  );
  const p = editing
    ? `exercise-${editing.id}`
    : `new-exercise-${props.mode === "add" && props.stepId}`;
  const set = (key: string, value: unknown) => setConfig((c) => ({ ...c, [key]: value }));

  function chooseKind(next: ExerciseKindName) {
    setKind(next);
    setConfig(DEFAULT_CONFIGS[next]);
    setPractices(
      (DEFAULT_CONFIGS.PRACTICE.practices as { key: string; label: string }[]).map((x) => ({
        ...x,
      })),
    );
  }

  function builtConfig(): Config {
    if (kind === "PRACTICE") {
      const taken = new Set(practices.flatMap((x) => (x.key ? [x.key] : [])));
      return {
        practices: practices.map((x) => {
          if (x.key) return { key: x.key, label: x.label };
          const key = practiceKey(x.label, taken);
          taken.add(key);
          return { key, label: x.label };
        }),
      };
    }
    if (kind === "COMMITMENT") {
      const raw = str(config.dueInDays, String(config.dueInDays ?? ""));
      return { dueInDays: raw.trim() === "" ? Number.NaN : Number(raw) };
    }
    return config;
  }

  async function submit() {
    const common = {
      kind,
      prompt,
      config: builtConfig(),
      revisitAfterDays: revisit.trim() === "" ? null : Number(revisit),
    };
    if (editing) {
      await save.run(() => update.mutateAsync({ id: editing.id, ...common }), "Exercise saved.");
    } else if (props.mode === "add") {
      const created = await save.run(
        () => add.mutateAsync({ stepId: props.stepId, ...common }),
        "Exercise added.",
      );
      if (created) {
        setPrompt("");
        setRevisit("");
        chooseKind(kind);
      }
    }
  }

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {editing ? (
        <p className="text-sm text-muted">
          {KIND_INFO[kind].label}: {KIND_INFO[kind].hint}
        </p>
      ) : (
        <Field id={`${p}-kind`} label="Kind" hint={KIND_INFO[kind].hint} error={save.fields.kind}>
          {(aria) => (
            <select
              {...aria}
              value={kind}
              onChange={(e) => chooseKind(e.target.value as ExerciseKindName)}
              className={inputClass(Boolean(save.fields.kind))}
            >
              {KIND_NAMES.map((k) => (
                <option key={k} value={k}>
                  {KIND_INFO[k].label}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field
        id={`${p}-prompt`}
        label="Prompt"
        hint={
          editing && editing.answers > 0
            ? "Members who already answered keep the wording they saw."
            : undefined
        }
        error={save.fields.prompt}
      >
        {(aria) => (
          <textarea
            {...aria}
            rows={3}
            maxLength={1000}
            value={prompt}
            onChange={(e) => setPrompt(e.target.value)}
            className={inputClass(Boolean(save.fields.prompt))}
          />
        )}
      </Field>

      <fieldset className="space-y-3 rounded-xl border border-line p-3">
        <legend className="px-1 text-sm font-semibold">{KIND_INFO[kind].label} settings</legend>
        {kind === "REFLECTION" && (
          <ListEditor
            id={`${p}-probes`}
            label="Follow-up “why?” question"
            items={strings(config.probes)}
            max={5}
            onChange={(v) => set("probes", v)}
          />
        )}
        {kind === "LENSES" && (
          <LensesEditor
            id={`${p}-lenses`}
            lenses={strings(config.lenses)}
            onChange={(v) => set("lenses", v)}
          />
        )}
        {kind === "SCALE" && (
          <div className="grid gap-3 sm:grid-cols-2">
            <TextInput
              id={`${p}-min`}
              label="Label of 1"
              value={str(config.minLabel)}
              onChange={(v) => set("minLabel", v)}
            />
            <TextInput
              id={`${p}-max`}
              label="Label of 10"
              value={str(config.maxLabel)}
              onChange={(v) => set("maxLabel", v)}
            />
            <div className="sm:col-span-2">
              <TextInput
                id={`${p}-followup`}
                label="Follow-up question"
                value={str(config.followUp)}
                onChange={(v) => set("followUp", v)}
              />
            </div>
          </div>
        )}
        {kind === "PEOPLE" && (
          <ListEditor
            id={`${p}-circles`}
            label="Circle"
            items={strings(config.circles)}
            max={8}
            onChange={(v) => set("circles", v)}
          />
        )}
        {kind === "COMMITMENT" && (
          <TextInput
            id={`${p}-due`}
            label="Due in days (0 = today)"
            type="number"
            value={String(config.dueInDays ?? "")}
            onChange={(v) => set("dueInDays", v)}
          />
        )}
        {kind === "PRACTICE" && (
          <ListEditor
            id={`${p}-practices`}
            label="Practice"
            items={practices.map((x) => x.label)}
            max={12}
            onChange={(labels) =>
              setPractices(labels.map((label, i) => ({ key: practices[i]?.key ?? null, label })))
            }
            onRemove={(i) => setPractices(practices.filter((_, j) => j !== i))}
          />
        )}
        {save.fields.config && (
          <p className="text-sm font-medium text-danger" role="alert">
            {save.fields.config}
          </p>
        )}
      </fieldset>

      <Field
        id={`${p}-revisit`}
        label="Ask again after (days)"
        hint="Leave empty to ask only once."
        error={save.fields.revisitAfterDays}
      >
        {(aria) => (
          <input
            {...aria}
            type="number"
            inputMode="numeric"
            min={1}
            max={365}
            value={revisit}
            onChange={(e) => setRevisit(e.target.value)}
            className={`${inputClass(Boolean(save.fields.revisitAfterDays))} max-w-32`}
          />
        )}
      </Field>
      <SaveStatus ok={save.ok} error={save.error} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass("primary")} disabled={save.busy}>
          {editing ? "Save exercise" : "Add exercise"}
        </button>
        {editing && (
          <button
            type="button"
            className={buttonClass("danger")}
            disabled={save.busy}
            onClick={() => {
              const note =
                editing.answers > 0
                  ? ` Members answered it ${editing.answers} times; their answers stay in their journals.`
                  : "";
              if (window.confirm(`Delete this exercise?${note}`))
                void save.run(() => remove.mutateAsync({ id: editing.id }));
            }}
          >
            Delete exercise
          </button>
        )}
      </div>
    </form>
  );
}

function TextInput(props: {
  id: string;
  label: string;
  value: string;
  type?: "text" | "number";
  onChange: (value: string) => void;
}) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={props.id} className="block text-sm font-semibold">
        {props.label}
      </label>
      <input
        id={props.id}
        type={props.type ?? "text"}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        className={inputClass()}
      />
    </div>
  );
}

/** An editable list of short texts: one input per item, Remove buttons, an Add button. */
function ListEditor(props: {
  id: string;
  label: string;
  items: string[];
  max: number;
  onChange: (items: string[]) => void;
  onRemove?: (index: number) => void;
}) {
  const { items } = props;
  return (
    <div className="space-y-2">
      {items.length === 0 && <p className="text-sm text-muted">None yet.</p>}
      <ul className="space-y-2">
        {items.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is the item's identity here
          <li key={i} className="flex flex-wrap items-end gap-2">
            <div className="min-w-0 flex-1 basis-48 space-y-1">
              <label htmlFor={`${props.id}-${i}`} className="block text-sm font-semibold">
                {props.label} {i + 1}
              </label>
              <input
                id={`${props.id}-${i}`}
                value={item}
                onChange={(e) =>
                  props.onChange(items.map((x, j) => (j === i ? e.target.value : x)))
                }
                className={inputClass()}
              />
            </div>
            <button
              type="button"
              aria-label={`Remove ${props.label.toLowerCase()} ${i + 1}`}
              className={buttonClass("ghost")}
              onClick={() =>
                props.onRemove ? props.onRemove(i) : props.onChange(items.filter((_, j) => j !== i))
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className={buttonClass("secondary")}
        disabled={items.length >= props.max}
        onClick={() => props.onChange([...items, ""])}
      >
        Add {props.label.toLowerCase()}
      </button>
    </div>
  );
}

function LensesEditor(props: {
  id: string;
  lenses: string[];
  onChange: (lenses: string[]) => void;
}) {
  const isPreset = (l: string) => LENS_PRESETS.some((x) => x.toLowerCase() === l.toLowerCase());
  const chosen = props.lenses.filter(isPreset);
  const custom = props.lenses.filter((l) => !isPreset(l));
  return (
    <div className="space-y-3">
      <fieldset>
        <legend className="text-sm font-semibold">Lenses (pick at least two)</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {LENS_PRESETS.map((lens) => {
            const on = chosen.some((c) => c.toLowerCase() === lens.toLowerCase());
            return (
              <label key={lens} className="flex min-h-11 items-center gap-2">
                <input
                  type="checkbox"
                  className="size-5"
                  checked={on}
                  onChange={() =>
                    props.onChange(
                      on
                        ? props.lenses.filter((l) => l.toLowerCase() !== lens.toLowerCase())
                        : [...chosen, lens, ...custom],
                    )
                  }
                />
                {lens}
              </label>
            );
          })}
        </div>
      </fieldset>
      <ListEditor
        id={`${props.id}-custom`}
        label="Other lens"
        items={custom}
        max={Math.max(0, 6 - chosen.length)}
        onChange={(next) => props.onChange([...chosen, ...next])}
      />
    </div>
  );
}
