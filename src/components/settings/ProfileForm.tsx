"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { Notice } from "../ui/Notice";
import { buttonClass, inputClass } from "../ui/styles";

type Values = { name: string; timeZone: string };

export function ProfileForm(props: { initial: Values; email: string; zones: string[] }) {
  const router = useRouter();
  const [values, setValues] = useState(props.initial);
  const [errors, setErrors] = useState<Partial<Values> & { form?: string }>({});
  const [saved, setSaved] = useState(false);
  const update = useCall(trpc.me.update.mutate);

  async function save() {
    setErrors({});
    setSaved(false);
    try {
      const result = await update.mutateAsync(values);
      setValues({ name: result.name ?? "", timeZone: result.timeZone });
      setSaved(true);
      router.refresh();
    } catch (error) {
      const { message, fields } = formErrors(error);
      setErrors({ name: fields.name, timeZone: fields.timeZone, form: message });
    }
  }

  return (
    <form
      noValidate
      className="space-y-5"
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
        <p className="text-muted">{props.email}</p>
      </div>
      <Field id="name" label="Name" hint="How your coach and cohort see you." error={errors.name}>
        {(aria) => (
          <input
            {...aria}
            name="name"
            autoComplete="name"
            value={values.name}
            onChange={(e) => setValues({ ...values, name: e.target.value })}
            className={inputClass(Boolean(errors.name))}
          />
        )}
      </Field>
      <Field
        id="timeZone"
        label="Time zone"
        hint="Start typing a city, for example Europe/Berlin or America/New_York."
        error={errors.timeZone}
      >
        {(aria) => (
          <>
            <input
              {...aria}
              name="timeZone"
              list="time-zones"
              autoComplete="off"
              value={values.timeZone}
              onChange={(e) => setValues({ ...values, timeZone: e.target.value })}
              className={inputClass(Boolean(errors.timeZone))}
            />
            <datalist id="time-zones">
              {props.zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass("primary")} disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save profile"}
        </button>
        <button
          type="button"
          className={buttonClass("ghost")}
          onClick={() =>
            setValues({ ...values, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone })
          }
        >
          Use this device’s time zone
        </button>
      </div>
    </form>
  );
}
