import { Field } from "./Field";
import { inputClass } from "./styles";

/** A time zone field: free text with the runtime's zone names offered as suggestions. */
export function TimeZoneInput(props: {
  aria: { id: string; "aria-describedby"?: string; "aria-invalid"?: true };
  zones: string[];
  value: string;
  onChange: (value: string) => void;
  name?: string;
}) {
  const listId = `${props.aria.id}-zones`;
  return (
    <>
      <input
        {...props.aria}
        name={props.name}
        list={listId}
        autoComplete="off"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        className={inputClass(Boolean(props.aria["aria-invalid"]))}
      />
      <datalist id={listId}>
        {props.zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}

/** The labelled time zone field every form uses (profile, cohort, email preferences). */
export function TimeZoneField(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  zones: string[];
  value: string;
  onChange: (value: string) => void;
  name?: string;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      {(aria) => (
        <TimeZoneInput
          aria={aria}
          name={props.name}
          zones={props.zones}
          value={props.value}
          onChange={props.onChange}
        />
      )}
    </Field>
  );
}
