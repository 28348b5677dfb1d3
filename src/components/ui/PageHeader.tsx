import type { ReactNode } from "react";

export function PageHeader(props: { title: string; lead?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="font-serif text-3xl text-ink">{props.title}</h1>
        {props.lead && <p className="mt-1 max-w-prose text-muted">{props.lead}</p>}
      </div>
      {props.actions}
    </div>
  );
}
