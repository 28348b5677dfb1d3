"use client";

import { Notice } from "@/components/ui/Notice";
import { buttonClass } from "@/components/ui/styles";

export default function ProgramsError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="max-w-xl space-y-4">
      <Notice tone="danger" role="alert">
        We could not load this page. Nothing you wrote is lost: drafts are kept on this device too.
      </Notice>
      <button type="button" className={buttonClass("primary")} onClick={reset}>
        Try again
      </button>
    </div>
  );
}
