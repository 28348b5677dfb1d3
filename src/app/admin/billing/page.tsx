import type { Metadata } from "next";
import { CompForm } from "@/components/billing-admin/CompForm";
import { CompList, PurchaseList } from "@/components/billing-admin/Lists";
import { OverviewCards } from "@/components/billing-admin/Overview";
import { Section } from "@/components/billing-admin/parts";
import { RevenueChart } from "@/components/billing-admin/RevenueChart";
import {
  FailedPaymentsTable,
  InvoicesTable,
  RefundsTable,
  WebhooksTable,
} from "@/components/billing-admin/Tables";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { Pager } from "@/components/ui/Pager";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { ADMIN_ROLES, requireRole } from "@/server/auth/guard";
import { notFoundOnBadInput } from "@/server/trpc/not-found";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Billing" };

type Props = { searchParams: Promise<{ cursor?: string; invoices?: string }> };

/** The console's address with both lists' places (purchases and invoices page separately). */
function pageHref(params: { cursor?: string; invoices?: string }, hash: string) {
  const query = new URLSearchParams();
  if (params.cursor) query.set("cursor", params.cursor);
  if (params.invoices) query.set("invoices", params.invoices);
  const qs = query.toString();
  return `/admin/billing${qs ? `?${qs}` : ""}#${hash}`;
}

export default async function BillingPage({ searchParams }: Props) {
  const me = await requireRole(ADMIN_ROLES, "/admin/billing");
  const zone = me.timeZone;
  const { cursor, invoices: invoiceCursor } = await searchParams;
  const caller = await api();
  const admin = caller.billing.admin;
  const [overview, failed, purchases, invoices, refunds, comps, events, programs] =
    await Promise.all([
      admin.overview(),
      admin.failedPayments(),
      admin.purchases({ cursor }).catch(notFoundOnBadInput),
      admin.invoices({ cursor: invoiceCursor }).catch(notFoundOnBadInput),
      admin.refunds(),
      admin.comps(),
      admin.events(),
      caller.programs.list(),
    ]);
  const today = new Date().toISOString().slice(0, 10);
  const compPrograms = programs
    .filter((p) => p.status !== "ARCHIVED")
    .map((p) => ({ id: p.id, title: p.title }));

  return (
    <>
      <PageHeader
        title="Billing"
        lead="Memberships and purchases through Stripe: revenue, members who need attention, refunds, free access and the webhooks that keep it all in step."
        actions={
          <div className="flex flex-wrap gap-2">
            <Link href="/admin/billing/plans" className={buttonClass("secondary")}>
              Plans
            </Link>
            <a href="/api/admin/billing/export" download className={buttonClass("secondary")}>
              Download CSV
            </a>
          </div>
        }
      />

      <div className="space-y-10">
        <OverviewCards overview={overview} />

        <Section
          id="revenue"
          title="Revenue by month"
          lead="Paid invoices and one-time purchases less their refunds, for the last 12 months; this month is the darker bar."
        >
          <div className={cardClass}>
            <RevenueChart months={overview.months} />
          </div>
        </Section>

        <Section
          id="failed"
          title="Failed payments"
          lead="Renewals Stripe could not charge and will try again. Members keep access during the grace period and get an email to update their card."
        >
          {failed.length === 0 ? (
            <EmptyState title="No failed payments">Every renewal went through.</EmptyState>
          ) : (
            <FailedPaymentsTable failed={failed} zone={zone} />
          )}
        </Section>

        <Section
          id="purchases"
          title="Purchases"
          lead="One-time purchases, newest first. A refund goes through Stripe at once; a full refund ends the access it bought."
        >
          {purchases.items.length === 0 ? (
            <EmptyState title={cursor ? "No more purchases" : "No purchases yet"}>
              {cursor ? (
                <Link
                  href={pageHref({ invoices: invoiceCursor }, "purchases")}
                  className="text-brand underline"
                >
                  Back to the newest
                </Link>
              ) : (
                "One-time plans (a program or a cohort seat) appear here once bought."
              )}
            </EmptyState>
          ) : (
            <PurchaseList purchases={purchases} zone={zone} />
          )}
          {purchases.items.length > 0 && (
            <Pager
              what="purchases"
              newest={cursor ? pageHref({ invoices: invoiceCursor }, "purchases") : null}
              older={
                purchases.nextCursor
                  ? pageHref({ cursor: purchases.nextCursor, invoices: invoiceCursor }, "purchases")
                  : null
              }
            />
          )}
        </Section>

        <Section
          id="refunds"
          title="Recent refunds"
          lead="The last 20, from this console or from Stripe's dashboard."
        >
          {refunds.length === 0 ? (
            <EmptyState title="No refunds yet" />
          ) : (
            <RefundsTable refunds={refunds} zone={zone} />
          )}
        </Section>

        <Section
          id="comps"
          title="Free access"
          lead="Comps open a program (or all of them) without payment, until their end date or until revoked."
        >
          {comps.length === 0 ? (
            <EmptyState title="Nobody has free access">Grant it below.</EmptyState>
          ) : (
            <CompList comps={comps} zone={zone} />
          )}
          <div className={`${cardClass} mt-4`}>
            <h3 className="mb-3 font-semibold">Grant free access</h3>
            <CompForm programs={compPrograms} today={today} />
          </div>
        </Section>

        <Section
          id="invoices"
          title="Invoices"
          lead="Every subscription invoice Stripe has sent, newest first."
        >
          {invoices.items.length === 0 ? (
            <EmptyState title={invoiceCursor ? "No more invoices" : "No invoices yet"}>
              {invoiceCursor ? (
                <Link href={pageHref({ cursor }, "invoices")} className="text-brand underline">
                  Back to the newest
                </Link>
              ) : (
                "Subscriptions invoice members at each renewal; they appear here."
              )}
            </EmptyState>
          ) : (
            <InvoicesTable invoices={invoices} zone={zone} />
          )}
          {invoices.items.length > 0 && (
            <Pager
              what="invoices"
              newest={invoiceCursor ? pageHref({ cursor }, "invoices") : null}
              older={
                invoices.nextCursor
                  ? pageHref({ cursor, invoices: invoices.nextCursor }, "invoices")
                  : null
              }
            />
          )}
        </Section>

        <Section
          id="webhooks"
          title="Webhooks"
          lead="The last 30 events Stripe sent. Each is stored before it is handled; a replay reads the object fresh from Stripe, so it is safe to repeat."
        >
          {events.length === 0 ? (
            <EmptyState title="No webhooks received yet">
              Events arrive at /api/stripe/webhook once Stripe is set up to send them.
            </EmptyState>
          ) : (
            <WebhooksTable events={events} zone={zone} />
          )}
        </Section>
      </div>
    </>
  );
}
