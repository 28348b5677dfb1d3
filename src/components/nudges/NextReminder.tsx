import { formatDateTime } from "@/lib/format-date";

/** "Next reminder: …" in the member's zone, or why there is none. */
export function NextReminder(props: { at: Date | null; timeZone: string }) {
  return (
    <p className="text-sm text-muted" data-testid="next-reminder">
      {props.at
        ? `Next reflection reminder: ${formatDateTime(props.at, props.timeZone)} (only when a step is waiting for you).`
        : "No reflection reminder is planned."}
    </p>
  );
}
