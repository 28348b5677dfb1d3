import type { Metadata } from "next";
import { StepBody, StepNav, StepProgress, StepTrail } from "@/components/player/StepView";
import { ExercisePreview } from "@/components/programs-editor/ExercisePreview";
import { StatusBadge } from "@/components/programs-editor/StatusBadge";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { buttonClass } from "@/components/ui/styles";
import { renderStepBody } from "@/lib/markdown";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";
import { loadOwnProgram } from "@/server/programs/load";

export const metadata: Metadata = { title: "Preview" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/**
 * The program as a member meets it, one step at a time, with the player's own parts (trail,
 * progress row, body, step navigation) from src/components/player/StepView.tsx. Exercises show
 * disabled; nothing is saved. ?step= picks the step (the first one otherwise).
 */
export default async function PreviewProgramPage({ params, searchParams }: Props) {
  const { id } = await params;
  const query = await searchParams;
  await requireRole(COACH_ROLES, `/coach/programs/${id}/preview`);
  const program = await loadOwnProgram(id);
  const editor = `/coach/programs/${program.id}`;
  const here = `${editor}/preview`;
  const steps = program.modules.flatMap((m) => m.steps.map((s) => ({ ...s, module: m })));
  const wanted = typeof query.step === "string" ? query.step : undefined;
  const index = Math.max(
    0,
    steps.findIndex((s) => s.id === wanted),
  );
  const step = steps[index];

  const banner = (
    <div className="sticky top-0 z-10 mb-4">
      <Notice tone="warn" role="status">
        <span className="font-semibold">Preview — answers are not saved.</span> This is the program
        as a member sees it.{" "}
        <Link
          href={step ? `${editor}?step=${step.id}` : editor}
          className="underline underline-offset-4"
        >
          Back to the editor
        </Link>
      </Notice>
    </div>
  );

  if (!step) {
    return (
      <>
        {banner}
        <h1 className="font-serif text-3xl text-ink">{program.title}</h1>
        <p className="mt-2 text-muted">This program has no steps yet: add some in the editor.</p>
      </>
    );
  }

  const prev = steps[index - 1];
  const next = steps[index + 1];
  return (
    <>
      {banner}
      <article className="space-y-6">
        <StepTrail items={[{ label: program.title }, { label: step.module.title }]} />
        <StepProgress done={0} total={steps.length} index={index + 1} count={steps.length} />
        <header>
          <h1 className="font-serif text-3xl text-ink">{step.title || "Untitled"}</h1>
          <p className="mt-1">
            <StatusBadge status={program.status} />
          </p>
        </header>
        <StepBody html={renderStepBody(step.body)} />
        {step.exercises.length > 0 && (
          <div className="space-y-6">
            {step.exercises.map((e) => (
              <ExercisePreview
                key={e.id}
                id={e.id}
                kind={e.kind}
                prompt={e.prompt}
                config={e.config}
                revisitAfterDays={e.revisitAfterDays}
              />
            ))}
          </div>
        )}
        <p>
          <button type="button" disabled className={buttonClass("primary")}>
            {step.exercises.length > 0
              ? "Submit (disabled in preview)"
              : "Mark as done (disabled in preview)"}
          </button>
        </p>
        <StepNav
          prevHref={prev ? `${here}?step=${prev.id}` : null}
          next={
            next
              ? { kind: "step", href: `${here}?step=${next.id}`, title: next.title || "Untitled" }
              : { kind: "end", href: `${editor}?step=${step.id}`, label: "Finish the preview" }
          }
        />
        <details className="rounded-xl border border-line bg-card p-3">
          <summary className="flex min-h-11 cursor-pointer items-center rounded-lg px-2 text-sm font-semibold text-brand hover:bg-brand-soft">
            All steps ({steps.length})
          </summary>
          <ol className="mt-2 list-decimal space-y-1 pl-8 text-sm">
            {steps.map((s) => (
              <li key={s.id}>
                <Link
                  href={`${here}?step=${s.id}`}
                  aria-current={s.id === step.id ? "page" : undefined}
                  className="text-brand underline aria-[current=page]:font-semibold"
                >
                  {s.title || "Untitled"}
                </Link>{" "}
                <span className="text-muted">· {s.module.title}</span>
              </li>
            ))}
          </ol>
        </details>
      </article>
    </>
  );
}
