import type { Metadata } from "next";
import { PlanCard } from "@/components/billing/PlanCard";
import { PublicHeader } from "@/components/shell/PublicHeader";
import { EmptyState } from "@/components/ui/EmptyState";
import { Notice } from "@/components/ui/Notice";
import { env } from "@/server/env";
import { api, currentSession } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Pricing" };

type Props = { searchParams: Promise<{ canceled?: string; problem?: string }> };

export default async function PricingPage({ searchParams }: Props) {
  const [{ canceled, problem }, session, plans] = await Promise.all([
    searchParams,
    currentSession(),
    (await api()).billing.plans(),
  ]);
  const simulated = env().billing.mode === "emulator";
  const memberships = plans.filter((p) => p.kind === "RECURRING");
  const once = plans.filter((p) => p.kind === "ONE_TIME");
  return (
    <>
      <PublicHeader signedIn={Boolean(session)} />
      <main id="main" className="mx-auto max-w-5xl px-4 pb-16">
        <div className="py-10">
          <h1 className="font-serif text-4xl text-ink">Pricing</h1>
          <p className="mt-2 max-w-2xl text-muted">
            Many programs are free. A membership opens the rest; some programs and cohort seats are
            sold on their own. Whatever you choose, what you write stays yours.
          </p>
        </div>
        <div className="mb-6 space-y-3">
          {simulated && (
            <Notice tone="warn">
              Payments on this deployment are simulated: no card is charged. Use the test card 4242
              4242 4242 4242 to buy, or 4000 0000 0000 0002 to see a decline.
            </Notice>
          )}
          {canceled && <Notice role="status">Checkout was cancelled. Nothing was charged.</Notice>}
          {problem && (
            <Notice tone="danger" role="alert">
              {problem.slice(0, 300)}
            </Notice>
          )}
        </div>
        {plans.length === 0 ? (
          <EmptyState title="Nothing is on sale yet">
            Every published program that is free is open to you now from Programs.
          </EmptyState>
        ) : (
          <>
            {memberships.length > 0 && (
              <section aria-labelledby="memberships" className="mb-10">
                <h2 id="memberships" className="mb-4 text-xl font-semibold">
                  Memberships
                </h2>
                <div className="grid gap-4 md:grid-cols-2">
                  {memberships.map((plan) => (
                    <PlanCard key={plan.id} plan={plan} />
                  ))}
                </div>
              </section>
            )}
            {once.length > 0 && (
              <section aria-labelledby="once">
                <h2 id="once" className="mb-4 text-xl font-semibold">
                  Programs and seats
                </h2>
                <div className="grid gap-4 md:grid-cols-2">
                  {once.map((plan) => (
                    <PlanCard key={plan.id} plan={plan} />
                  ))}
                </div>
              </section>
            )}
          </>
        )}
      </main>
    </>
  );
}
