import { configSchemas, type ExerciseKindName } from "@/server/programs/exercise-kinds";
import { Notice } from "../ui/Notice";
import { cardClass, inputClass } from "../ui/styles";
import { TextAreaField } from "../ui/TextAreaField";
import { KIND_INFO } from "./kinds";

/** An exercise as a member sees it, with every control disabled (nothing is saved). */
export function ExercisePreview(props: {
  id: string;
  kind: ExerciseKindName;
  prompt: string;
  config: unknown;
  revisitAfterDays: number | null;
}) {
  const parsed = configSchemas[props.kind].safeParse(props.config);
  const p = `preview-${props.id}`;
  return (
    // The player's card (ExerciseCard): kind, then the prompt as the title; the fieldset
    // disables every control inside.
    <div className={cardClass}>
      <p className="text-xs font-semibold uppercase tracking-wide text-brand-dark">
        {KIND_INFO[props.kind].label}
      </p>
      <fieldset disabled className="mt-1 space-y-3">
        <legend className="font-serif text-xl whitespace-pre-wrap">{props.prompt}</legend>
        {!parsed.success ? (
          <Notice tone="warn">
            This exercise’s settings are incomplete; fix them before publishing.
          </Notice>
        ) : (
          <Controls id={p} kind={props.kind} config={parsed.data} />
        )}
        {props.revisitAfterDays && (
          <p className="text-sm text-muted">
            You will be asked again after {props.revisitAfterDays} days.
          </p>
        )}
      </fieldset>
    </div>
  );
}

/** An empty answer box (the fieldset around the preview disables it). */
function Area(props: { id: string; label: string; rows?: number }) {
  return <TextAreaField id={props.id} label={props.label} rows={props.rows ?? 3} />;
}

function Controls(props: { id: string; kind: ExerciseKindName; config: Record<string, unknown> }) {
  const { id, config } = props;
  switch (props.kind) {
    case "REFLECTION": {
      const c = config as { probes: string[] };
      return (
        <>
          <Area id={`${id}-text`} label="Your answer" rows={6} />
          {c.probes.map((probe, i) => (
            <Area key={probe} id={`${id}-probe-${i}`} label={probe} />
          ))}
        </>
      );
    }
    case "LENSES": {
      const c = config as { lenses: string[] };
      return (
        <div className="grid gap-3 sm:grid-cols-2">
          {c.lenses.map((lens, i) => (
            <Area key={lens} id={`${id}-lens-${i}`} label={lens} />
          ))}
        </div>
      );
    }
    case "SCALE": {
      const c = config as { minLabel: string; maxLabel: string; followUp: string };
      return (
        <>
          <fieldset>
            <legend className="text-sm font-semibold">
              From 1 ({c.minLabel}) to 10 ({c.maxLabel})
            </legend>
            <div className="mt-2 flex flex-wrap gap-1">
              {Array.from({ length: 10 }, (_, i) => i + 1).map((n) => (
                <label
                  key={n}
                  className="flex min-h-11 min-w-11 items-center justify-center gap-1 rounded-lg border border-line"
                >
                  <input type="radio" name={`${id}-scale`} value={n} className="sr-only" />
                  {n}
                </label>
              ))}
            </div>
            <p className="mt-1 flex justify-between text-xs text-muted">
              <span>{c.minLabel}</span>
              <span>{c.maxLabel}</span>
            </p>
          </fieldset>
          <Area id={`${id}-followup`} label={c.followUp} />
        </>
      );
    }
    case "PEOPLE": {
      const c = config as { circles: string[] };
      return (
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="space-y-1">
            <label htmlFor={`${id}-name`} className="block text-sm font-semibold">
              Name
            </label>
            <input id={`${id}-name`} className={inputClass()} />
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-circle`} className="block text-sm font-semibold">
              Circle
            </label>
            <select id={`${id}-circle`} className={inputClass()}>
              {c.circles.map((circle) => (
                <option key={circle}>{circle}</option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-status`} className="block text-sm font-semibold">
              Keep, reconnect or move on
            </label>
            <select id={`${id}-status`} className={inputClass()}>
              <option>Keep close</option>
              <option>Reconnect</option>
              <option>Move on</option>
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor={`${id}-last`} className="block text-sm font-semibold">
              Last contact
            </label>
            <input id={`${id}-last`} type="date" className={inputClass()} />
          </div>
          <div className="sm:col-span-2">
            <Area id={`${id}-why`} label="Why" rows={2} />
          </div>
        </div>
      );
    }
    case "COMMITMENT": {
      const c = config as { dueInDays: number };
      return (
        <>
          <Area id={`${id}-text`} label="The first step I will take" rows={2} />
          <p className="text-sm text-muted">
            Due {c.dueInDays === 0 ? "today" : `in ${c.dueInDays} days`} (the member can change the
            date).
          </p>
        </>
      );
    }
    case "PRACTICE": {
      const c = config as { practices: { key: string; label: string }[] };
      return (
        <ul className="space-y-1">
          {c.practices.map((practice) => (
            <li key={practice.key}>
              <label className="flex min-h-11 items-center gap-2">
                <input type="checkbox" className="size-5" />
                {practice.label}
              </label>
            </li>
          ))}
        </ul>
      );
    }
  }
}
