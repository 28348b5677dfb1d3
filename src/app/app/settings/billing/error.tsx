"use client";

import { Notice } from "@/components/ui/Notice";
import { buttonClass } from "@/components/ui/styles";

export default function BillingError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="max-w-xl space-y-4">
      <Notice tone="danger" role="alert">
        We could not load your billing just now. Your access and your journal are not affected.
      </Notice>
      <button type="button" className={buttonClass("primary")} onClick={reset}>
        Try again
      </button>
    </div>
  );
}
