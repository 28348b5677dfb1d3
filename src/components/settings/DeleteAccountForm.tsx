"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { Notice } from "../ui/Notice";
import { buttonClass } from "../ui/styles";

/**
 * Deleting the account, step one: says what goes and what stays, asks for a tick, then emails a
 * link to the member's address (the deletion happens on the page it opens). A request waiting
 * for its link is shown with a way to withdraw it.
 */
export function DeleteAccountForm(props: {
  email: string;
  pending: { expiresLabel: string } | null;
}) {
  const router = useRouter();
  const request = useCall(trpc.account.requestDeletion.mutate);
  const cancel = useCall(trpc.account.cancelDeletion.mutate);
  const [understood, setUnderstood] = useState(false);
  const [errors, setErrors] = useState<{ message?: string; understood?: string }>({});
  const [sent, setSent] = useState(false);

  async function submit() {
    setErrors({});
    if (!understood) {
      setErrors({ understood: "Tick the box to say you understand that this cannot be undone." });
      return;
    }
    try {
      await request.mutateAsync({ confirm: true });
      setSent(true);
      setUnderstood(false);
      router.refresh();
    } catch (error) {
      setErrors({ message: formErrors(error).message });
    }
  }

  async function withdraw() {
    setErrors({});
    try {
      await cancel.mutateAsync({ cancel: true });
      setSent(false);
      router.refresh();
    } catch (error) {
      setErrors({ message: formErrors(error).message });
    }
  }

  return (
    <div className="mt-3 space-y-4 text-sm">
      <div className="space-y-2 text-muted">
        <p>
          <strong className="text-ink">What goes:</strong> your profile, journal and drafts,
          community map, commitments and check-ins, practice, shared answers, email settings and
          sign-ins. Your membership is cancelled and your card details are removed from our payment
          provider.
        </p>
        <p>
          <strong className="text-ink">What stays:</strong> posts and comments you wrote in a
          cohort, signed “A former member” so that conversations still make sense; receipts of past
          payments, without your name, for the accounts.
        </p>
        <p>Want a copy first? Download your data above before you go on.</p>
      </div>
      {props.pending ? (
        <Notice tone="warn">
          <span role="status">
            {sent ? "Sent. " : ""}We emailed a link to{" "}
            <strong className="break-all">{props.email}</strong>. Open it to delete your account; it
            works until {props.pending.expiresLabel}. Nothing is deleted until then.
          </span>{" "}
          <button
            type="button"
            className="font-semibold underline"
            disabled={cancel.isPending}
            onClick={() => void withdraw()}
          >
            Keep my account
          </button>
        </Notice>
      ) : null}
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
        <div className="space-y-1.5">
          <div className="flex items-start gap-2">
            <input
              id="delete-understood"
              type="checkbox"
              className="mt-1 h-4 w-4"
              checked={understood}
              aria-invalid={errors.understood ? true : undefined}
              aria-describedby={errors.understood ? "delete-understood-error" : undefined}
              onChange={(e) => setUnderstood(e.target.checked)}
            />
            <label htmlFor="delete-understood" className="text-ink">
              I understand that deleting my account cannot be undone.
            </label>
          </div>
          {errors.understood && (
            <p id="delete-understood-error" className="font-medium text-danger">
              {errors.understood}
            </p>
          )}
        </div>
        <button type="submit" className={buttonClass("danger")} disabled={request.isPending}>
          {request.isPending
            ? "Sending…"
            : props.pending
              ? "Send the link again"
              : "Email me a link to delete my account"}
        </button>
      </form>
    </div>
  );
}
