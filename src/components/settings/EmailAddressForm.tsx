"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { Field } from "../ui/Field";
import { Notice } from "../ui/Notice";
import { buttonClass, inputClass } from "../ui/styles";

type Pending = { newEmail: string } | null;

/**
 * Changing the sign-in address: the new one gets a link, and nothing changes until it is
 * opened. A change waiting for its link is shown with a way to withdraw it.
 */
export function EmailAddressForm(props: { email: string; pending: Pending; expiresLabel: string }) {
  const router = useRouter();
  const request = useCall(trpc.me.requestEmailChange.mutate);
  const cancel = useCall(trpc.me.cancelEmailChange.mutate);
  const [newEmail, setNewEmail] = useState("");
  const [errors, setErrors] = useState<{ message?: string; newEmail?: string }>({});
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function submit() {
    setErrors({});
    setSentTo(null);
    try {
      const result = await request.mutateAsync({ newEmail });
      setSentTo(result.newEmail);
      setNewEmail("");
      router.refresh();
    } catch (error) {
      const { message, fields } = formErrors(error);
      setErrors({ message: fields.newEmail ? undefined : message, newEmail: fields.newEmail });
    }
  }

  async function withdraw() {
    setErrors({});
    try {
      await cancel.mutateAsync({ cancel: true });
      setSentTo(null);
      router.refresh();
    } catch (error) {
      setErrors({ message: formErrors(error).message });
    }
  }

  return (
    <div className="mt-3 space-y-4">
      <p className="text-sm text-muted">
        You sign in with <strong className="break-all text-ink">{props.email}</strong>. Reminders
        and receipts go there too.
      </p>
      {props.pending && (
        <Notice tone="info">
          <span role="status">
            {sentTo ? "Sent. " : ""}Waiting for you to open the link we sent to{" "}
            <strong className="break-all">{props.pending.newEmail}</strong> (it works until{" "}
            {props.expiresLabel}). Until then your address stays as it is.
          </span>{" "}
          <button
            type="button"
            className="font-semibold text-brand underline"
            disabled={cancel.isPending}
            onClick={() => void withdraw()}
          >
            Keep my current address
          </button>
        </Notice>
      )}
      {errors.message && (
        <Notice tone="danger" role="alert">
          {errors.message}
        </Notice>
      )}
      <form
        noValidate
        className="space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field
          id="new-email"
          label="New email address"
          hint="We email it a link; your address changes when you open it."
          error={errors.newEmail}
        >
          {(aria) => (
            <input
              {...aria}
              type="email"
              name="newEmail"
              autoComplete="email"
              inputMode="email"
              value={newEmail}
              onChange={(e) => setNewEmail(e.target.value)}
              className={inputClass(Boolean(errors.newEmail))}
            />
          )}
        </Field>
        <button type="submit" className={buttonClass("secondary")} disabled={request.isPending}>
          {request.isPending ? "Sending…" : "Send a confirmation link"}
        </button>
      </form>
    </div>
  );
}
