"use client";

import clsx from "clsx";
import type { DraftStatus } from "./useDraft";

const TEXT: Record<DraftStatus, string> = {
  idle: "",
  pending: "Saving…",
  saving: "Saving…",
  saved: "Saved",
  offline: "Offline — kept on this device",
  conflict: "Changed in another tab — reload to see it",
  error: "Not saved",
};

export function SaveStatus(props: { status: DraftStatus; error?: string | null }) {
  const text =
    props.status === "error" && props.error ? `Not saved: ${props.error}` : TEXT[props.status];
  return (
    <span
      role="status"
      aria-live="polite"
      className={clsx(
        "text-sm",
        props.status === "conflict" || props.status === "error"
          ? "font-semibold text-danger"
          : props.status === "offline"
            ? "font-semibold text-warn"
            : "text-muted",
      )}
    >
      {text}
    </span>
  );
}
