"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { SaveStatus } from "../programs-editor/SaveStatus";
import { useSave } from "../programs-editor/useSave";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";

/** The invite link: shown to copy, replaced with a new one, or revoked. */
export function InvitePanel(props: { cohortId: string; url: string | null; finished: boolean }) {
  const save = useSave();
  const make = useCall(trpc.cohorts.createInvite.mutate);
  const revoke = useCall(trpc.cohorts.revokeInvite.mutate);
  const [copied, setCopied] = useState("");
  const uid = useId();
  if (props.finished) return <p className="text-sm text-muted">This cohort has finished.</p>;
  return (
    <div className="space-y-3">
      {props.url ? (
        <>
          <label htmlFor={`${uid}-link`} className="block text-sm font-semibold">
            Invite link
          </label>
          <input id={`${uid}-link`} readOnly value={props.url} className={inputClass()} />
          <p className="text-sm text-muted">
            Anyone with this link can join, even while enrolment is closed, as long as seats are
            left (then they join the waitlist).
          </p>
        </>
      ) : (
        <p className="text-sm text-muted">No invite link yet.</p>
      )}
      <div className="flex flex-wrap gap-2">
        {props.url && (
          <button
            type="button"
            className={buttonClass("secondary")}
            onClick={async () => {
              try {
                await navigator.clipboard.writeText(props.url!);
                setCopied("Copied.");
              } catch {
                setCopied("Select the link and copy it.");
              }
            }}
          >
            Copy link
          </button>
        )}
        <button
          type="button"
          className={buttonClass(props.url ? "ghost" : "primary")}
          disabled={save.busy}
          onClick={() =>
            save.run(
              () => make.mutateAsync({ cohortId: props.cohortId }),
              props.url ? "A new link replaced the old one." : "Link made.",
            )
          }
        >
          {props.url ? "Make a new link" : "Make an invite link"}
        </button>
        {props.url && (
          <button
            type="button"
            className={buttonClass("danger")}
            disabled={save.busy}
            onClick={() =>
              save.run(() => revoke.mutateAsync({ cohortId: props.cohortId }), "Link revoked.")
            }
          >
            Revoke link
          </button>
        )}
      </div>
      <SaveStatus ok={copied || save.ok} error={save.error} />
    </div>
  );
}

/** Adds a coach by email; each facilitator can be removed. Only for the program's author. */
export function FacilitatorForm(props: { cohortId: string }) {
  const uid = useId();
  const save = useSave();
  const add = useCall(trpc.cohorts.addFacilitator.mutate);
  const [email, setEmail] = useState("");
  return (
    <form
      noValidate
      className="space-y-3"
      aria-label="Add a facilitator"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = await save.run(
          () => add.mutateAsync({ cohortId: props.cohortId, email }),
          "Added.",
        );
        if (ok) setEmail("");
      }}
    >
      <Field id={`${uid}-email`} label="Coach's email" error={save.fields.email}>
        {(aria) => (
          <input
            {...aria}
            type="email"
            autoComplete="off"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            className={inputClass(Boolean(save.fields.email))}
          />
        )}
      </Field>
      <SaveStatus ok={save.ok} error={save.fields.email ? undefined : save.error} />
      <button type="submit" className={buttonClass("secondary")} disabled={save.busy}>
        Add facilitator
      </button>
    </form>
  );
}

/**
 * A button that asks once before it acts (remove a member, a facilitator, finish a cohort, leave),
 * then runs the mutation and refreshes the page.
 */
export function ConfirmButton(props: {
  label: string;
  confirm: string;
  busyLabel: string;
  action:
    | { kind: "removeMember" | "removeFacilitator"; cohortId: string; userId: string }
    | { kind: "close" | "leave"; cohortId: string };
  then?: string;
  variant?: "danger" | "ghost" | "secondary";
}) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  async function run() {
    setBusy(true);
    setError("");
    try {
      const a = props.action;
      if (a.kind === "removeMember") await trpc.cohorts.removeMember.mutate(a);
      else if (a.kind === "removeFacilitator") await trpc.cohorts.removeFacilitator.mutate(a);
      else if (a.kind === "close") await trpc.cohorts.close.mutate({ cohortId: a.cohortId });
      else await trpc.cohorts.leave.mutate({ cohortId: a.cohortId });
      setAsking(false);
      if (props.then) router.push(props.then);
      router.refresh();
    } catch (e) {
      setError(formErrors(e).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      {asking ? (
        <>
          <span className="text-sm">{props.confirm}</span>
          <button
            type="button"
            className={buttonClass("danger")}
            disabled={busy}
            onClick={() => void run()}
          >
            {busy ? props.busyLabel : "Yes"}
          </button>
          <button type="button" className={buttonClass("ghost")} onClick={() => setAsking(false)}>
            No
          </button>
        </>
      ) : (
        <button
          type="button"
          className={buttonClass(props.variant ?? "ghost")}
          onClick={() => setAsking(true)}
        >
          {props.label}
        </button>
      )}
      {error && (
        <span role="alert" className="text-sm font-medium text-danger">
          {error}
        </span>
      )}
    </span>
  );
}

/** Joins from the program page or an invite link, then opens the cohort's page. */
export function JoinButton(props: {
  cohortId?: string;
  token?: string;
  name: string;
  full: boolean;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  return (
    <span className="inline-flex flex-wrap items-center gap-3">
      <button
        type="button"
        className={buttonClass("primary")}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError("");
          try {
            const r = props.token
              ? await trpc.cohorts.joinByInvite.mutate({ token: props.token })
              : await trpc.cohorts.join.mutate({ cohortId: props.cohortId! });
            // The cohort's page says where they stand: the schedule, or their place in line.
            setMessage(
              r.status === "ACTIVE"
                ? "You are in."
                : `You are number ${r.position} on the waitlist.`,
            );
            router.push(`/app/cohorts/${r.slug}`);
          } catch (e) {
            setError(formErrors(e).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? "Joining…" : props.full ? "Join the waitlist" : "Join"}
        <span className="sr-only"> {props.name}</span>
      </button>
      <span role="status" className="text-sm text-brand-dark">
        {message}
      </span>
      {error && (
        <span role="alert" className="text-sm font-medium text-danger">
          {error}
        </span>
      )}
    </span>
  );
}

/** A kind email to one member, at most one a day; a second click says it was already sent. */
export function NudgeButton(props: {
  cohortId: string;
  userId: string;
  name: string;
  nudgedToday: boolean;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(props.nudgedToday ? "Nudged today" : "");
  const [error, setError] = useState("");
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={buttonClass("secondary")}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError("");
          try {
            const r = await trpc.cohorts.nudge.mutate({
              cohortId: props.cohortId,
              userId: props.userId,
            });
            setDone(r.sent ? "Nudge sent" : (r.reason ?? "Already nudged today"));
            router.refresh();
          } catch (e) {
            setError(formErrors(e).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        Nudge<span className="sr-only"> {props.name}</span>
      </button>
      <span role="status" className="text-xs text-muted">
        {done}
      </span>
      {error && (
        <span role="alert" className="text-xs text-danger">
          {error}
        </span>
      )}
    </span>
  );
}
