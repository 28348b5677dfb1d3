"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";
import { SaveStatus } from "./SaveStatus";
import { useSave } from "./useSave";

export function CreateProgramForm() {
  const router = useRouter();
  const create = useCall(trpc.programs.create.mutate);
  const save = useSave();
  const [title, setTitle] = useState("");

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={async (event) => {
        event.preventDefault();
        const program = await save.run(() => create.mutateAsync({ title }));
        if (program) router.push(`/coach/programs/${program.id}`);
      }}
    >
      <Field
        id="new-program-title"
        label="Title"
        hint="You can change it, the address and everything else later."
        error={save.fields.title}
      >
        {(aria) => (
          <input
            {...aria}
            name="title"
            maxLength={120}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            className={inputClass(Boolean(save.fields.title))}
          />
        )}
      </Field>
      <SaveStatus error={save.fields.title ? undefined : save.error} />
      <button type="submit" className={buttonClass("primary")} disabled={save.busy}>
        {save.busy ? "Creating…" : "Create program"}
      </button>
    </form>
  );
}
