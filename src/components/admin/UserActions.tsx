"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FORMER_MEMBER_ID } from "@/lib/former-member";
import { formErrors } from "@/lib/trpc-errors";
import { trpc, useCall } from "../providers/trpc-client";
import { buttonClass } from "../ui/styles";

type Role = "MEMBER" | "COACH" | "ADMIN";

export function UserActions(props: {
  user: { id: string; email: string; role: Role; deactivated: boolean };
  isSelf: boolean;
}) {
  const router = useRouter();
  const [role, setRole] = useState<Role>(props.user.role);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const setRoleM = useCall(trpc.admin.users.setRole.mutate);
  const deactivate = useCall(trpc.admin.users.deactivate.mutate);
  const reactivate = useCall(trpc.admin.users.reactivate.mutate);
  const remove = useCall(trpc.admin.users.deleteAccount.mutate);
  const busy =
    setRoleM.isPending || deactivate.isPending || reactivate.isPending || remove.isPending;

  /** On the member's request only: asks why (for the audit log), then asks again. */
  function deleteAccount() {
    const reason = window.prompt(
      `Delete the account of ${props.user.email} for good, as they asked? Their journal and everything private go; cohort posts stay as "A former member". Say why, for the audit log (no names or addresses), e.g. "Asked by email on 2 Dec":`,
    );
    if (reason === null) return;
    if (!window.confirm(`Really delete ${props.user.email}? This cannot be undone.`)) return;
    void run(
      () => remove.mutateAsync({ userId: props.user.id, reason: reason.trim() || undefined }),
      "Account deleted.",
    );
  }
  if (props.user.id === FORMER_MEMBER_ID) {
    return <span className="text-sm text-muted">Stands in for deleted accounts</span>;
  }

  async function run(action: () => Promise<unknown>, done: string) {
    setMessage(null);
    try {
      await action();
      setMessage({ tone: "ok", text: done });
      router.refresh();
    } catch (error) {
      setMessage({ tone: "error", text: formErrors(error).message });
    }
  }

  const selectId = `role-${props.user.id}`;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor={selectId} className="sr-only">
        Role of {props.user.email}
      </label>
      <select
        id={selectId}
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
        className="min-h-11 rounded-lg border border-line bg-white px-2"
      >
        <option value="MEMBER">Member</option>
        <option value="COACH">Coach</option>
        <option value="ADMIN">Admin</option>
      </select>
      <button
        type="button"
        className={buttonClass("secondary")}
        disabled={busy || role === props.user.role}
        onClick={() =>
          run(
            () => setRoleM.mutateAsync({ userId: props.user.id, role }),
            `Role changed to ${role.toLowerCase()}.`,
          )
        }
      >
        Save role
      </button>
      {!props.isSelf &&
        (props.user.deactivated ? (
          <button
            type="button"
            className={buttonClass("secondary")}
            disabled={busy}
            onClick={() =>
              run(() => reactivate.mutateAsync({ userId: props.user.id }), "Reactivated.")
            }
          >
            Reactivate
          </button>
        ) : (
          <button
            type="button"
            className={buttonClass("secondary")}
            disabled={busy}
            aria-label={`Deactivate ${props.user.email}`}
            onClick={() => {
              if (
                window.confirm(
                  `Deactivate ${props.user.email}? They are signed out everywhere at once and cannot sign in until an admin reactivates them. Their journal is kept.`,
                )
              ) {
                void run(
                  () => deactivate.mutateAsync({ userId: props.user.id }),
                  "Deactivated and signed out.",
                );
              }
            }}
          >
            Deactivate
          </button>
        ))}
      {!props.isSelf && (
        <button
          type="button"
          className={buttonClass("ghost")}
          disabled={busy}
          aria-label={`Delete the account of ${props.user.email}`}
          onClick={deleteAccount}
        >
          Delete account
        </button>
      )}
      <span role="status" className={message?.tone === "error" ? "text-danger" : "text-brand-dark"}>
        {message?.text}
      </span>
    </div>
  );
}
