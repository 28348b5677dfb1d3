"use client";

import { useState } from "react";
import { PublicCallError, publicMutation } from "@/lib/public-call";
import { Notice } from "../ui/Notice";
import { buttonClass } from "../ui/styles";

/**
 * The button on the page the new address's link opens. A click, not the page load, makes the
 * change: mail scanners open links.
 */
export function ConfirmEmailChange(props: { token: string; newEmail: string }) {
  const [state, setState] = useState<
    | { kind: "idle" | "pending" }
    | { kind: "done"; email: string }
    | { kind: "error"; message: string }
  >({ kind: "idle" });

  async function confirm() {
    setState({ kind: "pending" });
    try {
      const { email } = await publicMutation<{ email: string }>("auth.confirmEmailChange", {
        token: props.token,
      });
      setState({ kind: "done", email });
    } catch (error) {
      setState({
        kind: "error",
        message: error instanceof PublicCallError ? error.message : String(error),
      });
    }
  }

  if (state.kind === "done") {
    return (
      <div className="space-y-3">
        <Notice tone="success">
          <span role="status">
            Done. You now sign in with <strong className="break-all">{state.email}</strong>.
          </span>
        </Notice>
        <a href="/settings" className={buttonClass("primary")}>
          Back to settings
        </a>
      </div>
    );
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
        className={`${buttonClass("primary")} w-full`}
        disabled={state.kind === "pending"}
        onClick={() => void confirm()}
      >
        {state.kind === "pending" ? "Confirming…" : "Use this address from now on"}
      </button>
    </div>
  );
}
