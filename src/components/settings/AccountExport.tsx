"use client";

import { useCallback, useEffect, useState } from "react";
import { formatDate } from "@/lib/format-date";
import { formatSize } from "@/lib/format-size";
import { formErrors } from "@/lib/trpc-errors";
import type { ExportState } from "@/server/privacy/export";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";

const POLL_MS = 1500;

/**
 * "Export all my data": asks for a ZIP of everything, shows its progress while the background
 * job builds it (polling every 1.5 s, announced politely to screen readers), then the download
 * link and until when it works. The same export shows again on a later visit.
 */
export function AccountExport({ timeZone }: { timeZone: string }) {
  const request = useCall(trpc.exports.request.mutate);
  const [state, setState] = useState<ExportState | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setState(await trpc.exports.status.query());
      setError(null);
    } catch (e) {
      setError(formErrors(e).message);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const working = state?.status === "QUEUED" || state?.status === "RUNNING";
  useEffect(() => {
    if (!working) return;
    const timer = window.setTimeout(() => void refresh(), POLL_MS);
    return () => window.clearTimeout(timer);
  }, [working, refresh]);

  async function start() {
    setError(null);
    try {
      setState(await request.mutateAsync({ scope: "everything" }));
    } catch (e) {
      setError(formErrors(e).message);
    }
  }

  const ready = state?.status === "READY" && state.href ? state : null;
  let status = "";
  if (state === undefined && !error) status = "Checking for an earlier export…";
  else if (working) status = `Preparing your export… ${state.percent}%`;
  else if (ready) status = "Your export is ready.";
  else if (state?.status === "FAILED") status = "Your last export could not be made.";
  else if (state?.expired) status = "Your last export has expired and was deleted.";

  return (
    <div className="mt-4 space-y-3 border-t border-line pt-4">
      <p className="text-sm text-muted">
        Everything at once: profile, journal, map, commitments, practices, cohort posts, payments
        and the emails we sent you, as a ZIP of JSON files with your journal as Markdown. We email
        you when it is ready; it stays for 7 days.
      </p>
      {working ? (
        <div
          role="progressbar"
          aria-label="Export progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={state.percent}
          className="h-2.5 overflow-hidden rounded-full bg-line"
        >
          <div
            className="h-full rounded-full bg-brand transition-[width]"
            style={{ width: `${Math.max(4, state.percent)}%` }}
          />
        </div>
      ) : null}
      {ready ? (
        <p>
          <a href={ready.href ?? undefined} download className="font-semibold text-brand underline">
            Download (ZIP, {formatSize(ready.size ?? 0)})
          </a>
          {ready.expiresAt ? (
            <span className="text-sm text-muted">
              {" "}
              — available until {formatDate(ready.expiresAt, timeZone, "long")}
            </span>
          ) : null}
        </p>
      ) : null}
      <p role="status" aria-live="polite" className="text-sm text-brand-dark">
        {status}
      </p>
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
      {state !== undefined && !working ? (
        <button
          type="button"
          className={buttonClass(ready ? "ghost" : "secondary")}
          disabled={request.isPending}
          onClick={() => void start()}
        >
          {state?.status === "FAILED"
            ? "Try again"
            : ready
              ? "Make a new export"
              : "Export all my data"}
        </button>
      ) : null}
      {state === undefined && error ? (
        <button type="button" className={buttonClass("secondary")} onClick={() => void refresh()}>
          Retry
        </button>
      ) : null}
    </div>
  );
}
