"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";

/**
 * Shares one pass into the member's cohort space, after an explicit "yes" (a ticked box), or
 * takes it back. Nothing leaves the journal until the box is ticked and the button pressed.
 */
export function ShareWithCohort(props: {
  passId: string;
  passNumber: number;
  cohort: { id: string; name: string } | null;
  post: { id: string; cohort: { name: string; slug: string } } | null;
}) {
  const uid = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState("");
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError("");
    setFields({});
    try {
      await action();
      setOpen(false);
      router.refresh();
    } catch (e) {
      const f = formErrors(e);
      setFields(f.fields);
      setError(Object.keys(f.fields).length ? "" : f.message);
    } finally {
      setBusy(false);
    }
  }

  if (props.post) {
    return (
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className="rounded-full bg-brand-soft px-3 py-1 font-medium text-brand-dark">
          Shared in{" "}
          <a href={`/app/cohorts/${props.post.cohort.slug}`} className="underline">
            {props.post.cohort.name}
          </a>
        </span>
        <button
          type="button"
          className={buttonClass("secondary")}
          disabled={busy}
          onClick={() => run(() => trpc.cohorts.deletePost.mutate({ postId: props.post!.id }))}
        >
          {busy ? "Taking it back…" : `Take pass ${props.passNumber} back from the cohort`}
        </button>
        {error && (
          <span role="alert" className="text-danger">
            {error}
          </span>
        )}
      </div>
    );
  }
  if (!props.cohort) return null;
  if (!open) {
    return (
      <button type="button" className={buttonClass("secondary")} onClick={() => setOpen(true)}>
        Share pass {props.passNumber} with {props.cohort.name}…
      </button>
    );
  }
  return (
    <form
      noValidate
      aria-label={`Share pass ${props.passNumber} with ${props.cohort.name}`}
      className="space-y-3 rounded-xl border border-line p-3"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() =>
          trpc.cohorts.shareAnswer.mutate({
            cohortId: props.cohort!.id,
            passId: props.passId,
            note,
            consent: consent as true,
          }),
        );
      }}
    >
      <TextAreaField
        id={`${uid}-note`}
        label="A note for the group"
        hint="Optional."
        error={fields.note}
        rows={2}
        maxLength={1000}
        value={note}
        onChange={setNote}
      />
      <div>
        <label className="flex min-h-11 items-center gap-3 text-sm">
          <input
            type="checkbox"
            className="size-5 accent-brand"
            checked={consent}
            aria-invalid={fields.consent ? true : undefined}
            aria-describedby={fields.consent ? `${uid}-consent-error` : undefined}
            onChange={(e) => setConsent(e.target.checked)}
          />
          Everyone in {props.cohort.name} may read this answer, as it is now.
        </label>
        {fields.consent && (
          <p id={`${uid}-consent-error`} className="text-sm font-medium text-danger">
            {fields.consent}
          </p>
        )}
      </div>
      {error && (
        <p role="alert" className="text-sm font-medium text-danger">
          {error}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass("primary")} disabled={busy}>
          {busy ? "Sharing…" : "Share"}
        </button>
        <button type="button" className={buttonClass("ghost")} onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
