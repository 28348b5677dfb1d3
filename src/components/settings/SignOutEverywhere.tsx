"use client";

import { useState } from "react";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";

/**
 * Ends sessions on other devices (a phone left signed in, a shared computer), or everywhere
 * including this one, which then goes to the sign-in page. Both ask first.
 */
export function SignOutEverywhere() {
  const call = useCall(trpc.me.signOutEverywhere.mutate);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);

  async function run(keepThisDevice: boolean) {
    const question = keepThisDevice
      ? "Sign out on every other device? They will need a new sign-in link."
      : "Sign out everywhere, this device too?";
    if (!window.confirm(question)) return;
    setMessage(null);
    try {
      const { ended } = await call.mutateAsync({ keepThisDevice });
      if (!keepThisDevice) {
        window.location.assign("/signin?signedOut=1");
        return;
      }
      setMessage({
        tone: "ok",
        text:
          ended === 0
            ? "No other device was signed in."
            : `Signed out on ${ended} other ${ended === 1 ? "device" : "devices"}.`,
      });
    } catch (error) {
      setMessage({ tone: "error", text: formErrors(error).message });
    }
  }

  return (
    <div className="mt-3 space-y-3">
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={buttonClass("secondary")}
          disabled={call.isPending}
          onClick={() => void run(true)}
        >
          Sign out other devices
        </button>
        <button
          type="button"
          className={buttonClass("ghost")}
          disabled={call.isPending}
          onClick={() => void run(false)}
        >
          Sign out everywhere
        </button>
      </div>
      <p
        role="status"
        className={message?.tone === "error" ? "text-sm text-danger" : "text-sm text-brand-dark"}
      >
        {message?.text}
      </p>
    </div>
  );
}
