import type { Metadata } from "next";
import { AutoRefresh } from "@/components/ui/AutoRefresh";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass } from "@/components/ui/styles";
import { notFoundOnBadInput } from "@/server/trpc/not-found";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Thank you" };

type Props = { searchParams: Promise<{ session?: string }> };

/**
 * Where Stripe Checkout returns. Access is granted by the webhook, not by this page: it waits for
 * the webhook to land (re-reading every second and a half for a minute) and says so.
 */
export default async function CheckoutSuccessPage({ searchParams }: Props) {
  const { session } = await searchParams;
  const status = await (await api()).billing
    .checkoutStatus({ sessionId: session ?? "" })
    .catch(notFoundOnBadInput);
  if (!status.ready) {
    return (
      <>
        <PageHeader title="Thank you" lead="Your payment went through at Stripe." />
        <AutoRefresh everyMs={1500} forMs={60_000} />
        <Notice role="status">
          Waiting for Stripe to confirm it to Kindred… This usually takes a few seconds, and this
          page updates by itself. If it takes longer, your access opens as soon as the confirmation
          arrives: you do not need to pay again.
        </Notice>
        <p className="mt-6">
          <Link href="/app/settings/billing" className={buttonClass("secondary")}>
            See your billing
          </Link>
        </p>
      </>
    );
  }
  return (
    <>
      <PageHeader title="You are in" lead={`${status.planName} is yours now.`} />
      <Notice tone="success" role="status">
        Access is open. A receipt is on its way from Stripe, and your invoices are always in
        Billing.
      </Notice>
      <div className="mt-6 flex flex-wrap gap-3">
        {status.cohortSlug ? (
          <Link href={`/app/cohorts/${status.cohortSlug}`} className={buttonClass("primary")}>
            Open your cohort
          </Link>
        ) : (
          <Link href="/app/programs" className={buttonClass("primary")}>
            Choose a program
          </Link>
        )}
        <Link href="/app/settings/billing" className={buttonClass("secondary")}>
          Billing
        </Link>
      </div>
    </>
  );
}
