import clsx from "clsx";
import type { ReactNode } from "react";

export function Notice(props: {
  tone?: "info" | "warn" | "danger" | "success";
  children: ReactNode;
  role?: "status" | "alert";
}) {
  const tone = props.tone ?? "info";
  return (
    <div
      role={props.role}
      className={clsx(
        "rounded-xl border px-4 py-3 text-sm",
        tone === "info" && "border-line bg-brand-soft text-ink",
        tone === "success" && "border-brand/30 bg-brand-soft text-brand-dark",
        tone === "warn" && "border-warn/30 bg-warn-soft text-warn",
        tone === "danger" && "border-danger/30 bg-danger-soft text-danger",
      )}
    >
      {props.children}
    </div>
  );
}
