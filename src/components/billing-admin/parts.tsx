import type { ReactNode } from "react";
import Link from "@/components/ui/Link";
import { formatMoney } from "@/lib/money";

/** The billing console's small pieces: section frame, member link, status pills, scrolling tables. */

export type Money = { currency: string; amount: number };
export type Member = { id: string; email: string; name: string | null };

export const DANGER_PILL =
  "rounded-full bg-danger-soft px-2 py-0.5 text-xs font-medium text-danger";
export const WARN_PILL = "rounded-full bg-warn-soft px-2 py-0.5 text-xs font-medium text-warn";
export const MUTED_PILL = "rounded-full bg-line/60 px-2 py-0.5 text-xs font-medium text-ink";

export function Section(props: {
  id: string;
  title: string;
  lead?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section id={props.id} aria-labelledby={`${props.id}-heading`} className="scroll-mt-4">
      <h2 id={`${props.id}-heading`} className="font-serif text-2xl">
        {props.title}
      </h2>
      {props.lead && <p className="mt-1 max-w-prose text-sm text-muted">{props.lead}</p>}
      <div className="mt-3">{props.children}</div>
    </section>
  );
}

export function MoneyLines(props: { items: Money[]; empty: string }) {
  if (props.items.length === 0) return <p className="text-muted">{props.empty}</p>;
  return (
    <ul className="space-y-0.5">
      {props.items.map((m) => (
        <li key={m.currency} className="text-2xl font-semibold">
          {formatMoney(m.amount, m.currency)}
        </li>
      ))}
    </ul>
  );
}

/** Who, linking to their row in Users (where roles and deactivation live). */
export function Who({ user }: { user: Member }) {
  return (
    <Link
      href={`/admin?${new URLSearchParams({ q: user.email })}`}
      className="text-brand underline-offset-4 hover:underline"
    >
      <span className="block font-semibold break-words">{user.name ?? user.email}</span>
      {user.name && <span className="block text-sm break-all text-muted">{user.email}</span>}
    </Link>
  );
}

export function EventPill({ status }: { status: string }) {
  if (status === "PROCESSED") return <span className="pill">processed</span>;
  if (status === "FAILED") return <span className={DANGER_PILL}>failed</span>;
  if (status === "RECEIVED") return <span className={WARN_PILL}>waiting</span>;
  return <span className={MUTED_PILL}>{status.toLowerCase()}</span>;
}

export function InvoicePill({ status }: { status: string }) {
  if (status === "paid") return <span className="pill">paid</span>;
  if (status === "open") return <span className={WARN_PILL}>open</span>;
  if (status === "uncollectible") return <span className={DANGER_PILL}>uncollectible</span>;
  return <span className={MUTED_PILL}>{status}</span>;
}

const SCROLL = "relative overflow-x-auto rounded-2xl border border-line bg-card";

/** A table that scrolls sideways on narrow screens, reachable by keyboard. */
export function Scroll(props: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe scrollable-region-focusable)
    <section className={SCROLL} tabIndex={0} aria-label={props.label}>
      {props.children}
    </section>
  );
}

export const th = "px-3 py-2 text-left font-semibold whitespace-nowrap";
export const td = "px-3 py-2 align-top";

/** A table's header row; a hidden column is named for screen readers only. */
export function HeadRow({ columns }: { columns: (string | { label: string; hidden: true })[] }) {
  return (
    <thead>
      <tr className="border-b border-line">
        {columns.map((c) => {
          const label = typeof c === "string" ? c : c.label;
          return (
            <th key={label} scope="col" className={th}>
              {typeof c === "string" ? c : <span className="sr-only">{label}</span>}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
