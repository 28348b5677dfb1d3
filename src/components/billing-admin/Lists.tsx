import type { inferRouterOutputs } from "@trpc/server";
import { formatDate } from "@/lib/format-date";
import { formatMoney } from "@/lib/money";
import type { AppRouter } from "@/server/trpc/root";
import { DANGER_PILL, MUTED_PILL, WARN_PILL, Who } from "./parts";
import { RefundForm } from "./RefundForm";
import { RevokeComp } from "./RevokeComp";

type Admin = inferRouterOutputs<AppRouter>["billing"]["admin"];

/** One-time purchases, each with its refund state and (while money is left) a refund form. */
export function PurchaseList({ purchases, zone }: { purchases: Admin["purchases"]; zone: string }) {
  return (
    <ul
      aria-label="Purchases"
      className="divide-y divide-line rounded-2xl border border-line bg-card"
    >
      {purchases.items.map((p) => {
        const left = p.amount - p.amountRefunded;
        return (
          <li key={p.id} className="space-y-2 px-4 py-4">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <Who user={p.user} />
                <p className="text-sm break-words">{p.plan.name}</p>
              </div>
              <div className="text-right">
                <p className="font-semibold">{formatMoney(p.amount, p.currency)}</p>
                <p className="text-sm text-muted">
                  <time dateTime={p.paidAt.toISOString()}>{formatDate(p.paidAt, zone)}</time>
                </p>
              </div>
            </div>
            {(p.amountRefunded > 0 || p.disputed) && (
              <p className="flex flex-wrap items-center gap-2 text-sm">
                {left <= 0 ? (
                  <span className={MUTED_PILL}>refunded</span>
                ) : p.amountRefunded > 0 ? (
                  <span className={WARN_PILL}>partly refunded</span>
                ) : null}
                {p.disputed && <span className={DANGER_PILL}>disputed</span>}
                {p.amountRefunded > 0 && (
                  <span className="text-muted">
                    {formatMoney(p.amountRefunded, p.currency)} refunded
                  </span>
                )}
              </p>
            )}
            {p.disputed ? (
              <p className="text-sm text-muted">
                The member disputed this charge with their bank: answer the dispute in Stripe's
                dashboard.
              </p>
            ) : left > 0 ? (
              <details>
                <summary className="inline-flex min-h-11 cursor-pointer items-center text-sm font-semibold text-brand">
                  Refund
                  <span className="sr-only">
                    {" "}
                    {p.plan.name} for {p.user.email}
                  </span>
                </summary>
                <div className="mt-2 max-w-md">
                  <RefundForm
                    purchaseId={p.id}
                    left={left}
                    currency={p.currency}
                    label={`${p.plan.name} for ${p.user.email}`}
                  />
                </div>
              </details>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** Comps in force, each with its revoke button. */
export function CompList({ comps, zone }: { comps: Admin["comps"]; zone: string }) {
  return (
    <ul
      aria-label="Free access"
      className="divide-y divide-line rounded-2xl border border-line bg-card"
    >
      {comps.map((c) => {
        const what = c.program ? c.program.title : "All programs";
        return (
          <li
            key={c.id}
            className="flex flex-col gap-3 px-4 py-4 sm:flex-row sm:items-start sm:justify-between"
          >
            <div className="min-w-0 space-y-1">
              <Who user={c.user} />
              <p className="text-sm">
                <span className="font-semibold">{what}</span>
                {" · "}
                {c.expiresAt ? (
                  <>
                    until{" "}
                    <time dateTime={c.expiresAt.toISOString()}>
                      {formatDate(c.expiresAt, "UTC")}
                    </time>
                  </>
                ) : (
                  "no end date"
                )}
              </p>
              <p className="text-sm break-words text-muted">
                {c.reason ? `“${c.reason}”, ` : ""}granted{" "}
                {c.grantedBy ? `by ${c.grantedBy.name ?? c.grantedBy.email} ` : ""}on{" "}
                <time dateTime={c.createdAt.toISOString()}>{formatDate(c.createdAt, zone)}</time>
              </p>
            </div>
            <RevokeComp compId={c.id} who={c.user.email} what={what} />
          </li>
        );
      })}
    </ul>
  );
}
