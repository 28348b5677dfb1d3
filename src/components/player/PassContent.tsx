import { lensNames, readSnapshot } from "@/server/journal/fields";
import type { ExerciseKindName } from "@/server/programs/exercise-kinds";

const STATUS = { KEEP: "Keep close", RECONNECT: "Reconnect", MOVE_ON: "Move on" } as const;

type Snapshot = { prompt?: string; config?: Record<string, unknown> };

/** A submitted answer, read-only, as plain text (never HTML from the member). */
export function PassContent(props: {
  kind: ExerciseKindName;
  content: unknown;
  snapshot?: unknown;
}) {
  const c = (props.content ?? {}) as Record<string, unknown>;
  const snap = (props.snapshot ?? {}) as Snapshot;
  const text = (v: unknown) => (typeof v === "string" && v.trim() ? v : "—");
  const body = (() => {
    switch (props.kind) {
      case "REFLECTION": {
        const probes = (snap.config?.probes as string[] | undefined) ?? [];
        return (
          <>
            <p className="whitespace-pre-wrap">{text(c.text)}</p>
            {((c.probes as string[] | undefined) ?? []).map((answer, i) =>
              answer ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: a fixed, read-only list
                <div key={i} className="mt-2">
                  <p className="text-sm font-semibold text-muted">{probes[i] ?? "Why?"}</p>
                  <p className="whitespace-pre-wrap">{answer}</p>
                </div>
              ) : null,
            )}
          </>
        );
      }
      case "LENSES": {
        // In the prompt's order (the form's), not the stored object's (PostgreSQL's jsonb
        // orders keys by length).
        const answers = (c.answers as Record<string, string> | undefined) ?? {};
        return (
          <dl className="grid gap-3 md:grid-cols-2">
            {lensNames(props.content, readSnapshot(props.snapshot)).map((lens) => (
              <div key={lens}>
                <dt className="text-sm font-semibold text-muted">{lens}</dt>
                <dd className="whitespace-pre-wrap">{text(answers[lens])}</dd>
              </div>
            ))}
          </dl>
        );
      }
      case "SCALE":
        return (
          <>
            <p>
              <span className="font-serif text-2xl">{String(c.value ?? "—")}</span>
              <span className="text-muted"> / 10</span>
            </p>
            {text(c.followUp) !== "—" && (
              <p className="whitespace-pre-wrap">{String(c.followUp)}</p>
            )}
            {text(c.why) !== "—" && (
              <p className="whitespace-pre-wrap text-muted">Why it moved: {String(c.why)}</p>
            )}
          </>
        );
      case "PEOPLE":
        return (
          <ul className="space-y-1">
            {((c.people as Record<string, string>[]) ?? []).map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed, read-only list
              <li key={i}>
                <span className="font-semibold">{p.name}</span> · {p.circle} ·{" "}
                {STATUS[p.status as keyof typeof STATUS] ?? p.status}
                {p.why ? ` — ${p.why}` : ""}
                {p.lastContact ? ` (last contact ${p.lastContact})` : ""}
              </li>
            ))}
          </ul>
        );
      case "COMMITMENT":
        return (
          <p className="whitespace-pre-wrap">
            {text(c.text)} <span className="text-muted">(by {String(c.dueOn ?? "—")})</span>
          </p>
        );
      case "PRACTICE": {
        const practices =
          (snap.config?.practices as { key: string; label: string }[] | undefined) ?? [];
        const label = (key: string) => practices.find((p) => p.key === key)?.label ?? key;
        return (
          <>
            <p>{((c.ticked as string[]) ?? []).map(label).join(", ") || "—"}</p>
            {text(c.note) !== "—" && <p className="whitespace-pre-wrap">{String(c.note)}</p>}
          </>
        );
      }
    }
  })();
  return <div className="space-y-1 break-words">{body}</div>;
}
