"use client";

import { SaveStatus } from "../programs-editor/SaveStatus";
import { useSave } from "../programs-editor/useSave";
import { buttonClass } from "./styles";

/**
 * A button that asks first (the question names who and what is affected), then runs the
 * mutation and says how it went next to itself. For actions an admin should not do by a slip.
 */
export function ConfirmedAction(props: {
  label: string;
  busyLabel: string;
  ariaLabel: string;
  question: string;
  done: string;
  variant?: "danger" | "secondary";
  run: () => Promise<unknown>;
}) {
  const save = useSave();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={buttonClass(props.variant ?? "secondary")}
        disabled={save.busy}
        aria-label={props.ariaLabel}
        onClick={() => {
          if (window.confirm(props.question)) void save.run(props.run, props.done);
        }}
      >
        {save.busy ? props.busyLabel : props.label}
      </button>
      <SaveStatus ok={save.ok} error={save.error} />
    </div>
  );
}
