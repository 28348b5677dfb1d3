"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { Notice } from "../ui/Notice";
import { buttonClass, inputClass } from "../ui/styles";
import { TimeZoneField } from "../ui/TimeZoneInput";

export type PreferenceValues = {
  categories: Record<string, boolean>;
  reminderTime: string;
  reminderDays: number[];
  timeZone: string;
  quietStart: string | null;
  quietEnd: string | null;
  quietUntil: string | null;
};

const WEEKDAYS = [
  [1, "Mon", "Monday"],
  [2, "Tue", "Tuesday"],
  [3, "Wed", "Wednesday"],
  [4, "Thu", "Thursday"],
  [5, "Fri", "Friday"],
  [6, "Sat", "Saturday"],
  [7, "Sun", "Sunday"],
] as const;

/**
 * Which emails a member gets and when. Signed in it saves through `nudges.save`; opened from an
 * email's link (no sign-in) through `nudges.saveWithLink` with that link's token.
 */
export function NudgePreferencesForm(props: {
  initial: PreferenceValues;
  categories: { id: string; label: string; description: string }[];
  token?: string;
}) {
  const uid = useId();
  const router = useRouter();
  const [values, setValues] = useState(props.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useCall(trpc.nudges.save.mutate);
  const saveWithLink = useCall(trpc.nudges.saveWithLink.mutate);
  const pending = save.isPending || saveWithLink.isPending;
  const set = (patch: Partial<PreferenceValues>) => {
    setSaved(false);
    setValues((v) => ({ ...v, ...patch }));
  };
  const error = (name: string) =>
    errors[name] ??
    Object.entries(errors).find(([key]) => key.startsWith(`${name}.`))?.[1] ??
    undefined;

  async function submit() {
    setErrors({});
    setSaved(false);
    try {
      if (props.token) await saveWithLink.mutateAsync({ token: props.token, ...values });
      else await save.mutateAsync(values);
      setSaved(true);
      router.refresh();
    } catch (e) {
      const { message, fields } = formErrors(e);
      setErrors({ ...fields, form: Object.keys(fields).length ? "" : message });
    }
  }

  const quiet = values.quietStart !== null || values.quietEnd !== null;
  return (
    <form
      noValidate
      aria-label="Email preferences"
      className="space-y-6"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {errors.form && (
        <Notice tone="danger" role="alert">
          {errors.form}
        </Notice>
      )}
      {error("categories") && (
        <Notice tone="danger" role="alert">
          {error("categories")}
        </Notice>
      )}
      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-ink">Emails you get</legend>
        {props.categories.map((c) => (
          <div key={c.id} className="flex items-start gap-3">
            <input
              type="checkbox"
              id={`${uid}-category-${c.id}`}
              name={`category-${c.id}`}
              aria-describedby={`${uid}-category-${c.id}-about`}
              className="mt-1 h-4 w-4"
              checked={values.categories[c.id] ?? false}
              onChange={(e) =>
                set({ categories: { ...values.categories, [c.id]: e.target.checked } })
              }
            />
            <div>
              <label htmlFor={`${uid}-category-${c.id}`} className="block font-medium text-ink">
                {c.label}
              </label>
              <p id={`${uid}-category-${c.id}-about`} className="text-sm text-muted">
                {c.description}
              </p>
            </div>
          </div>
        ))}
        <p className="text-sm text-muted">
          Sign-in links, payment problems and changes to a group you are in always come: they are
          not reminders. Kindred never sends more than one reminder a day.
        </p>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`${uid}-time`}
          label="Reminder time"
          hint="Your local time."
          error={error("reminderTime")}
        >
          {(aria) => (
            <input
              {...aria}
              type="time"
              name="reminderTime"
              value={values.reminderTime}
              onChange={(e) => set({ reminderTime: e.target.value })}
              className={inputClass(Boolean(error("reminderTime")))}
            />
          )}
        </Field>
        <TimeZoneField
          id={`${uid}-zone`}
          label="Time zone"
          hint="For example Europe/Berlin."
          error={error("timeZone")}
          name="timeZone"
          value={values.timeZone}
          onChange={(timeZone) => set({ timeZone })}
        />
      </div>

      <fieldset aria-describedby={error("reminderDays") ? `${uid}-days-error` : undefined}>
        <legend className="text-sm font-semibold text-ink">Reminder days</legend>
        <div className="mt-2 flex flex-wrap gap-2">
          {WEEKDAYS.map(([n, short, long]) => (
            <label
              key={n}
              className="flex min-h-11 items-center gap-2 rounded-md border border-line px-3"
            >
              <input
                type="checkbox"
                name="reminderDays"
                value={n}
                aria-label={long}
                checked={values.reminderDays.includes(n)}
                onChange={(e) =>
                  set({
                    reminderDays: e.target.checked
                      ? [...values.reminderDays, n].sort((a, b) => a - b)
                      : values.reminderDays.filter((d) => d !== n),
                  })
                }
              />
              <span aria-hidden="true">{short}</span>
            </label>
          ))}
        </div>
        {error("reminderDays") && (
          <p id={`${uid}-days-error`} className="mt-1 text-sm font-medium text-danger">
            {error("reminderDays")}
          </p>
        )}
        {values.reminderDays.length === 0 && (
          <p className="mt-1 text-sm text-muted">No day chosen: no reflection reminders.</p>
        )}
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-sm font-semibold text-ink">Quiet hours</legend>
        <label className="flex items-center gap-3">
          <input
            type="checkbox"
            name="quiet"
            checked={quiet}
            onChange={(e) =>
              set(
                e.target.checked
                  ? { quietStart: "21:00", quietEnd: "08:00" }
                  : { quietStart: null, quietEnd: null },
              )
            }
          />
          <span>Hold emails during these hours (they arrive when the hours end)</span>
        </label>
        {quiet && (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field id={`${uid}-qs`} label="From" error={error("quietStart")}>
              {(aria) => (
                <input
                  {...aria}
                  type="time"
                  name="quietStart"
                  value={values.quietStart ?? ""}
                  onChange={(e) => set({ quietStart: e.target.value || null })}
                  className={inputClass(Boolean(error("quietStart")))}
                />
              )}
            </Field>
            <Field id={`${uid}-qe`} label="Until" error={error("quietEnd")}>
              {(aria) => (
                <input
                  {...aria}
                  type="time"
                  name="quietEnd"
                  value={values.quietEnd ?? ""}
                  onChange={(e) => set({ quietEnd: e.target.value || null })}
                  className={inputClass(Boolean(error("quietEnd")))}
                />
              )}
            </Field>
          </div>
        )}
      </fieldset>

      <Field
        id={`${uid}-until`}
        label="Quiet weeks"
        hint="No reminders at all until this day (inclusive). Leave empty for none."
        error={error("quietUntil")}
      >
        {(aria) => (
          <input
            {...aria}
            type="date"
            name="quietUntil"
            value={values.quietUntil ?? ""}
            onChange={(e) => set({ quietUntil: e.target.value || null })}
            className={inputClass(Boolean(error("quietUntil")))}
          />
        )}
      </Field>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass("primary")} disabled={pending}>
          {pending ? "Saving…" : "Save preferences"}
        </button>
        {saved && (
          <p role="status" className="text-sm font-medium text-brand">
            Saved.
          </p>
        )}
      </div>
    </form>
  );
}
