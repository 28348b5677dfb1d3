"use client";

import { SaveStatus } from "../programs-editor/SaveStatus";
import { useSave } from "../programs-editor/useSave";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";

/** Lets a suppressed address receive nudges again, after a confirmation. */
export function Unsuppress(props: { address: string; reason: string }) {
  const save = useSave();
  const remove = useCall(trpc.admin.emails.unsuppress.mutate);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={buttonClass("secondary")}
        disabled={save.busy}
        aria-label={`Remove ${props.address} from the suppression list`}
        onClick={() => {
          const warning =
            props.reason === "complained"
              ? `${props.address} marked a Kindred email as spam. Send them nudges again?`
              : `Send nudges to ${props.address} again?`;
          if (window.confirm(warning)) {
            void save.run(() => remove.mutateAsync({ address: props.address }), "Removed.");
          }
        }}
      >
        {save.busy ? "Removing…" : "Remove"}
      </button>
      <SaveStatus ok={save.ok} error={save.error} />
    </div>
  );
}
