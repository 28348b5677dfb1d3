import type { TextField } from "@/server/journal/fields";
import { AnswerText } from "./AnswerText";

/** Lens answers side by side (stacked on narrow screens). */
export function LensGrid(props: { fields: TextField[]; headingLevel?: 3 | 4 }) {
  const H = props.headingLevel === 3 ? "h3" : "h4";
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {props.fields.map((f) => (
        <section key={f.key} className="rounded-xl border border-line bg-paper p-3">
          <H className="mb-1 text-sm font-semibold uppercase tracking-wide text-brand-dark">
            {f.label}
          </H>
          <AnswerText text={f.text} />
        </section>
      ))}
    </div>
  );
}
