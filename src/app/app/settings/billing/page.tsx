import type { Metadata } from "next";
import { priceLabel } from "@/components/billing/PlanCard";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDate } from "@/lib/format-date";
import { formatMoney } from "@/lib/money";
import { requireUser } from "@/server/auth/guard";
import { env } from "@/server/env";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Billing" };

type Props = { searchParams: Promise<{ problem?: string }> };

const STATUS_LABEL: Record<string, string> = {
  ACTIVE: "Active",
  TRIALING: "Free trial",
  PAST_DUE: "Payment failed",
  PAUSED: "Paused",
  CANCELED: "Ended",
  UNPAID: "Unpaid",
  INCOMPLETE: "Incomplete",
  INCOMPLETE_EXPIRED: "Expired",
};

export default async function BillingPage({ searchParams }: Props) {
  const user = await requireUser("/app/settings/billing", { askName: false });
  const [{ problem }, billing] = await Promise.all([searchParams, (await api()).billing.mine()]);
  const zone = user.timeZone;
  const day = (d: Date | null) => (d ? formatDate(d, zone, "long") : "—");
  const nothing =
    billing.subscriptions.length === 0 &&
    billing.purchases.length === 0 &&
    billing.comps.length === 0;
  return (
    <>
      <PageHeader
        title="Billing"
        lead="Your membership, what you have bought, and your invoices."
        actions={
          billing.hasCustomer ? (
            <form method="post" action="/api/billing/portal">
              <button type="submit" className={buttonClass("primary")}>
                Manage billing
              </button>
            </form>
          ) : null
        }
      />
      <div className="mb-6 space-y-3">
        {problem && (
          <Notice tone="danger" role="alert">
            {problem.slice(0, 300)}
          </Notice>
        )}
        {env().billing.mode === "emulator" && (
          <Notice tone="warn">
            Payments on this deployment are simulated: no card is ever charged.
          </Notice>
        )}
        {billing.subscriptions
          .filter((s) => s.status === "PAST_DUE")
          .map((s) => (
            <Notice key={s.id} tone="danger" role="alert">
              The last payment for {s.planName} did not go through. You keep access until{" "}
              {day(s.graceEndsAt)}: update your card with “Manage billing” and we try again at once.
            </Notice>
          ))}
      </div>
      {nothing ? (
        <EmptyState title="No membership yet">
          Free programs are open to you now.{" "}
          <Link href="/pricing" className="underline">
            See what a membership adds
          </Link>
          .
        </EmptyState>
      ) : (
        <div className="space-y-6">
          {billing.subscriptions.length > 0 && (
            <section aria-labelledby="subs" className={cardClass}>
              <h2 id="subs" className="mb-3 font-serif text-xl">
                Membership
              </h2>
              <ul className="divide-y divide-line">
                {billing.subscriptions.map((s) => (
                  <li key={s.id} className="py-3">
                    <p className="flex flex-wrap items-center gap-2">
                      <span className="font-semibold">{s.planName}</span>
                      <span className="pill">{s.paused ? "Paused" : STATUS_LABEL[s.status]}</span>
                      <span className="text-sm text-muted">
                        {priceLabel({
                          kind: "RECURRING",
                          interval: s.interval,
                          amount: s.amount,
                          currency: s.currency,
                        })}
                      </span>
                    </p>
                    <p className="mt-1 text-sm text-muted">
                      {s.status === "TRIALING" && `Free until ${day(s.trialEnd)}. `}
                      {s.nextChargeAt && `Next charge on ${day(s.nextChargeAt)}. `}
                      {s.cancelAtPeriodEnd &&
                        s.grantsAccess &&
                        `Ends on ${day(s.currentPeriodEnd)}; you keep access until then. `}
                      {s.paused &&
                        "Paused: no charges, and paid programs are read-only until you resume. "}
                      {s.status === "CANCELED" && `Ended on ${day(s.endedAt)}. `}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {billing.purchases.length > 0 && (
            <section aria-labelledby="bought" className={cardClass}>
              <h2 id="bought" className="mb-3 font-serif text-xl">
                Bought
              </h2>
              <ul className="divide-y divide-line">
                {billing.purchases.map((p) => (
                  <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                    <span>
                      <span className="font-semibold">{p.planName}</span>{" "}
                      <span className="text-sm text-muted">on {day(p.paidAt)}</span>
                    </span>
                    <span className="text-sm">
                      {formatMoney(p.amount, p.currency)}
                      {p.amountRefunded > 0 &&
                        (p.grantsAccess
                          ? ` (${formatMoney(p.amountRefunded, p.currency)} refunded)`
                          : " (refunded)")}
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {billing.comps.length > 0 && (
            <section aria-labelledby="comps" className={cardClass}>
              <h2 id="comps" className="mb-3 font-serif text-xl">
                Given to you
              </h2>
              <ul className="space-y-1 text-sm">
                {billing.comps.map((c) => (
                  <li key={c.id}>
                    {c.programTitle ?? "Every program"}
                    {c.expiresAt ? `, until ${day(c.expiresAt)}` : ", with no end date"}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="invoices" className={cardClass}>
            <h2 id="invoices" className="mb-3 font-serif text-xl">
              Invoices
            </h2>
            {billing.invoices.length === 0 ? (
              <p className="text-sm text-muted">No invoices yet.</p>
            ) : (
              <ul className="divide-y divide-line">
                {billing.invoices.map((i) => (
                  <li
                    key={i.id}
                    className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm"
                  >
                    <span>{day(i.issuedAt)}</span>
                    <span>
                      {formatMoney(i.status === "paid" ? i.amountPaid : i.amountDue, i.currency)}
                    </span>
                    <span className="pill">
                      {i.status === "paid" ? "Paid" : i.status === "open" ? "Due" : i.status}
                    </span>
                    {i.hostedInvoiceUrl ? (
                      <a
                        href={i.hostedInvoiceUrl}
                        className="underline"
                        target="_blank"
                        rel="noreferrer"
                      >
                        View<span className="sr-only"> the invoice of {day(i.issuedAt)}</span>
                      </a>
                    ) : (
                      <span />
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <p className="text-sm text-muted">
            Your journal is yours whatever happens to a membership: when one ends, everything you
            wrote stays readable and exportable from the{" "}
            <Link href="/app/journal" className="underline">
              journal
            </Link>
            .
          </p>
        </div>
      )}
    </>
  );
}
