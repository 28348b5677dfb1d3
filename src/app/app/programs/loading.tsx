export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-4">
      <span className="sr-only">Loading programs…</span>
      <div className="h-8 w-56 rounded-lg bg-line" />
      <div className="grid gap-4 md:grid-cols-2">
        <div className="h-44 rounded-2xl bg-line/60" />
        <div className="h-44 rounded-2xl bg-line/60" />
      </div>
    </div>
  );
}
