export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-4">
      <span className="sr-only">Loading the step…</span>
      <div className="h-4 w-48 rounded bg-line" />
      <div className="h-8 w-80 rounded-lg bg-line" />
      <div className="h-24 rounded-2xl bg-line/60" />
      <div className="h-56 rounded-2xl bg-line/60" />
    </div>
  );
}
