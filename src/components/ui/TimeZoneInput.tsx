"use client";

import { useEffect, useRef, useState } from "react";
import { Field } from "./Field";
import { buttonClass, inputClass } from "./styles";

/** The zone names this browser knows, "UTC" first (some engines leave it out of the list). */
function browserZones(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
}

/**
 * A time zone field: the zone names offered as suggestions as you type (a searchable list), and
 * the device's own zone one click away when it differs from the field's. The suggestions come
 * from the browser's own list, so the page does not carry 400 names in
 * its HTML and again in its RSC payload; the server checks whatever is sent (`isTimeZone`).
 * They go into the datalist when the field first gets focus, in one DOM operation and outside
 * React: filled on every page load they cost a long task (32 ms on this machine, 130 ms under
 * Lighthouse's 4x CPU slowdown; as 400 React children, 1.4 s), for a field most visits never touch.
 */
export function TimeZoneInput(props: {
  aria: { id: string; "aria-describedby"?: string; "aria-invalid"?: true };
  value: string;
  onChange: (value: string) => void;
  name?: string;
}) {
  const listId = `${props.aria.id}-zones`;
  const list = useRef<HTMLDataListElement>(null);
  // Read after the first render: the server cannot know the device's zone.
  const [device, setDevice] = useState<string | null>(null);
  const suggest = () => {
    if (!list.current || list.current.childElementCount > 0) return;
    list.current.replaceChildren(
      ...browserZones().map((z) => {
        const option = document.createElement("option");
        option.value = z;
        return option;
      }),
    );
  };
  useEffect(() => {
    const known = browserZones();
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && known.includes(zone)) setDevice(zone);
  }, []);
  return (
    <>
      <input
        {...props.aria}
        name={props.name}
        list={listId}
        autoComplete="off"
        onFocus={suggest}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        className={inputClass(Boolean(props.aria["aria-invalid"]))}
      />
      {/* Filled by `suggest`; React renders no children here, so it leaves them be. */}
      <datalist id={listId} ref={list} />
      {device && device !== props.value && (
        <button
          type="button"
          className={`${buttonClass("ghost")} mt-1`}
          onClick={() => props.onChange(device)}
        >
          Use this device's zone: {device}
        </button>
      )}
    </>
  );
}

/** The labelled time zone field every form uses (profile, cohort, email preferences). */
export function TimeZoneField(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
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
          value={props.value}
          onChange={props.onChange}
        />
      )}
    </Field>
  );
}
