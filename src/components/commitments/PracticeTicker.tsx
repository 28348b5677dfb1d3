"use client";

import clsx from "clsx";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { newAttempt } from "@/lib/attempt";
import { formatDay } from "@/lib/format-date";
import { PAUSED_RESENDING, sendUntilAnswered } from "@/lib/transient";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";

export type PracticeView = {
  key: string;
  label: string;
  count: number;
  history: { day: string; count: number }[];
  todayTickIds: string[];
};

/** One practice: tick it (as often as you do it), undo today's last tick, see 14 days. */
export function PracticeTicker(props: { exerciseId: string; practice: PracticeView }) {
  const router = useRouter();
  const [message, setMessage] = useState<{
    tone: "done" | "paused" | "error";
    text: string;
  } | null>(null);
  const tick = useCall(trpc.practices.tick.mutate);
  const untick = useCall(trpc.practices.untick.mutate);
  const { practice } = props;
  const [sending, setSending] = useState(false);
  const busy = tick.isPending || untick.isPending || sending;
  const lastToday = practice.todayTickIds.at(-1);

  /**
   * Sent again by itself while Kindred is away: a tick carries its press's request id (a try
   * that did land is not counted twice), and undoing a tick that is already gone is NOT_FOUND.
   */
  async function run(action: () => Promise<unknown>, done: string) {
    setMessage(null);
    setSending(true);
    try {
      await sendUntilAnswered(action, () => setMessage({ tone: "paused", text: PAUSED_RESENDING }));
      setMessage({ tone: "done", text: done });
      router.refresh();
    } catch (error) {
      setMessage({ tone: "error", text: formErrors(error).message });
    } finally {
      setSending(false);
    }
  }

  const activeDays = practice.history.filter((h) => h.count > 0).length;
  return (
    <li className="rounded-xl border border-line p-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <p className="font-semibold break-words">{practice.label}</p>
          <p className="text-sm text-muted">
            {practice.count === 0
              ? "Not yet ticked"
              : `Ticked ${practice.count} ${practice.count === 1 ? "time" : "times"}`}
            {practice.todayTickIds.length > 0 && ` · ${practice.todayTickIds.length} today`}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            className={buttonClass("primary")}
            disabled={busy}
            onClick={() => {
              const requestId = newAttempt();
              void run(
                () =>
                  tick.mutateAsync({
                    exerciseId: props.exerciseId,
                    practiceKey: practice.key,
                    requestId,
                  }),
                "Ticked.",
              );
            }}
          >
            I did it<span className="sr-only">: {practice.label}</span>
          </button>
          {lastToday && (
            <button
              type="button"
              className={buttonClass("ghost")}
              disabled={busy}
              onClick={() => run(() => untick.mutateAsync({ tickId: lastToday }), "Undone.")}
            >
              Undo<span className="sr-only"> today’s last tick of {practice.label}</span>
            </button>
          )}
        </div>
      </div>
      <div className="mt-3">
        <p className="sr-only">
          Active on {activeDays} of the last {practice.history.length} days.
        </p>
        <ol aria-hidden="true" className="grid grid-cols-14 gap-1">
          {practice.history.map((h) => (
            <li
              key={h.day}
              title={`${formatDay(h.day)}: ${h.count}`}
              className={
                h.count === 0 ? "tick" : h.count === 1 ? "tick tick-once" : "tick tick-more"
              }
            />
          ))}
        </ol>
      </div>
      <p
        role="status"
        className={clsx(
          "mt-1 min-h-5 text-sm",
          message?.tone === "error" ? "text-danger" : "text-brand-dark",
        )}
        data-status={message?.tone}
      >
        {message?.text}
      </p>
    </li>
  );
}

export function PracticesSection(props: {
  exercises: {
    exerciseId: string;
    prompt: string;
    programTitle: string;
    practices: PracticeView[];
  }[];
}) {
  return (
    <div className="space-y-5">
      {props.exercises.map((e) => (
        <div key={e.exerciseId}>
          <h3 className="text-sm font-semibold text-muted break-words">
            {e.programTitle} · {e.prompt}
          </h3>
          <ul className="mt-2 space-y-2">
            {e.practices.map((p) => (
              <PracticeTicker key={p.key} exerciseId={e.exerciseId} practice={p} />
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
