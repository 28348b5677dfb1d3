"use client";

import { useId, useState } from "react";
import { SaveStatus } from "../programs-editor/SaveStatus";
import { useSave } from "../programs-editor/useSave";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";

const EMPTY = { email: "", programId: "", expiresOn: "", reason: "" };

/** Gives a member access without paying: to one program or all, until a day or for good. */
export function CompForm(props: { programs: { id: string; title: string }[]; today: string }) {
  const uid = useId();
  const save = useSave();
  const grant = useCall(trpc.billing.admin.grantComp.mutate);
  const [v, setV] = useState(EMPTY);
  const set = (patch: Partial<typeof EMPTY>) => setV((old) => ({ ...old, ...patch }));
  const f = save.fields;

  async function submit() {
    const done = await save.run(
      () =>
        grant.mutateAsync({
          email: v.email,
          programId: v.programId || null,
          expiresOn: v.expiresOn || null,
          reason: v.reason,
        }),
      `Access granted to ${v.email.trim()}.`,
    );
    if (done) setV(EMPTY);
  }

  return (
    <form
      noValidate
      aria-label="Grant free access"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          id={`${uid}-email`}
          label="Member's email"
          hint="They must have signed in once."
          error={f.email}
        >
          {(aria) => (
            <input
              {...aria}
              type="email"
              autoComplete="off"
              maxLength={254}
              value={v.email}
              onChange={(e) => set({ email: e.target.value })}
              className={inputClass(Boolean(f.email))}
            />
          )}
        </Field>
        <Field id={`${uid}-program`} label="Access to" error={f.programId}>
          {(aria) => (
            <select
              {...aria}
              value={v.programId}
              onChange={(e) => set({ programId: e.target.value })}
              className={inputClass(Boolean(f.programId))}
            >
              <option value="">All programs</option>
              {props.programs.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id={`${uid}-ends`}
          label="Ends on (optional)"
          hint="Access ends at the end of this day (UTC). Empty: until revoked."
          error={f.expiresOn}
        >
          {(aria) => (
            <input
              {...aria}
              type="date"
              min={props.today}
              value={v.expiresOn}
              onChange={(e) => set({ expiresOn: e.target.value })}
              className={inputClass(Boolean(f.expiresOn))}
            />
          )}
        </Field>
        <Field
          id={`${uid}-reason`}
          label="Reason (optional)"
          hint="For the audit log, like “scholarship” or “speaker”."
          error={f.reason}
        >
          {(aria) => (
            <input
              {...aria}
              maxLength={300}
              value={v.reason}
              onChange={(e) => set({ reason: e.target.value })}
              className={inputClass(Boolean(f.reason))}
            />
          )}
        </Field>
      </div>
      <SaveStatus
        ok={save.ok}
        error={Object.keys(f).length ? "Please correct the highlighted fields." : save.error}
      />
      <button type="submit" className={buttonClass("primary")} disabled={save.busy}>
        {save.busy ? "Granting…" : "Grant access"}
      </button>
    </form>
  );
}
