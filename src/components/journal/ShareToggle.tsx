"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";

/** Share one pass (a frozen snapshot) with the program's coach, or take it back. */
export function ShareToggle(props: { passId: string; passNumber: number; shareId: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const share = useCall(trpc.coaching.share.mutate);
  const unshare = useCall(trpc.coaching.unshare.mutate);
  const busy = share.isPending || unshare.isPending;

  async function run(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      router.refresh();
    } catch (e) {
      setError(formErrors(e).message);
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      {props.shareId ? (
        <>
          <span className="rounded-full bg-brand-soft px-3 py-1 font-medium text-brand-dark">
            Shared with your coach — they see this snapshot only
          </span>
          <button
            type="button"
            className={buttonClass("secondary")}
            disabled={busy}
            onClick={() => run(() => unshare.mutateAsync({ shareId: props.shareId! }))}
          >
            {unshare.isPending ? "Stopping…" : `Stop sharing pass ${props.passNumber}`}
          </button>
        </>
      ) : (
        <>
          <span className="text-muted">Private — only you can read this.</span>
          <button
            type="button"
            className={buttonClass("secondary")}
            disabled={busy}
            onClick={() =>
              run(() => share.mutateAsync({ passId: props.passId, audience: "COACH" }))
            }
          >
            {share.isPending ? "Sharing…" : `Share pass ${props.passNumber} with my coach`}
          </button>
        </>
      )}
      <span role="status" className="text-danger">
        {error}
      </span>
    </div>
  );
}
