"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";
import { uploadImage } from "../ui/upload-image";
import { SaveStatus } from "./SaveStatus";
import { useSave } from "./useSave";

export function StepForm(props: {
  id: string;
  title: string;
  body: string;
  moduleId: string;
  modules: { id: string; title: string }[];
  /** Where to go once deleted (the editor selects something that still exists). */
  afterDelete?: string;
}) {
  const router = useRouter();
  const update = useCall(trpc.programs.updateStep.mutate);
  const move = useCall(trpc.programs.moveStep.mutate);
  const remove = useCall(trpc.programs.deleteStep.mutate);
  const save = useSave();
  const [title, setTitle] = useState(props.title);
  const [body, setBody] = useState(props.body);
  const [target, setTarget] = useState("");
  const [upload, setUpload] = useState<{ busy: boolean; error?: string; ok?: string }>({
    busy: false,
  });
  const p = `step-${props.id}`;
  const others = props.modules.filter((m) => m.id !== props.moduleId);

  // The image goes up at once; its Markdown joins the end of the body, saved with the step.
  async function addImage(file: File) {
    setUpload({ busy: true });
    const result = await uploadImage(file);
    if ("error" in result) return setUpload({ busy: false, error: result.error });
    setBody((b) => `${b.trimEnd()}${b.trim() ? "\n\n" : ""}![Describe the image](${result.url})\n`);
    setUpload({ busy: false, ok: "Image added at the end of the body: describe it, then save." });
  }

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
      <TextAreaField
        id={`${p}-body`}
        label="Body (Markdown)"
        hint="## heading, **bold**, *italic*, - lists, > quotes, [links](https://…), images you uploaded, and a YouTube or Vimeo link alone on its line becomes a video."
        error={save.fields.body}
        rows={14}
        value={body}
        onChange={setBody}
        className="font-mono text-sm"
      />
      <div className="space-y-1.5">
        <label htmlFor={`${p}-image`} className="block text-sm font-semibold">
          Add an image
        </label>
        <input
          id={`${p}-image`}
          type="file"
          accept="image/png,image/jpeg,image/webp"
          disabled={upload.busy}
          aria-describedby={`${p}-image-status`}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void addImage(file);
            e.target.value = "";
          }}
          className="block min-h-11 max-w-full text-sm file:mr-3 file:min-h-11 file:rounded-lg file:border file:border-line file:bg-card file:px-4 file:font-semibold"
        />
        <p
          id={`${p}-image-status`}
          role="status"
          className={upload.error ? "text-sm font-medium text-danger" : "text-sm text-muted"}
        >
          {upload.busy
            ? "Uploading…"
            : (upload.error ?? upload.ok ?? "PNG, JPEG or WebP, up to 2 MB.")}
        </p>
      </div>
      <SaveStatus ok={save.ok} error={save.error} />
      <div className="flex flex-wrap items-end gap-2">
        <button
          type="submit"
          className={buttonClass("primary")}
          disabled={save.busy || upload.busy}
        >
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
              void save
                .run(() => remove.mutateAsync({ id: props.id }))
                .then((done) => {
                  if (done && props.afterDelete) router.push(props.afterDelete);
                });
          }}
        >
          Delete step
        </button>
      </div>
    </form>
  );
}
