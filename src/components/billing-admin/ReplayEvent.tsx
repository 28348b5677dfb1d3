"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { Notice } from "../ui/Notice";
import { buttonClass } from "../ui/styles";

/**
 * Runs a stored webhook event through its handler again. Handlers read the object fresh from
 * Stripe and converge, so replaying a processed event is harmless.
 */
export function ReplayEvent(props: { eventId: string; type: string }) {
  const router = useRouter();
  const replay = useCall(trpc.billing.admin.replayEvent.mutate);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function run() {
    setResult(null);
    try {
      const outcome = await replay.mutateAsync({ eventId: props.eventId });
      setResult(
        outcome.ok
          ? { ok: true, text: `Replayed: ${outcome.outcome}.` }
          : { ok: false, text: "The handler failed again; its error is shown in this row." },
      );
      router.refresh();
    } catch (error) {
      setResult({ ok: false, text: formErrors(error).message });
    }
  }

  return (
    <div className="space-y-2">
      <button
        type="button"
        className={buttonClass("secondary")}
        disabled={replay.isPending}
        aria-label={`Replay ${props.type} (${props.eventId})`}
        onClick={() => void run()}
      >
        {replay.isPending ? "Replaying…" : "Replay"}
      </button>
      {result?.ok === false ? (
        <Notice tone="danger" role="alert">
          {result.text}
        </Notice>
      ) : (
        <p role="status" className="min-h-5 text-sm text-brand-dark">
          {result?.text}
        </p>
      )}
    </div>
  );
}
