import type { ReactNode } from "react";

/** A labelled form field with its hint and error wired to the control by id. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (aria: { id: string; "aria-describedby"?: string; "aria-invalid"?: true }) => ReactNode;
}) {
  const describedBy = [props.hint && `${props.id}-hint`, props.error && `${props.id}-error`]
    .filter(Boolean)
    .join(" ");
  return (
    <div className="space-y-1.5">
      <label htmlFor={props.id} className="block text-sm font-semibold text-ink">
        {props.label}
      </label>
      {props.hint && (
        <p id={`${props.id}-hint`} className="text-sm text-muted">
          {props.hint}
        </p>
      )}
      {props.children({
        id: props.id,
        "aria-describedby": describedBy || undefined,
        "aria-invalid": props.error ? true : undefined,
      })}
      {props.error && (
        <p id={`${props.id}-error`} className="text-sm font-medium text-danger">
          {props.error}
        </p>
      )}
    </div>
  );
}
