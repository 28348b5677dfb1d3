import type { inferRouterOutputs } from "@trpc/server";
import { formatDate, formatDateTime } from "@/lib/format-date";
import { formatMoney } from "@/lib/money";
import type { AppRouter } from "@/server/trpc/root";
import { EventPill, HeadRow, InvoicePill, Scroll, td, Who } from "./parts";
import { ReplayEvent } from "./ReplayEvent";

type Admin = inferRouterOutputs<AppRouter>["billing"]["admin"];

/** The console's tables; each scrolls sideways on narrow screens. Dates in the admin's zone. */
export function FailedPaymentsTable({
  failed,
  zone,
}: {
  failed: Admin["failedPayments"];
  zone: string;
}) {
  return (
    <Scroll label="Failed payments">
      <table className="w-full min-w-[40rem] text-sm">
        <caption className="sr-only">Failed payments, newest first</caption>
        <HeadRow
          columns={["Member", "Amount", "Attempts", "Next try", { label: "Invoice", hidden: true }]}
        />
        <tbody>
          {failed.map((inv) => (
            <tr key={inv.id} className="border-b border-line/60 last:border-b-0">
              <td className={td}>
                <Who user={inv.user} />
              </td>
              <td className={`${td} font-semibold whitespace-nowrap`}>
                {formatMoney(inv.amountDue, inv.currency)}
              </td>
              <td className={td}>{inv.attemptCount}</td>
              <td className={`${td} whitespace-nowrap`}>
                {inv.nextPaymentAttempt ? (
                  <time dateTime={inv.nextPaymentAttempt.toISOString()}>
                    {formatDateTime(inv.nextPaymentAttempt, zone)}
                  </time>
                ) : (
                  <span className="text-danger">No more tries</span>
                )}
              </td>
              <td className={td}>
                {inv.hostedInvoiceUrl && (
                  <a
                    href={inv.hostedInvoiceUrl}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="text-brand underline underline-offset-4"
                  >
                    Invoice
                    <span className="sr-only"> for {inv.user.email} (opens in a new tab)</span>
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function RefundsTable({ refunds, zone }: { refunds: Admin["refunds"]; zone: string }) {
  return (
    <Scroll label="Recent refunds">
      <table className="w-full min-w-[32rem] text-sm">
        <caption className="sr-only">Recent refunds, newest first</caption>
        <HeadRow columns={["Date", "Member", "Amount", "Reason", "Stripe refund"]} />
        <tbody>
          {refunds.map((r) => (
            <tr key={r.id} className="border-b border-line/60 last:border-b-0">
              <td className={`${td} whitespace-nowrap`}>
                <time dateTime={r.createdAt.toISOString()}>{formatDate(r.createdAt, zone)}</time>
              </td>
              <td className={`${td} break-words`}>
                {r.member ? (
                  (r.member.name ?? r.member.email)
                ) : (
                  <span className="text-muted">—</span>
                )}
                {r.planName && <span className="block text-xs text-muted">{r.planName}</span>}
              </td>
              <td className={`${td} font-semibold whitespace-nowrap`}>
                {formatMoney(r.amount, r.currency)}
              </td>
              <td className={`${td} break-words`}>
                {r.reason || <span className="text-muted">No reason given</span>}
              </td>
              <td className={`${td} font-mono text-xs break-all`}>{r.id}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function InvoicesTable({ invoices, zone }: { invoices: Admin["invoices"]; zone: string }) {
  return (
    <Scroll label="Invoices">
      <table className="w-full min-w-[40rem] text-sm">
        <caption className="sr-only">Invoices, newest first</caption>
        <HeadRow
          columns={["Issued", "Member", "Status", "Amount", { label: "Invoice", hidden: true }]}
        />
        <tbody>
          {invoices.items.map((inv) => (
            <tr key={inv.id} className="border-b border-line/60 last:border-b-0">
              <td className={`${td} whitespace-nowrap`}>
                <time dateTime={inv.issuedAt.toISOString()}>{formatDate(inv.issuedAt, zone)}</time>
              </td>
              <td className={td}>
                <Who user={inv.user} />
              </td>
              <td className={td}>
                <InvoicePill status={inv.status} />
              </td>
              <td className={`${td} whitespace-nowrap`}>
                <span className="font-semibold">
                  {formatMoney(
                    inv.status === "paid" ? inv.amountPaid : inv.amountDue,
                    inv.currency,
                  )}
                </span>
              </td>
              <td className={td}>
                {inv.hostedInvoiceUrl && (
                  <a
                    href={inv.hostedInvoiceUrl}
                    target="_blank"
                    rel="noopener noreferrer"
                    className="text-brand underline underline-offset-4"
                  >
                    View
                    <span className="sr-only"> invoice {inv.id} (opens in a new tab)</span>
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

export function WebhooksTable({ events, zone }: { events: Admin["events"]; zone: string }) {
  return (
    <Scroll label="Webhook events">
      <table className="w-full min-w-[48rem] text-sm">
        <caption className="sr-only">Webhook events, newest first</caption>
        <HeadRow
          columns={[
            "Event",
            "Received",
            "Status",
            "Attempts",
            "Last error",
            { label: "Actions", hidden: true },
          ]}
        />
        <tbody>
          {events.map((e) => (
            <tr key={e.id} className="border-b border-line/60 last:border-b-0">
              <td className={td}>
                <span className="block font-semibold">{e.type}</span>
                {e.objectId && (
                  <span className="block font-mono text-xs break-all text-muted">{e.objectId}</span>
                )}
              </td>
              <td className={`${td} whitespace-nowrap`}>
                <time dateTime={e.receivedAt.toISOString()}>
                  {formatDateTime(e.receivedAt, zone)}
                </time>
              </td>
              <td className={td}>
                <EventPill status={e.status} />
              </td>
              <td className={td}>{e.attempts}</td>
              <td className={`${td} max-w-xs break-words text-danger`}>
                {e.lastError ?? <span className="text-muted">—</span>}
              </td>
              <td className={td}>
                <ReplayEvent eventId={e.id} type={e.type} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}
