"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { newAttempt } from "@/lib/attempt";
import { sendUntilAnswered } from "@/lib/transient";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { PausedNote } from "../ui/PausedNote";
import { buttonClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";

/** "I reached out": opens a short note (and an optional earlier date), then logs it. */
export function ReachOutForm(props: { personId: string; name: string; today: string }) {
  const router = useRouter();
  const uid = useId();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [at, setAt] = useState(props.today);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState("");
  // Kindred could not reach its database: the note stays in the form and the entry is sent again
  // by itself, with the same request id, so a try that did land is not logged twice.
  const [paused, setPaused] = useState(false);
  const [sending, setSending] = useState(false);
  const log = useCall(trpc.community.logReachOut.mutate);

  async function save() {
    setErrors({});
    setStatus("");
    setPaused(false);
    setSending(true);
    const input = { personId: props.personId, note, at, requestId: newAttempt() };
    try {
      await sendUntilAnswered(
        () => log.mutateAsync(input),
        () => setPaused(true),
      );
      setPaused(false);
      setOpen(false);
      setNote("");
      setStatus(`Logged. Nice one.`);
      router.refresh();
    } catch (error) {
      setPaused(false);
      const { message, fields } = formErrors(error);
      setErrors({ ...fields, form: fields.note || fields.at ? "" : message });
    } finally {
      setSending(false);
    }
  }

  if (!open) {
    return (
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={buttonClass("secondary")} onClick={() => setOpen(true)}>
          I reached out<span className="sr-only"> to {props.name}</span>
        </button>
        <span role="status" className="text-sm text-brand-dark">
          {status}
        </span>
      </div>
    );
  }
  return (
    <form
      noValidate
      className="w-full space-y-3 rounded-xl border border-line bg-paper p-3"
      aria-label={`Log a reach-out to ${props.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <TextAreaField
        id={`${uid}-note`}
        label="How did it go?"
        hint="Optional, just for you."
        error={errors.note}
        rows={2}
        maxLength={2000}
        value={note}
        onChange={setNote}
      />
      <Field id={`${uid}-at`} label="When" error={errors.at}>
        {(aria) => (
          <input
            {...aria}
            type="date"
            max={props.today}
            value={at}
            onChange={(e) => setAt(e.target.value)}
            className={`${inputClass(Boolean(errors.at))} sm:max-w-48`}
          />
        )}
      </Field>
      {errors.form && (
        <p role="alert" className="text-sm font-medium text-danger">
          {errors.form}
        </p>
      )}
      {paused && <PausedNote />}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass("primary")} disabled={sending}>
          {paused ? "Waiting to save…" : sending ? "Saving…" : "Log it"}
        </button>
        <button type="button" className={buttonClass("ghost")} onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
