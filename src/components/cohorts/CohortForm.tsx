"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { SaveStatus } from "../programs-editor/SaveStatus";
import { useSave } from "../programs-editor/useSave";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";
import { TimeZoneField } from "../ui/TimeZoneInput";

type Values = {
  programId: string;
  name: string;
  slug: string;
  startDate: string;
  timeZone: string;
  capacity: string;
  enrolmentOpen: boolean;
};

/**
 * Creates a cohort (with a program picker) or edits one (`cohortId`). Capacity goes to the server
 * as typed, so "abc" or "0" get the server's field message rather than silently becoming 0.
 */
export function CohortForm(props: {
  today: string;
  programs?: { id: string; title: string }[];
  cohortId?: string;
  initial?: Partial<Values>;
  finished?: boolean;
}) {
  const uid = useId();
  const router = useRouter();
  const save = useSave();
  const create = useCall(trpc.cohorts.create.mutate);
  const update = useCall(trpc.cohorts.update.mutate);
  const editing = Boolean(props.cohortId);
  const [v, setV] = useState<Values>({
    programId: props.programs?.[0]?.id ?? "",
    name: "",
    slug: "",
    startDate: props.today,
    timeZone: "UTC",
    capacity: "20",
    enrolmentOpen: true,
    ...props.initial,
  });
  const set = (patch: Partial<Values>) => setV((old) => ({ ...old, ...patch }));
  const capacity = v.capacity.trim() === "" ? Number.NaN : Number(v.capacity);
  const f = save.fields;

  async function submit() {
    if (props.cohortId) {
      await save.run(
        () =>
          update.mutateAsync({
            cohortId: props.cohortId!,
            name: v.name,
            slug: v.slug,
            startDate: v.startDate,
            timeZone: v.timeZone,
            capacity,
            enrolmentOpen: v.enrolmentOpen,
          }),
        "Saved. If the dates changed, members are being told by email.",
      );
      return;
    }
    const made = await save.run(() =>
      create.mutateAsync({
        programId: v.programId,
        name: v.name,
        ...(v.slug.trim() ? { slug: v.slug.trim() } : {}),
        startDate: v.startDate,
        timeZone: v.timeZone,
        capacity,
        enrolmentOpen: v.enrolmentOpen,
      }),
    );
    if (made) router.push(`/coach/cohorts/${made.id}`);
  }

  const summaryError = Object.keys(f).length
    ? "Please correct the highlighted fields."
    : save.error;
  return (
    <form
      noValidate
      className="space-y-4"
      aria-label={editing ? "Cohort settings" : "New cohort"}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset disabled={props.finished} className="space-y-4">
        {props.programs && (
          <Field id={`${uid}-program`} label="Program" error={f.programId}>
            {(aria) => (
              <select
                {...aria}
                value={v.programId}
                onChange={(e) => set({ programId: e.target.value })}
                className={inputClass(Boolean(f.programId))}
              >
                {props.programs!.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field id={`${uid}-name`} label="Name" hint="For example “Spring 2027”." error={f.name}>
          {(aria) => (
            <input
              {...aria}
              maxLength={120}
              value={v.name}
              onChange={(e) => set({ name: e.target.value })}
              className={inputClass(Boolean(f.name))}
            />
          )}
        </Field>
        <Field
          id={`${uid}-slug`}
          label="Address"
          hint={
            editing
              ? "The cohort's page is /app/cohorts/ and this."
              : "Optional: made from the name when empty."
          }
          error={f.slug}
        >
          {(aria) => (
            <input
              {...aria}
              maxLength={80}
              value={v.slug}
              onChange={(e) => set({ slug: e.target.value })}
              className={inputClass(Boolean(f.slug))}
            />
          )}
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id={`${uid}-start`}
            label="Start date"
            hint="Module 1 opens at midnight of this day."
            error={f.startDate}
          >
            {(aria) => (
              <input
                {...aria}
                type="date"
                value={v.startDate}
                onChange={(e) => set({ startDate: e.target.value })}
                className={inputClass(Boolean(f.startDate))}
              />
            )}
          </Field>
          <Field
            id={`${uid}-capacity`}
            label="Seats"
            hint="When they are taken, people join a waitlist."
            error={f.capacity}
          >
            {(aria) => (
              <input
                {...aria}
                type="number"
                inputMode="numeric"
                min={1}
                max={10000}
                value={v.capacity}
                onChange={(e) => set({ capacity: e.target.value })}
                className={inputClass(Boolean(f.capacity))}
              />
            )}
          </Field>
        </div>
        <TimeZoneField
          id={`${uid}-zone`}
          label="The cohort's time zone"
          hint="Modules open at midnight here; each member sees the time in their own zone."
          error={f.timeZone}
          value={v.timeZone}
          onChange={(timeZone) => set({ timeZone })}
        />
        <label className="flex min-h-11 items-center gap-3 text-sm font-semibold">
          <input
            type="checkbox"
            className="size-5 accent-brand"
            checked={v.enrolmentOpen}
            onChange={(e) => set({ enrolmentOpen: e.target.checked })}
          />
          Members can join from the program's page
        </label>
        <SaveStatus ok={save.ok} error={summaryError} />
        <button type="submit" className={buttonClass("primary")} disabled={save.busy}>
          {save.busy ? "Saving…" : editing ? "Save settings" : "Create cohort"}
        </button>
      </fieldset>
    </form>
  );
}
