"use client";

import { SaveStatus } from "../programs-editor/SaveStatus";
import { useSave } from "../programs-editor/useSave";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";

/** Ends a comp now, after a confirmation that names who loses access. */
export function RevokeComp(props: { compId: string; who: string; what: string }) {
  const save = useSave();
  const revoke = useCall(trpc.billing.admin.revokeComp.mutate);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className={buttonClass("danger")}
        disabled={save.busy}
        aria-label={`Revoke ${props.what} for ${props.who}`}
        onClick={() => {
          if (window.confirm(`Revoke ${props.what} for ${props.who}? Access ends now.`)) {
            void save.run(() => revoke.mutateAsync({ compId: props.compId }), "Revoked.");
          }
        }}
      >
        {save.busy ? "Revoking…" : "Revoke"}
      </button>
      <SaveStatus ok={save.ok} error={save.error} />
    </div>
  );
}
