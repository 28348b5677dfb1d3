import { formatDate } from "@/lib/format-date";

type Point = { passId: string; date: Date; value: number; why: string };

/**
 * The 1–10 trend as an SVG line chart, with a <title>/<desc> for screen readers and the same
 * numbers as a table (the table is the accessible alternative, not hidden).
 */
export function ScaleChart(props: {
  points: Point[];
  timeZone: string;
  minLabel?: string;
  maxLabel?: string;
}) {
  const { points, timeZone } = props;
  const width = 640;
  const height = 260;
  const pad = { left: 48, right: 44, top: 24, bottom: 44 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const x = (i: number) =>
    pad.left + (points.length === 1 ? innerW / 2 : (i / (points.length - 1)) * innerW);
  const y = (v: number) => pad.top + ((10 - v) / 9) * innerH;
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(i)},${y(p.value)}`).join(" ");
  // At most ~6 date labels so they never overlap; every point keeps its value label.
  const labelEvery = Math.ceil(points.length / 6);
  const summary = points.map((p) => `${formatDate(p.date, timeZone)}: ${p.value}`).join("; ");

  return (
    <figure className="space-y-4">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="trend-title trend-desc"
        className="h-auto w-full max-w-2xl"
      >
        <title id="trend-title">Your answers on a scale from 1 to 10 over time</title>
        <desc id="trend-desc">{summary}</desc>
        {[1, 4, 7, 10].map((v) => (
          <g key={v}>
            <line
              x1={pad.left}
              x2={width - pad.right}
              y1={y(v)}
              y2={y(v)}
              stroke="var(--color-line)"
              strokeDasharray={v === 1 || v === 10 ? undefined : "4 4"}
            />
            <text
              x={pad.left - 10}
              y={y(v) + 4}
              textAnchor="end"
              fontSize="14"
              fill="var(--color-muted)"
            >
              {v}
            </text>
          </g>
        ))}
        <path
          d={path}
          fill="none"
          stroke="var(--color-brand)"
          strokeWidth="3"
          strokeLinejoin="round"
        />
        {points.map((p, i) => (
          <g key={p.passId}>
            <circle
              cx={x(i)}
              cy={y(p.value)}
              r="6"
              fill="var(--color-brand)"
              stroke="white"
              strokeWidth="2"
            />
            <text
              x={x(i)}
              y={y(p.value) - 12}
              textAnchor="middle"
              fontSize="16"
              fontWeight="600"
              fill="var(--color-ink)"
            >
              {p.value}
            </text>
            {(i % labelEvery === 0 || i === points.length - 1) && (
              <text
                x={x(i)}
                y={height - 18}
                textAnchor="middle"
                fontSize="14"
                fill="var(--color-muted)"
              >
                {formatDate(p.date, timeZone)}
              </text>
            )}
          </g>
        ))}
      </svg>
      {(props.minLabel || props.maxLabel) && (
        <p className="text-sm text-muted">
          1 means “{props.minLabel}”, 10 means “{props.maxLabel}”.
        </p>
      )}
      <figcaption className="sr-only">The same values are listed in the table below.</figcaption>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe scrollable-region-focusable) */}
      <section className="overflow-x-auto" tabIndex={0} aria-label="Scale values table">
        <table className="w-full min-w-96 text-left text-sm">
          <caption className="mb-2 text-left font-semibold">
            Scale values and why they moved
          </caption>
          <thead>
            <tr className="border-b border-line">
              <th scope="col" className="py-2 pr-4">
                Date
              </th>
              <th scope="col" className="py-2 pr-4">
                Value
              </th>
              <th scope="col" className="py-2 pr-4">
                Change
              </th>
              <th scope="col" className="py-2">
                Why it moved
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p, i) => {
              const prev = points[i - 1];
              const delta = prev ? p.value - prev.value : null;
              return (
                <tr key={p.passId} className="border-b border-line/60 align-top">
                  <td className="py-2 pr-4 whitespace-nowrap">{formatDate(p.date, timeZone)}</td>
                  <td className="py-2 pr-4 font-semibold">{p.value} / 10</td>
                  <td className="py-2 pr-4">
                    {delta === null
                      ? "—"
                      : delta > 0
                        ? `+${delta}`
                        : delta === 0
                          ? "±0"
                          : `${delta}`}
                  </td>
                  <td className="py-2 whitespace-pre-wrap break-words">
                    {p.why.trim() || <span className="text-muted italic">No note</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </figure>
  );
}
