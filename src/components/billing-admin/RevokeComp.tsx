"use client";

import { trpc, useCall } from "../providers/trpc-client";
import { ConfirmedAction } from "../ui/ConfirmedAction";

/** Ends a comp now, after a confirmation that names who loses access. */
export function RevokeComp(props: { compId: string; who: string; what: string }) {
  const revoke = useCall(trpc.billing.admin.revokeComp.mutate);
  return (
    <ConfirmedAction
      label="Revoke"
      busyLabel="Revoking…"
      variant="danger"
      ariaLabel={`Revoke ${props.what} for ${props.who}`}
      question={`Revoke ${props.what} for ${props.who}? Access ends now.`}
      done="Revoked."
      run={() => revoke.mutateAsync({ compId: props.compId })}
    />
  );
}
