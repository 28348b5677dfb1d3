import type { Metadata } from "next";
import { PlanForm } from "@/components/billing-admin/PlanForm";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatMoney } from "@/lib/money";
import { ADMIN_ROLES, requireRole } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Plans" };

type Caller = Awaited<ReturnType<typeof api>>;
type Plan = Awaited<ReturnType<Caller["billing"]["admin"]["plans"]>>[number];

function priceText(plan: Pick<Plan, "amount" | "currency" | "interval">) {
  const money = formatMoney(plan.amount, plan.currency);
  return plan.interval
    ? `${money} / ${plan.interval === "YEAR" ? "year" : "month"}`
    : `${money} once`;
}

function ScopeText({ plan }: { plan: Plan }) {
  if (plan.scope === "ALL_PROGRAMS") return <>All programs sold through plans</>;
  if (plan.scope === "COHORT_SEAT") {
    return plan.cohort ? (
      <>
        A seat in <span className="font-semibold">{plan.cohort.name}</span> (
        {plan.cohort.program.title})
      </>
    ) : (
      <>A cohort seat (the cohort is gone)</>
    );
  }
  return plan.programs.length ? (
    <>Programs: {plan.programs.map((p) => p.title).join(", ")}</>
  ) : (
    <>No programs chosen</>
  );
}

export default async function PlansPage() {
  await requireRole(ADMIN_ROLES, "/admin/billing/plans");
  const caller = await api();
  const [plans, programs, cohortList] = await Promise.all([
    caller.billing.admin.plans(),
    caller.programs.list(),
    caller.cohorts.list(),
  ]);

  // Choices for the forms: every program and recent cohort, plus any a plan already names that
  // fell outside those lists, so an edit never drops them silently.
  const programChoices = programs.map((p) => ({
    id: p.id,
    title: p.title,
    archived: p.status === "ARCHIVED",
  }));
  const cohortChoices = cohortList.cohorts
    .filter((c) => !c.finishedAt)
    .map((c) => ({ id: c.id, label: `${c.name} (${c.program.title})` }));
  for (const plan of plans) {
    for (const program of plan.programs) {
      if (!programChoices.some((c) => c.id === program.id)) {
        programChoices.push({ id: program.id, title: program.title, archived: false });
      }
    }
    if (plan.cohort && !cohortChoices.some((c) => c.id === plan.cohort!.id)) {
      cohortChoices.push({
        id: plan.cohort.id,
        label: `${plan.cohort.name} (${plan.cohort.program.title})`,
      });
    }
  }

  const unsynced = plans.filter((p) => !p.synced).length;
  return (
    <>
      <PageHeader
        title="Plans"
        lead="What members can buy: memberships billed monthly or yearly, and one-time purchases of programs or cohort seats. Each plan is mirrored to Stripe."
        actions={
          <Link href="/admin/billing" className={buttonClass("secondary")}>
            Billing console
          </Link>
        }
      />
      {unsynced > 0 && (
        <div className="mb-6">
          <Notice tone="warn" role="alert">
            {unsynced === 1 ? "One plan is" : `${unsynced} plans are`} not synced with Stripe and
            cannot be bought. Open it below and save it again.
          </Notice>
        </div>
      )}
      <section aria-labelledby="plans-heading" className="mb-8">
        <h2 id="plans-heading" className="mb-3 font-serif text-xl">
          Plans
        </h2>
        {plans.length === 0 ? (
          <EmptyState title="No plans yet">
            Create the first one below. Programs whose access is “through a plan” can be bought once
            a plan opens them.
          </EmptyState>
        ) : (
          <ul aria-label="Plans" className="space-y-3">
            {plans.map((plan) => (
              <li key={plan.id} className={cardClass}>
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div className="min-w-0">
                    <h3 className="flex flex-wrap items-center gap-2 font-semibold">
                      <span className="break-words">{plan.name}</span>
                      <span className="pill">
                        {plan.kind === "RECURRING" ? "Recurring" : "One-time"}
                      </span>
                      {plan.active ? (
                        <span className="pill">On sale</span>
                      ) : (
                        <span className="rounded-full bg-line/60 px-2 py-0.5 text-xs font-medium text-ink">
                          Retired
                        </span>
                      )}
                    </h3>
                    {plan.description && (
                      <p className="mt-1 text-sm break-words text-muted">{plan.description}</p>
                    )}
                  </div>
                  <p className="text-lg font-semibold">{priceText(plan)}</p>
                </div>
                <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
                  <div className="flex gap-2">
                    <dt className="text-muted">Opens</dt>
                    <dd className="min-w-0 break-words">
                      <ScopeText plan={plan} />
                    </dd>
                  </div>
                  <div className="flex gap-2">
                    <dt className="text-muted">Holders</dt>
                    <dd>{plan.holders.toLocaleString("en-GB")}</dd>
                  </div>
                  {plan.kind === "RECURRING" && (
                    <>
                      <div className="flex gap-2">
                        <dt className="text-muted">Trial</dt>
                        <dd>
                          {plan.trialDays
                            ? `${plan.trialDays} day${plan.trialDays === 1 ? "" : "s"}`
                            : "None"}
                        </dd>
                      </div>
                      <div className="flex gap-2">
                        <dt className="text-muted">Pausable</dt>
                        <dd>{plan.pausable ? "Yes" : "No"}</dd>
                      </div>
                    </>
                  )}
                </dl>
                {!plan.synced && (
                  <div className="mt-3">
                    <Notice tone="warn">
                      Not synced with Stripe — save again. Nobody can buy it until then.
                    </Notice>
                  </div>
                )}
                <details className="mt-3">
                  <summary className="inline-flex min-h-11 cursor-pointer items-center text-sm font-semibold text-brand">
                    Edit<span className="sr-only"> {plan.name}</span>
                  </summary>
                  <div className="mt-3 border-t border-line pt-4">
                    <PlanForm
                      plan={{
                        id: plan.id,
                        name: plan.name,
                        description: plan.description,
                        kind: plan.kind,
                        interval: plan.interval,
                        amount: plan.amount,
                        currency: plan.currency,
                        trialDays: plan.trialDays,
                        pausable: plan.pausable,
                        scope: plan.scope,
                        active: plan.active,
                        programIds: plan.programs.map((p) => p.id),
                        cohortId: plan.cohort?.id ?? null,
                      }}
                      programs={programChoices}
                      cohorts={cohortChoices}
                    />
                  </div>
                </details>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="new-plan-heading" className={cardClass}>
        <h2 id="new-plan-heading" className="mb-1 font-serif text-xl">
          New plan
        </h2>
        <p className="mb-4 text-sm text-muted">
          Kind, interval, currency and what it opens cannot change later.
        </p>
        <PlanForm programs={programChoices} cohorts={cohortChoices} />
      </section>
    </>
  );
}
