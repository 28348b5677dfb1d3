export function ProgressBar(props: { done: number; total: number; label: string }) {
  const pct = props.total ? Math.round((props.done / props.total) * 100) : 0;
  return (
    <div>
      <div className="flex justify-between text-sm text-muted">
        <span>{props.label}</span>
        <span>
          {props.done} of {props.total} steps
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={props.total}
        aria-valuenow={props.done}
        aria-valuetext={`${props.done} of ${props.total} steps done`}
        className="mt-1 h-2.5 overflow-hidden rounded-full bg-line"
      >
        <div className="h-full rounded-full bg-brand" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
