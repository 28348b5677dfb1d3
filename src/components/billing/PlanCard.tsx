import { formatMoney } from "@/lib/money";
import { buttonClass } from "../ui/styles";

export type PlanCardPlan = {
  id: string;
  name: string;
  description: string;
  kind: "RECURRING" | "ONE_TIME";
  interval: "MONTH" | "YEAR" | null;
  amount: number;
  currency: string;
  trialDays: number;
  pausable: boolean;
  scope: "ALL_PROGRAMS" | "SOME_PROGRAMS" | "COHORT_SEAT";
  programs: { id: string; title: string }[];
  cohort: { name: string; program: { title: string } } | null;
};

export function priceLabel(p: {
  kind: string;
  interval: string | null;
  amount: number;
  currency: string;
}) {
  const money = formatMoney(p.amount, p.currency);
  if (p.kind === "ONE_TIME") return `${money}, once`;
  return `${money} a ${p.interval === "YEAR" ? "year" : "month"}`;
}

function reach(p: PlanCardPlan): string {
  if (p.scope === "ALL_PROGRAMS") return "Every program offered with a membership";
  if (p.scope === "COHORT_SEAT") {
    return p.cohort ? `A seat in ${p.cohort.name} (${p.cohort.program.title})` : "A cohort seat";
  }
  return p.programs.map((x) => x.title).join(", ");
}

/** One plan with its buy button: a plain form, so buying needs no JavaScript. */
export function PlanCard({
  plan,
  from = "pricing",
}: {
  plan: PlanCardPlan;
  from?: "pricing" | "program";
}) {
  const headingId = `plan-${plan.id}`;
  return (
    <article aria-labelledby={headingId} className="card flex flex-col gap-3">
      <h3 id={headingId} className="font-serif text-2xl text-ink">
        {plan.name}
      </h3>
      <p className="text-lg font-semibold">{priceLabel(plan)}</p>
      {plan.trialDays > 0 && (
        <p className="text-sm text-brand-dark">
          First {plan.trialDays} days free: cancel before then and pay nothing.
        </p>
      )}
      {plan.description && <p className="text-muted">{plan.description}</p>}
      <ul className="list-disc space-y-1 pl-5 text-sm">
        <li>{reach(plan)}</li>
        {plan.kind === "RECURRING" && (
          <li>Cancel any time; you keep access to the end of the period you paid for.</li>
        )}
        {plan.pausable && <li>Pause when life gets full, and come back later.</li>}
        <li>
          Your journal stays yours, readable and exportable, whatever happens to the membership.
        </li>
      </ul>
      <form method="post" action="/api/billing/checkout" className="mt-auto pt-2">
        <input type="hidden" name="planId" value={plan.id} />
        <input type="hidden" name="from" value={from} />
        <button
          type="submit"
          className={`${buttonClass("primary")} w-full`}
          aria-describedby={headingId}
        >
          {plan.kind === "ONE_TIME" ? "Buy" : plan.trialDays > 0 ? "Start free trial" : "Join"}
        </button>
      </form>
    </article>
  );
}
