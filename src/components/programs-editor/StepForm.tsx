"use client";

import { useState } from "react";
import { renderMarkdown } from "@/lib/markdown";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";
import { markdownClass } from "./kinds";
import { SaveStatus } from "./SaveStatus";
import { useSave } from "./useSave";

export function StepForm(props: {
  id: string;
  title: string;
  body: string;
  moduleId: string;
  modules: { id: string; title: string }[];
}) {
  const update = useCall(trpc.programs.updateStep.mutate);
  const move = useCall(trpc.programs.moveStep.mutate);
  const remove = useCall(trpc.programs.deleteStep.mutate);
  const save = useSave();
  const [title, setTitle] = useState(props.title);
  const [body, setBody] = useState(props.body);
  const [target, setTarget] = useState("");
  const p = `step-${props.id}`;
  const others = props.modules.filter((m) => m.id !== props.moduleId);

  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        void save.run(() => update.mutateAsync({ id: props.id, title, body }), "Step saved.");
      }}
    >
      <Field id={`${p}-title`} label="Step title" error={save.fields.title}>
        {(aria) => (
          <input
            {...aria}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            className={inputClass(Boolean(save.fields.title))}
          />
        )}
      </Field>
      <div className="grid gap-4 lg:grid-cols-2">
        <TextAreaField
          id={`${p}-body`}
          label="Body (Markdown)"
          hint="# heading, **bold**, *italic*, - lists, > quotes, [links](https://…)."
          error={save.fields.body}
          rows={10}
          value={body}
          onChange={setBody}
          className="font-mono text-sm"
        />
        <section aria-label="Body preview" className="space-y-1.5">
          <p className="text-sm font-semibold" aria-hidden="true">
            Preview
          </p>
          <div
            className={`${markdownClass} min-h-24 rounded-lg border border-dashed border-line bg-paper p-3`}
            // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown escapes all HTML first
            dangerouslySetInnerHTML={{ __html: renderMarkdown(body) || "<p>Nothing yet.</p>" }}
          />
        </section>
      </div>
      <SaveStatus ok={save.ok} error={save.error} />
      <div className="flex flex-wrap items-end gap-2">
        <button type="submit" className={buttonClass("primary")} disabled={save.busy}>
          Save step
        </button>
        {others.length > 0 && (
          <span className="flex flex-wrap items-end gap-2">
            <label htmlFor={`${p}-move`} className="sr-only">
              Move this step to module
            </label>
            <select
              id={`${p}-move`}
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              className="min-h-11 max-w-56 rounded-lg border border-line bg-white px-2"
            >
              <option value="">Move to module…</option>
              {others.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.title}
                </option>
              ))}
            </select>
            <button
              type="button"
              className={buttonClass("secondary")}
              disabled={!target || save.busy}
              onClick={() =>
                save.run(() => move.mutateAsync({ id: props.id, moduleId: target }), "Step moved.")
              }
            >
              Move
            </button>
          </span>
        )}
        <button
          type="button"
          className={buttonClass("danger")}
          disabled={save.busy}
          onClick={() => {
            if (window.confirm(`Delete the step “${props.title || "Untitled"}”?`))
              void save.run(() => remove.mutateAsync({ id: props.id }));
          }}
        >
          Delete step
        </button>
      </div>
    </form>
  );
}
