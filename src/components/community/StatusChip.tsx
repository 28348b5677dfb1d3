export type PersonStatus = "KEEP" | "RECONNECT" | "MOVE_ON";

export const STATUS_LABEL: Record<PersonStatus, string> = {
  KEEP: "Keep close",
  RECONNECT: "Reconnect",
  MOVE_ON: "Move on",
};

/** Classes of globals.css (the chip appears on every row of the map and of Today's lists). */
const CHIP_CLASS: Record<PersonStatus, string> = {
  KEEP: "chip-keep",
  RECONNECT: "chip-reconnect",
  MOVE_ON: "chip-move-on",
};

export function StatusChip({ status }: { status: PersonStatus }) {
  return <span className={`chip ${CHIP_CLASS[status]}`}>{STATUS_LABEL[status]}</span>;
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
