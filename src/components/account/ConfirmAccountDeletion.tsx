"use client";

import { useState } from "react";
import { PublicCallError, publicMutation } from "@/lib/public-call";
import { Notice } from "../ui/Notice";
import { buttonClass } from "../ui/styles";

/**
 * The last button, on the page the emailed link opens. A click, not the page load, deletes:
 * mail scanners open links. Done, the browser leaves for the goodbye page (the session is gone).
 */
export function ConfirmAccountDeletion(props: { token: string }) {
  const [state, setState] = useState<
    { kind: "idle" | "pending" } | { kind: "error"; message: string }
  >({ kind: "idle" });

  async function confirm() {
    setState({ kind: "pending" });
    try {
      await publicMutation<{ deleted: true }>("account.confirmDeletion", { token: props.token });
      window.location.assign("/account/deleted");
    } catch (error) {
      setState({
        kind: "error",
        message: error instanceof PublicCallError ? error.message : String(error),
      });
    }
  }

  return (
    <div className="space-y-3">
      {state.kind === "error" && (
        <Notice tone="danger" role="alert">
          {state.message}
        </Notice>
      )}
      <button
        type="button"
        className={`${buttonClass("danger")} w-full`}
        disabled={state.kind === "pending"}
        onClick={() => void confirm()}
      >
        {state.kind === "pending" ? "Deleting…" : "Delete my account"}
      </button>
      <a href="/settings" className={`${buttonClass("ghost")} w-full text-center`}>
        Keep my account
      </a>
    </div>
  );
}
