"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";

/** Steps without exercises are marked done by hand; then the next step opens. */
export function CompleteStepButton(props: { stepId: string; slug: string }) {
  const router = useRouter();
  const complete = useCall(trpc.player.completeStep.mutate);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        className={buttonClass("primary")}
        disabled={complete.isPending}
        onClick={async () => {
          setError(null);
          try {
            const r = await complete.mutateAsync({ stepId: props.stepId });
            if (r.currentStepId && r.currentStepId !== props.stepId) {
              router.push(`/app/programs/${props.slug}/steps/${r.currentStepId}`);
            } else if (r.completed) {
              // The last step: the program's ending celebrates it.
              router.push(`/app/programs/${props.slug}/finished`);
            }
            router.refresh();
          } catch (err) {
            setError(formErrors(err).message);
          }
        }}
      >
        {complete.isPending ? "Saving…" : "Mark as done"}
      </button>
      <span role="status" className="text-sm text-danger">
        {error}
      </span>
    </div>
  );
}
