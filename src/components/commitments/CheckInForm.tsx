"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { newAttempt } from "@/lib/attempt";
import { sendUntilAnswered } from "@/lib/transient";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { PausedNote } from "../ui/PausedNote";
import { buttonClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";

type Outcome = "DONE" | "NOT_YET" | "CHANGED";
const OUTCOMES: { value: Outcome; label: string }[] = [
  { value: "DONE", label: "Done" },
  { value: "NOT_YET", label: "Not yet" },
  { value: "CHANGED", label: "Changed" },
];

/** Check in on a commitment: done / not yet (maybe a new day) / changed (maybe new words). */
export function CheckInForm(props: { id: string; text: string; today: string; compact?: boolean }) {
  const router = useRouter();
  const uid = useId();
  const [open, setOpen] = useState(!props.compact);
  const [outcome, setOutcome] = useState<Outcome>("DONE");
  const [note, setNote] = useState("");
  const [newDueOn, setNewDueOn] = useState("");
  const [newText, setNewText] = useState(props.text);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState("");
  // Kindred could not reach its database: the form stays as filled in and the check-in is sent
  // again by itself, with the same request id, so a try that did land is not recorded twice.
  const [paused, setPaused] = useState(false);
  const [sending, setSending] = useState(false);
  const request = useRef<string | null>(null);
  const checkIn = useCall(trpc.commitments.checkIn.mutate);

  async function save() {
    setErrors({});
    setStatus("");
    setPaused(false);
    setSending(true);
    request.current ??= newAttempt();
    const input = {
      id: props.id,
      outcome,
      note,
      newDueOn: outcome !== "DONE" && newDueOn ? newDueOn : undefined,
      newText: outcome === "CHANGED" && newText.trim() !== props.text ? newText : undefined,
      requestId: request.current,
    };
    try {
      await sendUntilAnswered(
        () => checkIn.mutateAsync(input),
        () => setPaused(true),
      );
      request.current = null;
      setPaused(false);
      setNote("");
      setStatus(outcome === "DONE" ? "Well done." : "Checked in.");
      if (props.compact) setOpen(false);
      router.refresh();
    } catch (error) {
      // Refused (nothing recorded): the next press is a new request.
      request.current = null;
      setPaused(false);
      const { message, fields } = formErrors(error);
      setErrors({ ...fields, form: Object.keys(fields).length ? "" : message });
    } finally {
      setSending(false);
    }
  }

  if (!open) {
    return (
      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={buttonClass("secondary")} onClick={() => setOpen(true)}>
          Check in<span className="sr-only">: {props.text}</span>
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
      aria-label={`Check in: ${props.text}`}
      className="space-y-3 rounded-xl border border-line bg-paper p-3"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset>
        <legend className="text-sm font-semibold text-ink">How did it go?</legend>
        <div className="mt-2 flex flex-wrap gap-2">
          {OUTCOMES.map((o) => (
            <label
              key={o.value}
              className="flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border border-line bg-white px-3 has-[:checked]:border-brand has-[:checked]:bg-brand-soft"
            >
              <input
                type="radio"
                name={`${uid}-outcome`}
                value={o.value}
                checked={outcome === o.value}
                onChange={() => setOutcome(o.value)}
                className="h-4 w-4 accent-brand"
              />
              <span className="text-sm">{o.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {outcome === "CHANGED" && (
        <TextAreaField
          id={`${uid}-text`}
          label="The commitment now"
          error={errors.newText}
          rows={2}
          maxLength={1000}
          value={newText}
          onChange={setNewText}
        />
      )}
      {outcome !== "DONE" && (
        <Field id={`${uid}-due`} label="New day" hint="Optional." error={errors.newDueOn}>
          {(aria) => (
            <input
              {...aria}
              type="date"
              min={props.today}
              value={newDueOn}
              onChange={(e) => setNewDueOn(e.target.value)}
              className={`${inputClass(Boolean(errors.newDueOn))} sm:max-w-48`}
            />
          )}
        </Field>
      )}
      <TextAreaField
        id={`${uid}-note`}
        label="Note"
        hint="Optional, just for you."
        error={errors.note}
        rows={2}
        maxLength={2000}
        value={note}
        onChange={setNote}
      />
      {errors.form && (
        <p role="alert" className="text-sm font-medium text-danger">
          {errors.form}
        </p>
      )}
      {paused && <PausedNote />}
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={buttonClass("primary")} disabled={sending}>
          {paused ? "Waiting to save…" : sending ? "Saving…" : "Save check-in"}
        </button>
        {props.compact && (
          <button type="button" className={buttonClass("ghost")} onClick={() => setOpen(false)}>
            Cancel
          </button>
        )}
        <span role="status" className="text-sm text-brand-dark">
          {status}
        </span>
      </div>
    </form>
  );
}
