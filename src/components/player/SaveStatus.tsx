"use client";

import clsx from "clsx";
import { PAUSED_TEXT } from "@/lib/transient";
import type { DraftStatus } from "./useDraft";

const TEXT: Record<DraftStatus, string> = {
  idle: "",
  pending: "Saving…",
  saving: "Saving…",
  saved: "Saved",
  offline: "Offline — kept on this device",
  paused: PAUSED_TEXT,
  conflict: "Changed in another tab — reload to see it",
  error: "Not saved",
};

/** While a submit waits for Kindred to come back, it is the answer that is kept, not a draft. */
const SUBMIT_PAUSED =
  "Submitting paused — your answer is kept on this device and will be sent when we're back.";

export function SaveStatus(props: {
  status: DraftStatus;
  error?: string | null;
  submitting?: boolean;
}) {
  const text =
    props.status === "error" && props.error
      ? `Not saved: ${props.error}`
      : props.status === "paused" && props.submitting
        ? SUBMIT_PAUSED
        : TEXT[props.status];
  return (
    <span
      role="status"
      aria-live="polite"
      data-status={props.status}
      className={clsx(
        "text-sm",
        props.status === "conflict" || props.status === "error"
          ? "font-semibold text-danger"
          : props.status === "offline"
            ? "font-semibold text-warn"
            : props.status === "paused"
              ? "text-brand-dark"
              : "text-muted",
      )}
    >
      {text}
    </span>
  );
}
