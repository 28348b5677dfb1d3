import { Notice } from "../ui/Notice";

/** The outcome of the last save, announced to screen readers. */
export function SaveStatus(props: { ok?: string; error?: string }) {
  if (props.error)
    return (
      <Notice tone="danger" role="alert">
        {props.error}
      </Notice>
    );
  return (
    <p role="status" className="min-h-5 text-sm text-brand-dark">
      {props.ok}
    </p>
  );
}
