"use client";

import { useId, useState } from "react";
import { newAttempt } from "@/lib/attempt";
import { formatMoney, minorPerMajor } from "@/lib/money";
import { SaveStatus } from "../programs-editor/SaveStatus";
import { useSave } from "../programs-editor/useSave";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { buttonClass, inputClass } from "../ui/styles";

/**
 * Refunds a one-time purchase, all of what is left or part of it. One attempt id per form
 * render: a double click or a retry after a lost answer refunds once; a new one after success.
 */
export function RefundForm(props: {
  purchaseId: string;
  /** What is left to refund, in minor units. */
  left: number;
  currency: string;
  /** Who and what, for the form's accessible name. */
  label: string;
}) {
  const uid = useId();
  const save = useSave();
  const refund = useCall(trpc.billing.admin.refund.mutate);
  const [attempt, setAttempt] = useState(newAttempt);
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const f = save.fields;
  const example = minorPerMajor(props.currency) === 1 ? "500" : "5.50";

  async function submit() {
    const done = await save.run(
      () =>
        refund.mutateAsync({
          purchaseId: props.purchaseId,
          ...(amount.trim() ? { amount: amount.trim() } : {}),
          reason,
          attempt,
        }),
      "Refunded. Stripe returns the money to the member's card in 5 to 10 days.",
    );
    if (done) {
      setAttempt(newAttempt());
      setAmount("");
      setReason("");
    }
    return done;
  }

  return (
    <form
      noValidate
      aria-label={`Refund ${props.label}`}
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Field
        id={`${uid}-amount`}
        label={`Amount (${props.currency.toUpperCase()}, optional)`}
        hint={`Leave empty to refund all that is left: ${formatMoney(props.left, props.currency)}. Or type a part, like ${example}.`}
        error={f.amount}
      >
        {(aria) => (
          <input
            {...aria}
            inputMode="decimal"
            autoComplete="off"
            maxLength={16}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            className={inputClass(Boolean(f.amount))}
          />
        )}
      </Field>
      <Field
        id={`${uid}-reason`}
        label="Reason"
        hint="For the audit log; the member does not see it."
        error={f.reason}
      >
        {(aria) => (
          <input
            {...aria}
            required
            maxLength={300}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            className={inputClass(Boolean(f.reason))}
          />
        )}
      </Field>
      <SaveStatus
        ok={save.ok}
        error={Object.keys(f).length ? "Please correct the highlighted fields." : save.error}
      />
      <button type="submit" className={buttonClass("danger")} disabled={save.busy}>
        {save.busy
          ? "Refunding…"
          : amount.trim()
            ? "Refund this amount"
            : "Refund all that is left"}
      </button>
    </form>
  );
}
