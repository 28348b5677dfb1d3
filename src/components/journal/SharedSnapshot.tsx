import { answerFields, readSnapshot } from "@/server/journal/fields";
import type { ExerciseKindName } from "@/server/programs/exercise-kinds";
import type { ShareSnapshot } from "@/server/sharing/service";
import { AnswerText } from "./AnswerText";
import { KIND_LABEL } from "./format";
import { LensGrid } from "./LensGrid";

/** A shared answer as it was when shared: the prompt, then the answer's fields. */
export function SharedSnapshot(props: { snapshot: ShareSnapshot; headingId: string }) {
  const prompt = readSnapshot(props.snapshot.prompt);
  const kind = props.snapshot.kind as ExerciseKindName;
  const fields = answerFields(kind, props.snapshot.content, prompt);
  const value = (props.snapshot.content as { value?: unknown } | null)?.value;
  return (
    <>
      <p className="text-sm text-muted">
        {KIND_LABEL[kind] ?? kind} · {prompt.stepTitle}
      </p>
      <h3 id={props.headingId} className="mt-1 font-serif text-lg">
        {prompt.prompt}
      </h3>
      {kind === "SCALE" && typeof value === "number" && (
        <p className="mt-2">
          <span className="font-serif text-2xl text-brand-dark">{value}</span>
          <span className="text-muted"> / 10</span>
        </p>
      )}
      <div className="mt-3">
        {kind === "LENSES" ? (
          <LensGrid fields={fields} />
        ) : (
          <div className="space-y-3">
            {fields.map((f) => (
              <section key={f.key}>
                <h4 className="mb-1 text-sm font-semibold text-muted">{f.label}</h4>
                <AnswerText text={f.text} />
              </section>
            ))}
          </div>
        )}
      </div>
    </>
  );
}
