/** Consecutive active days; yesterday's streak still stands until today is over. */
export function StreakBadge(props: { days: number; activeToday: boolean }) {
  const { days, activeToday } = props;
  const label =
    days === 0
      ? "No streak yet — any step today starts one"
      : `${days}-day streak${activeToday ? "" : " · keep it going today"}`;
  const spoken =
    days === 0
      ? label
      : `Streak: ${days} active ${days === 1 ? "day" : "days"} in a row${activeToday ? ", including today" : ", today not yet"}.`;
  return (
    <p className="inline-flex items-center gap-2 rounded-full border border-line bg-card px-4 py-2 text-sm font-semibold text-ink">
      <span
        aria-hidden="true"
        className={`inline-flex h-7 min-w-7 items-center justify-center rounded-full px-1.5 ${
          days > 0 ? "bg-brand text-white" : "bg-line text-muted"
        }`}
      >
        {days}
      </span>
      <span aria-hidden="true">{label}</span>
      <span className="sr-only">{spoken}</span>
    </p>
  );
}
