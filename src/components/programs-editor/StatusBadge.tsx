import { STATUS_BADGE } from "./kinds";

export function StatusBadge(props: { status: keyof typeof STATUS_BADGE }) {
  const badge = STATUS_BADGE[props.status];
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${badge.className}`}>
      {badge.label}
    </span>
  );
}
