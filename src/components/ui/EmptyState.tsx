import type { ReactNode } from "react";

export function EmptyState(props: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-2xl border border-dashed border-line bg-card/60 p-8 text-center">
      <p className="font-serif text-lg text-ink">{props.title}</p>
      {props.children && <div className="mt-2 text-sm text-muted">{props.children}</div>}
    </div>
  );
}
