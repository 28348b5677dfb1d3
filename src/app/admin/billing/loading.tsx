export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-4">
      <span className="sr-only">Loading…</span>
      <div className="h-8 w-64 rounded-lg bg-line" />
      <div className="h-32 rounded-2xl bg-line/60" />
    </div>
  );
}
