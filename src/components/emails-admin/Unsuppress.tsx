"use client";

import { trpc, useCall } from "../providers/trpc-client";
import { ConfirmedAction } from "../ui/ConfirmedAction";

/** Lets a suppressed address receive nudges again, after a confirmation. */
export function Unsuppress(props: { address: string; reason: string }) {
  const remove = useCall(trpc.admin.emails.unsuppress.mutate);
  return (
    <ConfirmedAction
      label="Remove"
      busyLabel="Removing…"
      ariaLabel={`Remove ${props.address} from the suppression list`}
      question={
        props.reason === "complained"
          ? `${props.address} marked a Kindred email as spam. Send them nudges again?`
          : `Send nudges to ${props.address} again?`
      }
      done="Removed."
      run={() => remove.mutateAsync({ address: props.address })}
    />
  );
}
