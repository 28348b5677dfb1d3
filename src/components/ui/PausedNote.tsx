import { PAUSED_RESENDING } from "@/lib/transient";

/**
 * Said calmly where a save could not reach Kindred's database: nothing is lost, what the member
 * entered is still in the form, and it is sent again by itself. Not an alert, not red.
 */
export function PausedNote(props: { text?: string }) {
  return (
    <p role="status" className="text-sm text-brand-dark" data-status="paused">
      {props.text ?? PAUSED_RESENDING}
    </p>
  );
}
