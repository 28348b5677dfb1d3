"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { newAttempt } from "@/lib/attempt";
import { PAUSED_RESENDING, sendUntilAnswered } from "@/lib/transient";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { Notice } from "../ui/Notice";
import { buttonClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";
import { type PersonStatus, STATUS_LABEL } from "./StatusChip";

export type PersonValues = {
  name: string;
  circle: string;
  status: PersonStatus;
  why: string;
  lastContactAt: string;
  plannedReachOutAt: string;
};

const EMPTY: PersonValues = {
  name: "",
  circle: "",
  status: "KEEP",
  why: "",
  lastContactAt: "",
  plannedReachOutAt: "",
};

/** Adds a person, or edits one when `personId` is given. Empty dates clear them. */
export function PersonForm(props: {
  personId?: string;
  initial?: PersonValues;
  circles: string[];
  today: string;
}) {
  const router = useRouter();
  const uid = useId();
  const [values, setValues] = useState<PersonValues>(props.initial ?? EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{
    tone: "success" | "danger" | "info";
    text: string;
  } | null>(null);
  const add = useCall(trpc.community.add.mutate);
  const update = useCall(trpc.community.update.mutate);
  // Fields typed in since the last save: an edit sends only these, so a reach-out logged
  // meanwhile (which moves last contact) is never overwritten by a stale value.
  const [dirty, setDirty] = useState<Set<string>>(new Set());
  const set = (patch: Partial<PersonValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setDirty((d) => new Set([...d, ...Object.keys(patch)]));
  };

  // Kindred could not reach its database: the form keeps what was typed and the save is sent
  // again by itself. An edit sends the same values again; an addition carries a request id, so a
  // try that did land does not add the person twice.
  const [sending, setSending] = useState(false);
  const pause = () => setMessage({ tone: "info", text: PAUSED_RESENDING });

  async function save() {
    setErrors({});
    setMessage(null);
    setSending(true);
    const payload = {
      name: values.name,
      circle: values.circle,
      status: values.status,
      why: values.why,
      lastContactAt: values.lastContactAt || null,
      plannedReachOutAt: values.plannedReachOutAt || null,
    };
    try {
      if (props.personId) {
        const changed = Object.fromEntries(Object.entries(payload).filter(([k]) => dirty.has(k)));
        const input = { id: props.personId, ...changed };
        await sendUntilAnswered(() => update.mutateAsync(input), pause);
        setDirty(new Set());
        setMessage({ tone: "success", text: "Saved." });
      } else {
        const input = { ...payload, requestId: newAttempt() };
        await sendUntilAnswered(() => add.mutateAsync(input), pause);
        setValues({ ...EMPTY, circle: values.circle });
        setMessage({ tone: "success", text: `${values.name.trim()} is on your map.` });
      }
      router.refresh();
    } catch (error) {
      const { message: text, fields } = formErrors(error);
      setErrors(fields);
      setMessage({ tone: "danger", text });
    } finally {
      setSending(false);
    }
  }

  const id = (name: string) => `${uid}-${name}`;
  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {message && (
        <Notice tone={message.tone} role={message.tone === "danger" ? "alert" : "status"}>
          {message.text}
        </Notice>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={id("name")} label="Name" error={errors.name}>
          {(aria) => (
            <input
              {...aria}
              value={values.name}
              maxLength={100}
              autoComplete="off"
              onChange={(e) => set({ name: e.target.value })}
              className={inputClass(Boolean(errors.name))}
            />
          )}
        </Field>
        <Field id={id("circle")} label="Circle" hint="Friends, work, family…" error={errors.circle}>
          {(aria) => (
            <>
              <input
                {...aria}
                value={values.circle}
                maxLength={40}
                list={id("circles")}
                autoComplete="off"
                onChange={(e) => set({ circle: e.target.value })}
                className={inputClass(Boolean(errors.circle))}
              />
              <datalist id={id("circles")}>
                {props.circles.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-semibold text-ink">What you want with them</legend>
        <div className="mt-2 flex flex-wrap gap-2">
          {(Object.keys(STATUS_LABEL) as PersonStatus[]).map((s) => (
            <label
              key={s}
              className="flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border border-line bg-white px-3 has-[:checked]:border-brand has-[:checked]:bg-brand-soft"
            >
              <input
                type="radio"
                name={id("status")}
                value={s}
                checked={values.status === s}
                onChange={() => set({ status: s })}
                className="h-4 w-4 accent-brand"
              />
              <span className="text-sm">{STATUS_LABEL[s]}</span>
            </label>
          ))}
        </div>
        {errors.status && <p className="mt-1 text-sm font-medium text-danger">{errors.status}</p>}
      </fieldset>
      <TextAreaField
        id={id("why")}
        label="Why"
        hint="Optional. What they mean to you."
        error={errors.why}
        rows={3}
        maxLength={2000}
        value={values.why}
        onChange={(why) => set({ why })}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={id("last")} label="Last contact" hint="Optional." error={errors.lastContactAt}>
          {(aria) => (
            <input
              {...aria}
              type="date"
              max={props.today}
              value={values.lastContactAt}
              onChange={(e) => set({ lastContactAt: e.target.value })}
              className={inputClass(Boolean(errors.lastContactAt))}
            />
          )}
        </Field>
        <Field
          id={id("planned")}
          label="Plan to reach out on"
          hint="Optional. It shows on your Today page."
          error={errors.plannedReachOutAt}
        >
          {(aria) => (
            <input
              {...aria}
              type="date"
              value={values.plannedReachOutAt}
              onChange={(e) => set({ plannedReachOutAt: e.target.value })}
              className={inputClass(Boolean(errors.plannedReachOutAt))}
            />
          )}
        </Field>
      </div>
      <button type="submit" className={buttonClass("primary")} disabled={sending}>
        {message?.text === PAUSED_RESENDING
          ? "Waiting to save…"
          : sending
            ? "Saving…"
            : props.personId
              ? "Save changes"
              : "Add to my map"}
      </button>
    </form>
  );
}
