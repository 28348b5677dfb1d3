import { formatMoney } from "@/lib/money";

type Money = { currency: string; amount: number };
type Month = { month: string; revenue: Money[] };

const monthName = new Intl.DateTimeFormat("en-GB", { month: "short", timeZone: "UTC" });
const monthYear = new Intl.DateTimeFormat("en-GB", {
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});
const at = (month: string) => new Date(`${month}-01T00:00:00Z`);

function amountIn(m: Month, currency: string) {
  return Math.max(0, m.revenue.find((r) => r.currency === currency)?.amount ?? 0);
}

/**
 * One currency's twelve months as CSS bars (text stays readable at any width, unlike a scaled
 * SVG). Decorative for screen readers: the numbers are in the table after the charts.
 */
function Bars(props: { months: Month[]; currency: string }) {
  const { months, currency } = props;
  const values = months.map((m) => amountIn(m, currency));
  const max = Math.max(...values, 1);
  const total = values.reduce((a, b) => a + b, 0);
  const last = values.at(-1) ?? 0;
  return (
    <figure className="space-y-2">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-x-4 text-sm">
        <span className="font-semibold">{currency.toUpperCase()}</span>
        <span className="text-muted">
          {formatMoney(total, currency)} in 12 months · {formatMoney(last, currency)} this month
        </span>
      </figcaption>
      <div aria-hidden="true">
        <div className="flex h-36 items-end gap-1 border-b border-line">
          {months.map((m, i) => (
            <div key={m.month} className="flex h-full flex-1 flex-col justify-end">
              <div
                className={
                  i === months.length - 1 ? "rounded-t bg-brand-dark" : "rounded-t bg-brand"
                }
                style={{
                  height: values[i]
                    ? `${Math.max(2, Math.round((values[i]! / max) * 1000) / 10)}%`
                    : 0,
                }}
              />
            </div>
          ))}
        </div>
        <div className="mt-1 flex gap-1 text-[0.7rem] text-muted">
          {months.map((m) => (
            <span key={m.month} className="flex-1 overflow-hidden text-center">
              {monthName.format(at(m.month))}
            </span>
          ))}
        </div>
        <p className="mt-1 text-xs text-muted">Highest month: {formatMoney(max, currency)}</p>
      </div>
    </figure>
  );
}

/**
 * Paid invoices and one-time purchases (less refunds) per month, one chart per currency (sums in
 * different currencies mean nothing together), the biggest first, with the numbers as a table
 * for screen readers.
 */
export function RevenueChart(props: { months: Month[] }) {
  const { months } = props;
  const totals = new Map<string, number>();
  for (const m of months) {
    for (const r of m.revenue) totals.set(r.currency, (totals.get(r.currency) ?? 0) + r.amount);
  }
  const currencies = [...totals]
    .filter(([, total]) => total > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([c]) => c);
  if (currencies.length === 0 || months.length === 0) {
    return <p className="text-sm text-muted">No revenue in the last 12 months yet.</p>;
  }
  return (
    <div className="space-y-6">
      {currencies.map((currency) => (
        <Bars key={currency} months={months} currency={currency} />
      ))}
      <div className="relative">
        <table className="sr-only">
          <caption>Revenue per month, the last 12 months</caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              {currencies.map((c) => (
                <th key={c} scope="col">
                  {c.toUpperCase()}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{monthYear.format(at(m.month))}</th>
                {currencies.map((c) => (
                  <td key={c}>{formatMoney(amountIn(m, c), c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
