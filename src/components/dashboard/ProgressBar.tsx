export function ProgressBar(props: { done: number; total: number; label: string }) {
  const pct = props.total === 0 ? 0 : Math.round((props.done / props.total) * 100);
  return (
    <div>
      <div
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={props.total}
        aria-valuenow={props.done}
        aria-valuetext={`${props.done} of ${props.total} steps done`}
        className="h-2 overflow-hidden rounded-full bg-line"
      >
        <div className="h-full rounded-full bg-brand" style={{ width: `${pct}%` }} />
      </div>
      <p className="mt-1 text-xs text-muted">
        {props.done} of {props.total} steps done
      </p>
    </div>
  );
}
