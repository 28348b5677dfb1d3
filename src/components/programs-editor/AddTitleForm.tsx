"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass, inputClass } from "../ui/styles";
import { SaveStatus } from "./SaveStatus";
import { useSave } from "./useSave";

/**
 * "Add a module" to a program or "Add a step" to a module: a title and a button. In the editor
 * (`programId` given) the new module or step is then selected, ready to write.
 */
export function AddTitleForm(props: {
  kind: "module" | "step";
  parentId: string;
  programId?: string;
}) {
  const router = useRouter();
  const addModule = useCall(trpc.programs.addModule.mutate);
  const addStep = useCall(trpc.programs.addStep.mutate);
  const save = useSave();
  const [title, setTitle] = useState("");
  const id = `add-${props.kind}-${props.parentId}`;

  return (
    <form
      noValidate
      className="space-y-2"
      onSubmit={async (event) => {
        event.preventDefault();
        const added = await save.run<{ id: string }>(() =>
          props.kind === "module"
            ? addModule.mutateAsync({ programId: props.parentId, title })
            : addStep.mutateAsync({ moduleId: props.parentId, title }),
        );
        if (!added) return;
        setTitle("");
        if (props.programId)
          router.push(`/coach/programs/${props.programId}?${props.kind}=${added.id}`);
      }}
    >
      <label htmlFor={id} className="block text-sm font-semibold">
        {props.kind === "module" ? "New module title" : "New step title"}
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={id}
          value={title}
          maxLength={props.kind === "module" ? 120 : 160}
          aria-invalid={save.fields.title ? true : undefined}
          aria-describedby={save.fields.title ? `${id}-error` : undefined}
          onChange={(e) => setTitle(e.target.value)}
          className={`${inputClass(Boolean(save.fields.title))} min-w-0 flex-1 basis-48`}
        />
        <button type="submit" className={buttonClass("secondary")} disabled={save.busy}>
          {props.kind === "module" ? "Add module" : "Add step"}
        </button>
      </div>
      {save.fields.title ? (
        <p id={`${id}-error`} className="text-sm font-medium text-danger">
          {save.fields.title}
        </p>
      ) : (
        <SaveStatus error={save.error} />
      )}
    </form>
  );
}
