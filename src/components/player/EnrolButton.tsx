"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";

/** Enrols, then opens the first step (or the overview when the program has no steps yet). */
export function EnrolButton(props: { programId: string; title: string }) {
  const router = useRouter();
  const enrol = useCall(trpc.player.enrol.mutate);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        className={buttonClass("primary")}
        disabled={enrol.isPending}
        aria-label={`Start “${props.title}”`}
        onClick={async () => {
          setError(null);
          try {
            const e = await enrol.mutateAsync({ programId: props.programId });
            router.push(
              e.currentStepId
                ? `/app/programs/${e.slug}/steps/${e.currentStepId}`
                : `/app/programs/${e.slug}`,
            );
            router.refresh();
          } catch (err) {
            setError(formErrors(err).message);
          }
        }}
      >
        {enrol.isPending ? "Starting…" : "Start this program"}
      </button>
      <span role="status" className="text-sm text-danger">
        {error}
      </span>
    </div>
  );
}
