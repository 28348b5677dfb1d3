"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";

type Values = { title: string; date: string; time: string; duration: string; joinUrl: string };

/** Adds a live session (date and time in the cohort's zone), or edits one (`sessionId`). */
export function SessionForm(props: {
  cohortId: string;
  zone: string;
  today: string;
  sessionId?: string;
  initial?: Values;
  onDone?: () => void;
}) {
  const uid = useId();
  const router = useRouter();
  const [v, setV] = useState<Values>(
    props.initial ?? { title: "", date: props.today, time: "19:00", duration: "60", joinUrl: "" },
  );
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState("");
  const [ok, setOk] = useState("");
  const set = (patch: Partial<Values>) => setV((old) => ({ ...old, ...patch }));
  async function submit() {
    setBusy(true);
    setFields({});
    setError("");
    setOk("");
    const body = {
      title: v.title,
      date: v.date,
      time: v.time,
      durationMinutes: v.duration.trim() === "" ? Number.NaN : Number(v.duration),
      joinUrl: v.joinUrl,
    };
    try {
      if (props.sessionId)
        await trpc.cohorts.updateSession.mutate({ sessionId: props.sessionId, ...body });
      else await trpc.cohorts.addSession.mutate({ cohortId: props.cohortId, ...body });
      if (!props.sessionId) set({ title: "", joinUrl: "" });
      setOk(
        props.sessionId ? "Saved. Subscribed calendars update on their next refresh." : "Added.",
      );
      router.refresh();
      props.onDone?.();
    } catch (e) {
      const f = formErrors(e);
      setFields(f.fields);
      setError(Object.keys(f.fields).length ? "Please correct the highlighted fields." : f.message);
    } finally {
      setBusy(false);
    }
  }
  const field = (key: keyof Values | "durationMinutes") => fields[key];
  return (
    <form
      noValidate
      aria-label={props.sessionId ? "Edit the session" : "Add a live session"}
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Field id={`${uid}-title`} label="Title" error={field("title")}>
        {(aria) => (
          <input
            {...aria}
            maxLength={120}
            value={v.title}
            onChange={(e) => set({ title: e.target.value })}
            className={inputClass(Boolean(field("title")))}
          />
        )}
      </Field>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id={`${uid}-date`} label="Date" error={field("date")}>
          {(aria) => (
            <input
              {...aria}
              type="date"
              value={v.date}
              onChange={(e) => set({ date: e.target.value })}
              className={inputClass(Boolean(field("date")))}
            />
          )}
        </Field>
        <Field id={`${uid}-time`} label={`Time (${props.zone})`} error={field("time")}>
          {(aria) => (
            <input
              {...aria}
              type="time"
              value={v.time}
              onChange={(e) => set({ time: e.target.value })}
              className={inputClass(Boolean(field("time")))}
            />
          )}
        </Field>
        <Field id={`${uid}-duration`} label="Minutes" error={field("durationMinutes")}>
          {(aria) => (
            <input
              {...aria}
              type="number"
              inputMode="numeric"
              min={5}
              max={600}
              value={v.duration}
              onChange={(e) => set({ duration: e.target.value })}
              className={inputClass(Boolean(field("durationMinutes")))}
            />
          )}
        </Field>
      </div>
      <Field
        id={`${uid}-url`}
        label="Join link"
        hint="The https:// link of the call."
        error={field("joinUrl")}
      >
        {(aria) => (
          <input
            {...aria}
            type="url"
            maxLength={500}
            value={v.joinUrl}
            onChange={(e) => set({ joinUrl: e.target.value })}
            className={inputClass(Boolean(field("joinUrl")))}
          />
        )}
      </Field>
      {error && (
        <p role="alert" className="text-sm font-medium text-danger">
          {error}
        </p>
      )}
      <p role="status" className="text-sm text-brand-dark">
        {ok}
      </p>
      <button
        type="submit"
        className={buttonClass(props.sessionId ? "secondary" : "primary")}
        disabled={busy}
      >
        {busy ? "Saving…" : props.sessionId ? "Save session" : "Add session"}
      </button>
    </form>
  );
}

/** One session in the coach's list: edit in place, or cancel (kept in calendars, marked). */
export function SessionRow(props: {
  cohortId: string;
  zone: string;
  today: string;
  session: { id: string; title: string; when: string; cancelled: boolean; initial: Values };
}) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState("");
  const s = props.session;
  return (
    <li className="space-y-2 py-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className={s.cancelled ? "text-muted line-through" : ""}>
          <span className="font-semibold">{s.title}</span> · {s.when}
        </p>
        {!s.cancelled && (
          <span className="flex gap-2">
            <button
              type="button"
              className={buttonClass("ghost")}
              onClick={() => setEditing(!editing)}
            >
              {editing ? "Close" : "Edit"}
              <span className="sr-only"> {s.title}</span>
            </button>
            <button
              type="button"
              className={buttonClass("ghost")}
              onClick={async () => {
                try {
                  await trpc.cohorts.cancelSession.mutate({ sessionId: s.id });
                  router.refresh();
                } catch (e) {
                  setError(formErrors(e).message);
                }
              }}
            >
              Cancel session<span className="sr-only"> {s.title}</span>
            </button>
          </span>
        )}
        {s.cancelled && <span className="text-sm text-muted">Cancelled</span>}
      </div>
      {error && (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      )}
      {editing && (
        <SessionForm
          cohortId={props.cohortId}
          zone={props.zone}
          today={props.today}
          sessionId={s.id}
          initial={s.initial}
          onDone={() => setEditing(false)}
        />
      )}
    </li>
  );
}

/** The member's calendar subscription: one secret URL for all their cohorts' sessions. */
export function CalendarLink(props: { link: { url: string; webcal: string } | null }) {
  const router = useRouter();
  const uid = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  async function reset() {
    setBusy(true);
    setError("");
    try {
      await trpc.cohorts.resetCalendar.mutate({ confirm: true });
      router.refresh();
    } catch (e) {
      setError(formErrors(e).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="space-y-2 text-sm">
      {props.link ? (
        <>
          <a href={props.link.webcal} className={buttonClass("secondary")}>
            Subscribe in my calendar
          </a>
          <label htmlFor={`${uid}-url`} className="block font-semibold">
            Or paste this address into your calendar app
          </label>
          <input id={`${uid}-url`} readOnly value={props.link.url} className={inputClass()} />
          <p className="text-muted">
            It is private to you. If it leaks, make a new one: the old address stops working.
          </p>
          <button type="button" className={buttonClass("ghost")} disabled={busy} onClick={reset}>
            Make a new address
          </button>
        </>
      ) : (
        <button type="button" className={buttonClass("secondary")} disabled={busy} onClick={reset}>
          Get my calendar link
        </button>
      )}
      {error && (
        <p role="alert" className="text-danger">
          {error}
        </p>
      )}
    </div>
  );
}
