"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { Avatar } from "../ui/Avatar";
import { Field } from "../ui/Field";
import { Notice } from "../ui/Notice";
import { buttonClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";
import { TimeZoneField } from "../ui/TimeZoneInput";
import { uploadImage } from "../ui/upload-image";

type Values = { name: string; timeZone: string; bio: string; image: string | null };

/**
 * The profile: name, picture, a few words and the time zone. `next` makes it the first-sign-in
 * step: it says hello, suggests this device's zone, and goes on to `next` when saved.
 */
export function ProfileForm(props: { initial: Values; email: string; next?: string }) {
  const uid = useId();
  const router = useRouter();
  const [values, setValues] = useState(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [upload, setUpload] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const update = useCall(trpc.me.update.mutate);
  const set = (patch: Partial<Values>) => setValues((v) => ({ ...v, ...patch }));

  async function uploadPicture(file: File) {
    setUpload({ busy: true });
    const result = await uploadImage(file);
    if ("url" in result) set({ image: result.url });
    setUpload({ busy: false, error: "error" in result ? result.error : undefined });
  }

  async function save() {
    setErrors({});
    setSaved(false);
    try {
      const result = await update.mutateAsync(values);
      setValues({
        name: result.name ?? "",
        timeZone: result.timeZone,
        bio: result.bio,
        image: result.image,
      });
      if (props.next) {
        router.push(props.next);
        return;
      }
      setSaved(true);
      router.refresh();
    } catch (error) {
      const { message, fields } = formErrors(error);
      setErrors({ ...fields, form: Object.keys(fields).length ? "" : message });
    }
  }

  return (
    <form
      noValidate
      className="space-y-5"
      aria-label={props.next ? "About you" : "Profile"}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      {errors.form && (
        <Notice tone="danger" role="alert">
          {errors.form}
        </Notice>
      )}
      {saved && (
        <Notice tone="success" role="status">
          Saved.
        </Notice>
      )}
      <div className="text-sm">
        <span className="font-semibold">Email</span>
        <p className="text-muted">{props.email} · never shown to other members</p>
      </div>
      <Field
        id={`${uid}-name`}
        label="Name"
        hint="How your coach and cohort see you."
        error={errors.name}
      >
        {(aria) => (
          <input
            {...aria}
            name="name"
            autoComplete="name"
            value={values.name}
            onChange={(e) => set({ name: e.target.value })}
            className={inputClass(Boolean(errors.name))}
          />
        )}
      </Field>
      <div className="space-y-2">
        <span className="block text-sm font-semibold" id={`${uid}-picture-label`}>
          Picture <span className="font-normal text-muted">(optional)</span>
        </span>
        <div className="flex flex-wrap items-center gap-3">
          <Avatar name={values.name || props.email} image={values.image} size="lg" />
          <label className={buttonClass("secondary")}>
            {upload.busy ? "Uploading…" : values.image ? "Change picture" : "Upload a picture"}
            <input
              type="file"
              accept="image/png,image/jpeg,image/webp"
              className="sr-only"
              aria-describedby={`${uid}-picture-label`}
              disabled={upload.busy}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void uploadPicture(file);
                e.target.value = "";
              }}
            />
          </label>
          {values.image && (
            <button
              type="button"
              className={buttonClass("ghost")}
              onClick={() => set({ image: null })}
            >
              Remove picture
            </button>
          )}
        </div>
        {(upload.error || errors.image) && (
          <p role="alert" className="text-sm font-medium text-danger">
            {upload.error ?? errors.image}
          </p>
        )}
      </div>
      <TextAreaField
        id={`${uid}-bio`}
        label="A few words about you"
        hint="Optional. The people in your cohorts see it."
        error={errors.bio}
        rows={3}
        maxLength={300}
        value={values.bio}
        onChange={(bio) => set({ bio })}
      />
      <TimeZoneField
        id={`${uid}-zone`}
        label="Time zone"
        hint="Start typing a city, for example Europe/Berlin or America/New_York."
        error={errors.timeZone}
        name="timeZone"
        value={values.timeZone}
        onChange={(timeZone) => set({ timeZone })}
      />
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          className={buttonClass("primary")}
          disabled={update.isPending || upload.busy}
        >
          {update.isPending ? "Saving…" : props.next ? "Continue" : "Save profile"}
        </button>
      </div>
    </form>
  );
}
