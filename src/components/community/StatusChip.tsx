import clsx from "clsx";

export type PersonStatus = "KEEP" | "RECONNECT" | "MOVE_ON";

export const STATUS_LABEL: Record<PersonStatus, string> = {
  KEEP: "Keep close",
  RECONNECT: "Reconnect",
  MOVE_ON: "Move on",
};

export function StatusChip({ status }: { status: PersonStatus }) {
  return (
    <span
      className={clsx(
        "inline-flex items-center rounded-full border px-2.5 py-0.5 text-xs font-semibold",
        status === "KEEP" && "border-brand/30 bg-brand-soft text-brand-dark",
        status === "RECONNECT" && "border-warn/30 bg-warn-soft text-warn",
        status === "MOVE_ON" && "border-line bg-paper text-muted",
      )}
    >
      {STATUS_LABEL[status]}
    </span>
  );
}

export function PrivateBadge() {
  return (
    <p className="inline-flex items-center gap-2 rounded-full border border-line bg-card px-3 py-1 text-sm text-muted">
      <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4 fill-current">
        <path d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm2 6H6V4.5a2 2 0 1 1 4 0V7Z" />
      </svg>
      Only you can see this map
    </p>
  );
}
