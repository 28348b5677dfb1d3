import { formatDateTime } from "@/lib/format-date";

/** "Next reminder: …" in the member's zone, or why there is none. */
export function NextReminder(props: { at: Date | null; timeZone: string }) {
  return (
    <p className="text-sm text-muted" data-testid="next-reminder">
      {props.at
        ? `Next reminder: ${formatDateTime(props.at, props.timeZone)}, only if something is waiting for you (a commitment, a reach-out, a prompt to answer again or a step).`
        : "No reminder is planned."}
    </p>
  );
}
