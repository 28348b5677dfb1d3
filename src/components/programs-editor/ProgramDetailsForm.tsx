"use client";

import { useState } from "react";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";
import { uploadImage } from "../ui/upload-image";
import { SaveStatus } from "./SaveStatus";
import { useSave } from "./useSave";

type Values = {
  title: string;
  slug: string;
  summary: string;
  pacing: "SELF_PACED" | "COHORT_PACED";
  accessRule: "FREE" | "PLANS" | "PURCHASE";
  coverImage: string | null;
  /** Shown in the catalog as the time a step takes; the schema's default is 10. */
  minutesPerStep?: number;
};

export function ProgramDetailsForm(props: { id: string; initial: Values }) {
  const update = useCall(trpc.programs.update.mutate);
  const save = useSave();
  const [values, setValues] = useState(props.initial);
  const [minutes, setMinutes] = useState(String(props.initial.minutesPerStep ?? 10));
  const [upload, setUpload] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }));
  const err = save.fields;

  async function uploadCover(file: File) {
    setUpload({ busy: true });
    const result = await uploadImage(file);
    if ("url" in result) set("coverImage", result.url);
    setUpload({ busy: false, error: "error" in result ? result.error : undefined });
  }

  return (
    <form
      noValidate
      className="space-y-5"
      onSubmit={(event) => {
        event.preventDefault();
        // An empty or unreadable number is sent as such: the server names the problem.
        const minutesPerStep = minutes.trim() === "" ? Number.NaN : Number(minutes);
        void save.run(
          () => update.mutateAsync({ id: props.id, ...values, minutesPerStep }),
          "Details saved.",
        );
      }}
    >
      <Field id="program-title" label="Title" error={err.title}>
        {(aria) => (
          <input
            {...aria}
            value={values.title}
            onChange={(e) => set("title", e.target.value)}
            className={inputClass(Boolean(err.title))}
          />
        )}
      </Field>
      <Field
        id="program-slug"
        label="Address"
        hint="Lowercase letters, digits and dashes; members see it in the link."
        error={err.slug}
      >
        {(aria) => (
          <input
            {...aria}
            value={values.slug}
            autoCapitalize="none"
            spellCheck={false}
            onChange={(e) => set("slug", e.target.value)}
            className={inputClass(Boolean(err.slug))}
          />
        )}
      </Field>
      <TextAreaField
        id="program-summary"
        label="Summary"
        hint="A few sentences for the catalog."
        error={err.summary}
        rows={3}
        value={values.summary}
        onChange={(summary) => set("summary", summary)}
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <Field id="program-pacing" label="Pacing" error={err.pacing}>
          {(aria) => (
            <select
              {...aria}
              value={values.pacing}
              onChange={(e) => set("pacing", e.target.value as Values["pacing"])}
              className={inputClass(Boolean(err.pacing))}
            >
              <option value="SELF_PACED">Self-paced</option>
              <option value="COHORT_PACED">Cohort-paced (modules unlock on days)</option>
            </select>
          )}
        </Field>
        <Field id="program-access" label="Access" error={err.accessRule}>
          {(aria) => (
            <select
              {...aria}
              value={values.accessRule}
              onChange={(e) => set("accessRule", e.target.value as Values["accessRule"])}
              className={inputClass(Boolean(err.accessRule))}
            >
              <option value="FREE">Free</option>
              <option value="PLANS">Included in membership plans</option>
              <option value="PURCHASE">One-time purchase</option>
            </select>
          )}
        </Field>
      </div>
      <Field
        id="program-minutes"
        label="Minutes per step"
        hint="About how long one step takes; the catalog shows it with the program's length."
        error={err.minutesPerStep}
      >
        {(aria) => (
          <input
            {...aria}
            type="number"
            inputMode="numeric"
            min={1}
            max={240}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            className={`${inputClass(Boolean(err.minutesPerStep))} max-w-32`}
          />
        )}
      </Field>
      <Field
        id="program-cover"
        label="Cover image"
        hint="PNG, JPEG or WebP, up to 2 MB. Saved with the details."
        error={upload.error ?? err.coverImage}
      >
        {(aria) => (
          <div className="space-y-3">
            {values.coverImage && (
              // biome-ignore lint/performance/noImgElement: our own upload, served as is
              <img
                src={values.coverImage}
                alt="Current cover"
                className="aspect-[3/1] w-full max-w-md rounded-xl border border-line object-cover"
              />
            )}
            <div className="flex flex-wrap items-center gap-2">
              <input
                {...aria}
                type="file"
                accept="image/png,image/jpeg,image/webp"
                disabled={upload.busy}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file) void uploadCover(file);
                  e.target.value = "";
                }}
                className="block min-h-11 max-w-full text-sm file:mr-3 file:min-h-11 file:rounded-lg file:border file:border-line file:bg-card file:px-4 file:font-semibold"
              />
              {values.coverImage && (
                <button
                  type="button"
                  className={buttonClass("ghost")}
                  onClick={() => set("coverImage", null)}
                >
                  Remove cover
                </button>
              )}
            </div>
            {upload.busy && (
              <p role="status" className="text-sm text-muted">
                Uploading…
              </p>
            )}
          </div>
        )}
      </Field>
      <SaveStatus ok={save.ok} error={save.error} />
      <button type="submit" className={buttonClass("primary")} disabled={save.busy || upload.busy}>
        {save.busy ? "Saving…" : "Save details"}
      </button>
    </form>
  );
}
