import type { DiffSegment } from "@/lib/diff";

/**
 * A diff as text: additions underlined in green, removals struck through in red; a rewritten
 * sentence shows whole, the old one then the new one.
 */
export function DiffText(props: { segments: DiffSegment[] }) {
  if (props.segments.length === 0)
    return <p className="text-sm text-muted italic">Left empty both times.</p>;
  // Keys from the segment's position in the combined text: stable and unique.
  let offset = 0;
  const keyed = props.segments.map((s) => {
    const key = `${s.op}-${offset}`;
    offset += s.text.length;
    return { ...s, key };
  });
  return (
    <p className="whitespace-pre-wrap break-words leading-relaxed">
      {keyed.map((s) =>
        s.op === "same" ? (
          <span key={s.key}>{s.text}</span>
        ) : s.op === "added" ? (
          <ins
            key={s.key}
            className="rounded-sm bg-brand-soft px-0.5 text-brand-dark underline decoration-2"
          >
            {s.text}
          </ins>
        ) : (
          <del key={s.key} className="rounded-sm bg-danger-soft px-0.5 text-danger line-through">
            {s.text}
          </del>
        ),
      )}
    </p>
  );
}

export function DiffLegend() {
  return (
    <div className="flex flex-wrap gap-x-6 gap-y-2 text-sm">
      <span className="font-semibold">Legend:</span>
      <span>
        <ins className="rounded-sm bg-brand-soft px-1 text-brand-dark underline decoration-2">
          added text
        </ins>{" "}
        is new in the later pass
      </span>
      <span>
        <del className="rounded-sm bg-danger-soft px-1 text-danger line-through">removed text</del>{" "}
        was only in the earlier pass
      </span>
    </div>
  );
}
