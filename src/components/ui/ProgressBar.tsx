/** Steps done out of total, as an accessible progress bar with its numbers in text too. */
export function ProgressBar(props: {
  done: number;
  total: number;
  label: string;
  /** "header": label and count above the bar (player); "caption": count below (cards). */
  layout?: "header" | "caption";
}) {
  const pct = props.total ? Math.round((props.done / props.total) * 100) : 0;
  const bar = (
    <div
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={props.total}
      aria-valuenow={props.done}
      aria-valuetext={`${props.done} of ${props.total} steps done`}
      className={
        props.layout === "caption"
          ? "h-2 overflow-hidden rounded-full bg-line"
          : "mt-1 h-2.5 overflow-hidden rounded-full bg-line"
      }
    >
      <div className="h-full rounded-full bg-brand" style={{ width: `${pct}%` }} />
    </div>
  );
  if (props.layout === "caption") {
    return (
      <div>
        {bar}
        <p className="mt-1 text-xs text-muted">
          {props.done} of {props.total} steps done
        </p>
      </div>
    );
  }
  return (
    <div>
      <div className="flex justify-between text-sm text-muted">
        <span>{props.label}</span>
        <span>{props.done} done</span>
      </div>
      {bar}
    </div>
  );
}
