import type { inferRouterOutputs } from "@trpc/server";
import { formatMoney } from "@/lib/money";
import type { AppRouter } from "@/server/trpc/root";
import { cardClass } from "../ui/styles";
import { MoneyLines } from "./parts";

type Overview = inferRouterOutputs<AppRouter>["billing"]["admin"]["overview"];

/** The four numbers at the top: MRR, subscriptions by status, churn and one-time revenue. */
export function OverviewCards({ overview }: { overview: Overview }) {
  const { counts, churn30 } = overview;
  return (
    <section aria-label="Summary" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <div className={cardClass}>
        <h2 className="text-sm font-semibold text-muted">Monthly recurring revenue</h2>
        <div className="mt-2">
          <MoneyLines items={overview.mrr} empty="No paying subscriptions yet." />
        </div>
        <p className="mt-2 text-xs text-muted">
          Active and past-due subscriptions, yearly ones counted as a twelfth.
        </p>
      </div>
      <div className={cardClass}>
        <h2 className="text-sm font-semibold text-muted">Subscriptions</h2>
        <dl className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
          {(
            [
              ["Active", counts.active],
              ["Trialing", counts.trialing],
              ["Past due", counts.pastDue],
              ["Canceled", counts.canceled],
            ] as const
          ).map(([label, n]) => (
            <div key={label} className="flex items-baseline justify-between gap-2">
              <dt className="text-muted">{label}</dt>
              <dd
                className={
                  label === "Past due" && n > 0
                    ? "text-lg font-semibold text-danger"
                    : "text-lg font-semibold"
                }
              >
                {n.toLocaleString("en-GB")}
              </dd>
            </div>
          ))}
        </dl>
      </div>
      <div className={cardClass}>
        <h2 className="text-sm font-semibold text-muted">Churn, last 30 days</h2>
        {churn30.base > 0 ? (
          <>
            <p className="mt-2 text-2xl font-semibold">{(churn30.rate * 100).toFixed(1)}%</p>
            <p className="mt-1 text-sm text-muted">
              {churn30.canceled.toLocaleString("en-GB")} canceled of{" "}
              {churn30.base.toLocaleString("en-GB")} subscribed 30 days ago.
            </p>
          </>
        ) : (
          <p className="mt-2 text-muted">
            Nobody was subscribed 30 days ago
            {churn30.canceled ? ` (${churn30.canceled} canceled since)` : ""}.
          </p>
        )}
      </div>
      <div className={cardClass}>
        <h2 className="text-sm font-semibold text-muted">One-time revenue</h2>
        <div className="mt-2">
          <MoneyLines items={overview.oneTime} empty="No purchases yet." />
        </div>
        <p className="mt-2 text-sm text-muted">
          Last 30 days:{" "}
          {overview.oneTime30.length
            ? overview.oneTime30.map((m) => formatMoney(m.amount, m.currency)).join(", ")
            : "none"}
          . Net of refunds.
        </p>
      </div>
    </section>
  );
}
