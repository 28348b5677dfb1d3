import { z } from "zod";
import { id, text } from "@/lib/input";

/** Asking for the emailed link; says so explicitly (mutations take input). */
export const requestDeletionInput = z.strictObject({
  confirm: z.literal(true, { error: "Say that you want to delete your account." }),
});

/** Withdrawing a request that waits for its link. */
export const cancelDeletionInput = z.strictObject({
  cancel: z.literal(true, { error: "Say that the request should be withdrawn." }),
});

/** The link from the email. */
export const deletionTokenInput = z.strictObject({
  token: text({ label: "The confirmation link", min: 1, max: 200, trim: false }).regex(
    /^[A-Za-z0-9_-]+$/,
    "This confirmation link is not valid.",
  ),
});

export const REASON_MAX = 300;

/** An admin deleting an account on the member's request. */
export const adminDeleteAccountInput = z.strictObject({
  userId: id("The user"),
  /** Why (e.g. "asked by email on 2 Dec"): kept in the audit log, so no names or addresses. */
  reason: text({
    label: "The reason",
    max: REASON_MAX,
    messages: { max: `Keep the reason to ${REASON_MAX} characters.` },
  }).optional(),
});
