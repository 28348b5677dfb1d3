import clsx from "clsx";
import { Field } from "./Field";
import { inputClass } from "./styles";

/**
 * A labelled multi-line text field: hint, error and (when there is a maximum) a character count,
 * all tied to the control with aria-describedby. Without `value` it is uncontrolled, for
 * read-only previews.
 */
export function TextAreaField(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value?: string;
  onChange?: (text: string) => void;
  maxLength?: number;
  rows?: number;
  disabled?: boolean;
  /** Extra classes for the control (height, font). */
  className?: string;
}) {
  const counted = props.maxLength !== undefined && props.value !== undefined;
  const counterId = `${props.id}-count`;
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(aria) => (
        <>
          <textarea
            {...aria}
            aria-describedby={
              [aria["aria-describedby"], counted && counterId].filter(Boolean).join(" ") ||
              undefined
            }
            rows={props.rows}
            maxLength={props.maxLength}
            disabled={props.disabled}
            value={props.value}
            onChange={props.onChange && ((e) => props.onChange?.(e.target.value))}
            className={clsx(inputClass(Boolean(props.error)), props.className)}
          />
          {counted && (
            <p id={counterId} className="text-xs text-muted">
              {props.value?.length ?? 0} of {props.maxLength} characters
            </p>
          )}
        </>
      )}
    </Field>
  );
}
