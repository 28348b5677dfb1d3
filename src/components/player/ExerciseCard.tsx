"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { newAttempt } from "@/lib/attempt";
import { formatDate } from "@/lib/format-date";
import { formErrors } from "@/lib/trpc-errors";
import type { ExerciseView } from "@/server/player/step";
import { trpc, useCall } from "../providers/trpc-client";
import { Notice } from "../ui/Notice";
import { buttonClass, cardClass } from "../ui/styles";
import { AnswerFields } from "./AnswerFields";
import { emptyContent, toSubmit } from "./content";
import { PassContent } from "./PassContent";
import { SaveStatus } from "./SaveStatus";
import { useDraft } from "./useDraft";

const KIND_LABEL: Record<ExerciseView["kind"], string> = {
  REFLECTION: "Reflection",
  LENSES: "Through several lenses",
  SCALE: "Self-rating",
  PEOPLE: "Your people",
  COMMITMENT: "Commitment",
  PRACTICE: "Practices",
};

type Done = { passNumber: number; nextDueAt: Date | null };

/** One exercise: its answer form with autosave, submitting a pass, and the member's own passes. */
export function ExerciseCard(props: {
  exercise: ExerciseView;
  canAnswer: boolean;
  timeZone: string;
}) {
  const ex = props.exercise;
  const router = useRouter();
  const submit = useCall(trpc.player.submit.mutate);
  const [empty] = useState(() => () => emptyContent(ex));
  const draft = useDraft(ex.id, ex.draft, empty, props.canAnswer);
  const [answering, setAnswering] = useState(ex.passes.length === 0 || Boolean(ex.draft));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const day = (d: Date | string) => formatDate(d, props.timeZone, "long");

  const [last, ...earlier] = ex.passes;
  const due = ex.revisit.canAnswerAgain;
  const showForm = props.canAnswer && due && answering;
  const headingId = `ex-${ex.id}`;

  async function send() {
    setErrors({});
    setMessage(null);
    // One id for this press and every retry of it that autosave sends by itself during an
    // outage: the server returns the pass a try already recorded instead of a second one.
    const submissionId = newAttempt();
    const result = await draft.submit((content) =>
      submit.mutateAsync({ exerciseId: ex.id, content: toSubmit(ex.kind, content), submissionId }),
    );
    if (result.status === "submitted") {
      setDone({ passNumber: result.value.passNumber, nextDueAt: result.value.nextDueAt });
      setAnswering(false);
      router.refresh();
    } else if (result.status === "failed") {
      const { message, fields } = formErrors(result.error);
      setErrors(fields);
      setMessage(message);
    }
  }

  return (
    <section aria-labelledby={headingId} className={cardClass}>
      <p className="text-xs font-semibold uppercase tracking-wide text-brand-dark">
        {KIND_LABEL[ex.kind]}
      </p>
      <h2 id={headingId} className="mt-1 font-serif text-xl whitespace-pre-wrap">
        {ex.prompt}
      </h2>

      {done && (
        <div className="mt-4">
          <Notice tone="success" role="status">
            Answered — pass {done.passNumber}.
            {done.nextDueAt && ` You can answer again on ${day(done.nextDueAt)}.`}
          </Notice>
        </div>
      )}

      {last && (
        <div className="mt-4 rounded-xl bg-paper p-4">
          <p className="mb-2 text-sm text-muted">
            {showForm ? "Your previous answer" : "Your answer"} — pass {last.passNumber},{" "}
            {day(last.createdAt)}
          </p>
          <PassContent kind={ex.kind} content={last.content} snapshot={last.promptSnapshot} />
          {earlier.length > 0 && (
            <details className="mt-3">
              <summary className="cursor-pointer text-sm font-semibold text-brand">
                Earlier passes ({ex.passCount - 1})
              </summary>
              <ol className="mt-2 space-y-3">
                {earlier.map((p) => (
                  <li key={p.id} className="border-t border-line pt-2">
                    <p className="text-sm text-muted">
                      Pass {p.passNumber}, {day(p.createdAt)}
                    </p>
                    <PassContent kind={ex.kind} content={p.content} snapshot={p.promptSnapshot} />
                  </li>
                ))}
              </ol>
              {ex.passCount > ex.passes.length && (
                <p className="mt-3 text-sm">
                  <a href={`/app/journal/${ex.id}`} className="font-semibold text-brand underline">
                    All {ex.passCount} passes in your journal
                  </a>
                </p>
              )}
            </details>
          )}
        </div>
      )}

      {!props.canAnswer && ex.passes.length === 0 && (
        <p className="mt-4 text-sm text-muted">Not answered.</p>
      )}

      {props.canAnswer && last && !showForm && (
        <div className="mt-4 flex flex-wrap items-center gap-3">
          {due ? (
            <button
              type="button"
              className={buttonClass("secondary")}
              onClick={() => setAnswering(true)}
            >
              Answer again
            </button>
          ) : done ? null : (
            <p className="text-sm text-muted">
              {ex.revisit.nextDueAt
                ? `You can answer again on ${day(ex.revisit.nextDueAt)}.`
                : "Answered. It stays in your journal."}
            </p>
          )}
        </div>
      )}

      {showForm && (
        <form
          noValidate
          className="mt-5 space-y-4"
          aria-labelledby={headingId}
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          {message && (
            <Notice tone="danger" role="alert">
              {message}
            </Notice>
          )}
          {draft.status === "conflict" && (
            <Notice tone="warn" role="alert">
              <p>This answer was changed in another tab. Load that version to go on.</p>
              <button
                type="button"
                className={`${buttonClass("secondary")} mt-2`}
                onClick={() => void draft.loadLatest()}
              >
                Reload the saved answer
              </button>
              {draft.conflictCopy && (
                <details className="mt-2">
                  <summary className="cursor-pointer">What you typed in this tab</summary>
                  <div className="mt-2">
                    <PassContent kind={ex.kind} content={draft.conflictCopy} />
                  </div>
                </details>
              )}
            </Notice>
          )}
          <AnswerFields
            exercise={ex}
            value={draft.content}
            onChange={draft.change}
            errors={errors}
            disabled={draft.submitting}
            answeredBefore={ex.passCount > 0}
          />
          <div className="flex flex-wrap items-center justify-between gap-3">
            <SaveStatus status={draft.status} error={draft.error} submitting={draft.submitting} />
            <div className="flex flex-wrap gap-2">
              {last && (
                <button
                  type="button"
                  className={buttonClass("ghost")}
                  onClick={() => setAnswering(false)}
                >
                  Not now
                </button>
              )}
              <button
                type="submit"
                className={buttonClass("primary")}
                disabled={draft.submitting || draft.status === "conflict"}
              >
                {!draft.submitting
                  ? "Submit answer"
                  : draft.status === "paused" || draft.status === "offline"
                    ? "Waiting to submit…"
                    : "Submitting…"}
              </button>
            </div>
          </div>
          {ex.revisitAfterDays && (
            <p className="text-sm text-muted">
              You will be asked to answer this again {ex.revisitAfterDays} days after you submit.
            </p>
          )}
        </form>
      )}
    </section>
  );
}
