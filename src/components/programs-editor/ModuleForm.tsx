"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";
import { SaveStatus } from "./SaveStatus";
import { useSave } from "./useSave";

export function ModuleForm(props: {
  id: string;
  title: string;
  unlockDayOffset: number;
  cohortPaced: boolean;
  /** Where to go once deleted (the editor selects something that still exists). */
  afterDelete?: string;
}) {
  const router = useRouter();
  const update = useCall(trpc.programs.updateModule.mutate);
  const remove = useCall(trpc.programs.deleteModule.mutate);
  const save = useSave();
  const [title, setTitle] = useState(props.title);
  const [days, setDays] = useState(String(props.unlockDayOffset));
  const p = `module-${props.id}`;

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        void save.run(
          () =>
            update.mutateAsync({
              id: props.id,
              title,
              unlockDayOffset: days.trim() === "" ? Number.NaN : Number(days),
            }),
          "Module saved.",
        );
      }}
    >
      <Field id={`${p}-title`} label="Module title" error={save.fields.title}>
        {(aria) => (
          <input
            {...aria}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            className={inputClass(Boolean(save.fields.title))}
          />
        )}
      </Field>
      <Field
        id={`${p}-days`}
        label="Unlocks on day"
        hint={
          props.cohortPaced
            ? "Days after the cohort starts, or after a member enrols when not in a cohort (0 = from the start)."
            : "Days after a cohort starts (0 = from the start). Members not in a cohort get every module at once."
        }
        error={save.fields.unlockDayOffset}
      >
        {(aria) => (
          <input
            {...aria}
            type="number"
            inputMode="numeric"
            min={0}
            max={365}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            className={`${inputClass(Boolean(save.fields.unlockDayOffset))} max-w-32`}
          />
        )}
      </Field>
      <SaveStatus ok={save.ok} error={save.error} />
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass("primary")} disabled={save.busy}>
          Save module
        </button>
        <button
          type="button"
          className={buttonClass("danger")}
          disabled={save.busy}
          onClick={() => {
            if (window.confirm(`Delete the module “${props.title}” with all its steps?`))
              void save
                .run(() => remove.mutateAsync({ id: props.id }))
                .then((done) => {
                  if (done && props.afterDelete) router.push(props.afterDelete);
                });
          }}
        >
          Delete module
        </button>
      </div>
    </form>
  );
}
