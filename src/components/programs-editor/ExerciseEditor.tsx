"use client";

import { useState } from "react";
import type { ExerciseKindName } from "@/server/programs/exercise-kinds";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";
import { CommitmentSettings, commitmentConfig } from "./kind-settings/CommitmentSettings";
import { LensesSettings } from "./kind-settings/LensesSettings";
import { PeopleSettings } from "./kind-settings/PeopleSettings";
import { PracticeSettings, practiceConfig } from "./kind-settings/PracticeSettings";
import { ReflectionSettings } from "./kind-settings/ReflectionSettings";
import { ScaleSettings } from "./kind-settings/ScaleSettings";
import type { Config, KindEditor } from "./kind-settings/types";
import { DEFAULT_CONFIGS, KIND_INFO, KIND_NAMES } from "./kinds";
import { SaveStatus } from "./SaveStatus";
import { useSave } from "./useSave";

/** Each kind's own settings, and how their edited state becomes the config that is saved. */
const KIND_EDITORS: Record<ExerciseKindName, KindEditor> = {
  REFLECTION: { Settings: ReflectionSettings },
  LENSES: { Settings: LensesSettings },
  SCALE: { Settings: ScaleSettings },
  PEOPLE: { Settings: PeopleSettings },
  COMMITMENT: { Settings: CommitmentSettings, toConfig: commitmentConfig },
  PRACTICE: { Settings: PracticeSettings, toConfig: practiceConfig },
};

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
  const add = useCall(trpc.programs.addExercise.mutate);
  const update = useCall(trpc.programs.updateExercise.mutate);
  const remove = useCall(trpc.programs.deleteExercise.mutate);
  const save = useSave();
  const editing = props.mode === "edit" ? props : null;
  const [kind, setKind] = useState<ExerciseKindName>(editing?.kind ?? "REFLECTION");
  const [prompt, setPrompt] = useState(editing?.prompt ?? "");
  const [revisit, setRevisit] = useState(editing?.revisitAfterDays?.toString() ?? "");
  const [config, setConfig] = useState<Config>(editing?.config ?? DEFAULT_CONFIGS.REFLECTION);
  const p = editing
    ? `exercise-${editing.id}`
    : `new-exercise-${props.mode === "add" && props.stepId}`;
  const { Settings, toConfig } = KIND_EDITORS[kind];

  function chooseKind(next: ExerciseKindName) {
    setKind(next);
    setConfig(DEFAULT_CONFIGS[next]);
  }

  async function submit() {
    const common = {
      kind,
      prompt,
      config: toConfig ? toConfig(config) : config,
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
      <TextAreaField
        id={`${p}-prompt`}
        label="Prompt"
        hint={
          editing && editing.answers > 0
            ? "Members who already answered keep the wording they saw."
            : undefined
        }
        error={save.fields.prompt}
        rows={3}
        maxLength={1000}
        value={prompt}
        onChange={setPrompt}
      />

      <fieldset className="space-y-3 rounded-xl border border-line p-3">
        <legend className="px-1 text-sm font-semibold">{KIND_INFO[kind].label} settings</legend>
        <Settings id={p} config={config} set={(patch) => setConfig((c) => ({ ...c, ...patch }))} />
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
