import clsx from "clsx";
import type { Metadata } from "next";
import { StepBody } from "@/components/player/StepView";
import { AddTitleForm } from "@/components/programs-editor/AddTitleForm";
import { ExerciseEditor } from "@/components/programs-editor/ExerciseEditor";
import { KIND_INFO } from "@/components/programs-editor/kinds";
import { ModuleForm } from "@/components/programs-editor/ModuleForm";
import { ProgramActions } from "@/components/programs-editor/ProgramActions";
import { ProgramDetailsForm } from "@/components/programs-editor/ProgramDetailsForm";
import { Sortable } from "@/components/programs-editor/Sortable";
import { StatusBadge } from "@/components/programs-editor/StatusBadge";
import { StepForm } from "@/components/programs-editor/StepForm";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { renderStepBody } from "@/lib/markdown";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";
import { loadOwnProgram, type ProgramOutline } from "@/server/programs/load";

export const metadata: Metadata = { title: "Edit program" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};
type Program = ProgramOutline;
type Module = Program["modules"][number];
type Step = Module["steps"][number];

const summaryClass =
  "flex min-h-11 cursor-pointer items-center rounded-lg px-2 text-sm font-semibold text-brand hover:bg-brand-soft";
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/**
 * The coach's editor: a header bar with the program's status and actions, the outline (modules
 * and their steps, reorderable) beside what is selected in it — the program's details, a module
 * or a step. The selection is in the address (?module= or ?step=), so it survives a reload and
 * the browser's back button; an id that is not (or no longer) in this program selects nothing.
 */
export default async function EditProgramPage({ params, searchParams }: Props) {
  const { id } = await params;
  const query = await searchParams;
  await requireRole(COACH_ROLES, `/coach/programs/${id}`);
  const program = await loadOwnProgram(id);
  const modules = program.modules.map((m) => ({ id: m.id, title: m.title }));
  const base = `/coach/programs/${program.id}`;

  const selected = select(program, one(query.step), one(query.module));
  const missing = Boolean(one(query.step) || one(query.module)) && selected.kind === "details";
  const current =
    selected.kind === "step"
      ? selected.step.id
      : selected.kind === "module"
        ? selected.module.id
        : null;

  return (
    <>
      <header className="mb-6 space-y-3 border-b border-line pb-4">
        <p>
          <Link href="/coach/programs" className="text-sm text-brand underline underline-offset-4">
            ← All programs
          </Link>
        </p>
        <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-3">
          <div className="min-w-0">
            <h1 className="font-serif text-3xl text-ink break-words">{program.title}</h1>
            <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-muted">
              <StatusBadge status={program.status} />
              <span className="break-all">/{program.slug}</span>
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Link
              href={`${base}/preview${selected.kind === "step" ? `?step=${selected.step.id}` : ""}`}
              className={buttonClass("secondary")}
            >
              Preview as a member
            </Link>
            <Link href={`/coach/progress/${program.id}`} className={buttonClass("secondary")}>
              Progress
            </Link>
          </div>
        </div>
        <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-2">
          <p className="max-w-prose text-sm text-muted">
            {program.status === "PUBLISHED"
              ? "Published: members can open it. Edits show at once; answers already given keep the wording they answered."
              : program.status === "ARCHIVED"
                ? "Archived: members cannot open it; their answers stay in their journals."
                : "Draft: only you and admins see it. Publishing checks that every part is complete."}
          </p>
          <ProgramActions id={program.id} title={program.title} status={program.status} />
        </div>
      </header>

      <div className="grid items-start gap-6 lg:grid-cols-[20rem_minmax(0,1fr)]">
        <nav
          aria-labelledby="outline-heading"
          className={clsx(cardClass, "space-y-3 lg:sticky lg:top-4")}
        >
          <h2 id="outline-heading" className="font-serif text-xl">
            Outline
          </h2>
          <OutlineLink href={base} current={selected.kind === "details"}>
            Program details
          </OutlineLink>
          {program.modules.length === 0 ? (
            <p className="text-sm text-muted">No modules yet: add the first one below.</p>
          ) : (
            <Sortable
              compact
              kind="modules"
              parentId={program.id}
              label="Modules"
              items={program.modules.map((m, mi) => ({
                id: m.id,
                label: m.title,
                content: (
                  <h3 className="text-sm">
                    <OutlineLink href={`${base}?module=${m.id}`} current={current === m.id} strong>
                      <span className="text-muted">Module {mi + 1}:</span> {m.title}
                    </OutlineLink>
                  </h3>
                ),
                below:
                  m.steps.length === 0 ? (
                    <p className="py-1 pl-4 text-sm text-muted">No steps yet.</p>
                  ) : (
                    <div className="mt-1 border-l-2 border-line pl-2">
                      <Sortable
                        compact
                        kind="steps"
                        parentId={m.id}
                        label={`Steps of ${m.title}`}
                        items={m.steps.map((s, si) => ({
                          id: s.id,
                          label: s.title || `Untitled step ${si + 1}`,
                          content: (
                            <OutlineLink href={`${base}?step=${s.id}`} current={current === s.id}>
                              <span className="text-muted">Step {si + 1}:</span>{" "}
                              {s.title || <em className="text-danger">Untitled</em>}
                            </OutlineLink>
                          ),
                        }))}
                      />
                    </div>
                  ),
              }))}
            />
          )}
          <p className="text-xs text-muted">Reorder with the ↑ ↓ buttons or drag a handle (⠿).</p>
          <div className="border-t border-line pt-3">
            <AddTitleForm kind="module" parentId={program.id} programId={program.id} />
          </div>
        </nav>

        <div className="min-w-0">
          {missing && (
            <Notice tone="warn" role="status">
              That module or step is no longer in this program. Here are the program’s details.
            </Notice>
          )}
          {selected.kind === "step" ? (
            <StepPane
              key={selected.step.id}
              base={base}
              step={selected.step}
              module={selected.module}
              mi={selected.mi}
              si={selected.si}
              modules={modules}
            />
          ) : selected.kind === "module" ? (
            <ModulePane
              key={selected.module.id}
              base={base}
              programId={program.id}
              module={selected.module}
              mi={selected.mi}
              cohortPaced={program.pacing === "COHORT_PACED"}
            />
          ) : (
            <section
              aria-labelledby="details-heading"
              className={clsx(cardClass, missing && "mt-4")}
            >
              <h2 id="details-heading" className="mb-4 font-serif text-2xl">
                Program details
              </h2>
              <ProgramDetailsForm
                id={program.id}
                initial={{
                  title: program.title,
                  slug: program.slug,
                  summary: program.summary,
                  pacing: program.pacing,
                  accessRule: program.accessRule,
                  coverImage: program.coverImage,
                  minutesPerStep: program.minutesPerStep,
                }}
              />
            </section>
          )}
        </div>
      </div>
    </>
  );
}

type Selection =
  | { kind: "step"; step: Step; module: Module; mi: number; si: number }
  | { kind: "module"; module: Module; mi: number }
  | { kind: "details" };

function select(program: Program, stepId?: string, moduleId?: string): Selection {
  for (const [mi, m] of program.modules.entries()) {
    if (moduleId === m.id) return { kind: "module", module: m, mi };
    for (const [si, s] of m.steps.entries())
      if (stepId === s.id) return { kind: "step", step: s, module: m, mi, si };
  }
  return { kind: "details" };
}

function OutlineLink(props: {
  href: string;
  current: boolean;
  strong?: boolean;
  children: React.ReactNode;
}) {
  return (
    <Link
      href={props.href}
      aria-current={props.current ? "page" : undefined}
      className={clsx(
        "block min-h-8 rounded-md px-2 py-1 text-sm break-words hover:bg-brand-soft",
        props.strong && "font-semibold",
        props.current && "bg-brand-soft font-semibold text-brand-dark ring-1 ring-brand",
      )}
    >
      {props.children}
    </Link>
  );
}

function Eyebrow(props: { children: React.ReactNode }) {
  return <p className="text-sm font-semibold text-muted">{props.children}</p>;
}

function ModulePane(props: {
  base: string;
  programId: string;
  module: Module;
  mi: number;
  cohortPaced: boolean;
}) {
  const m = props.module;
  return (
    <section aria-labelledby="pane-heading" className={clsx(cardClass, "space-y-6")}>
      <div>
        <Eyebrow>Module {props.mi + 1}</Eyebrow>
        <h2 id="pane-heading" className="font-serif text-2xl break-words">
          {m.title}
        </h2>
        {props.cohortPaced && (
          <p className="text-sm text-muted">Unlocks on day {m.unlockDayOffset} of the cohort.</p>
        )}
      </div>
      <ModuleForm
        id={m.id}
        title={m.title}
        unlockDayOffset={m.unlockDayOffset}
        cohortPaced={props.cohortPaced}
        afterDelete={props.base}
      />
      <section
        aria-labelledby="module-steps-heading"
        className="space-y-3 border-t border-line pt-4"
      >
        <h3 id="module-steps-heading" className="font-serif text-xl">
          Steps
        </h3>
        {m.steps.length === 0 ? (
          <EmptyState title="No steps yet">
            A step is a page members read and answer. Add the first one below.
          </EmptyState>
        ) : (
          <ol className="list-decimal space-y-1 pl-6">
            {m.steps.map((s, si) => (
              <li key={s.id}>
                <Link href={`${props.base}?step=${s.id}`} className="text-brand underline">
                  {s.title || `Untitled step ${si + 1}`}
                </Link>{" "}
                <span className="text-sm text-muted">
                  · {s.exercises.length} {s.exercises.length === 1 ? "exercise" : "exercises"}
                </span>
              </li>
            ))}
          </ol>
        )}
        <AddTitleForm kind="step" parentId={m.id} programId={props.programId} />
      </section>
    </section>
  );
}

function StepPane(props: {
  base: string;
  step: Step;
  module: Module;
  mi: number;
  si: number;
  modules: { id: string; title: string }[];
}) {
  const s = props.step;
  const html = renderStepBody(s.body);
  return (
    <section aria-labelledby="pane-heading" className="space-y-6">
      <div className={clsx(cardClass, "space-y-4")}>
        <div>
          <Eyebrow>
            <Link href={`${props.base}?module=${props.module.id}`} className="underline">
              Module {props.mi + 1}: {props.module.title}
            </Link>{" "}
            · Step {props.si + 1}
          </Eyebrow>
          <h2 id="pane-heading" className="font-serif text-2xl break-words">
            {s.title || <em className="text-danger">Untitled</em>}
          </h2>
          <p className="text-sm text-muted">
            {s.exercises.length} {s.exercises.length === 1 ? "exercise" : "exercises"}
            {s.body.trim() ? " · has a body" : " · no body"}
          </p>
        </div>
        <StepForm
          id={s.id}
          title={s.title}
          body={s.body}
          moduleId={props.module.id}
          modules={props.modules}
          afterDelete={`${props.base}?module=${props.module.id}`}
        />
      </div>

      <section aria-label="Body preview" className={clsx(cardClass, "space-y-3")}>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 className="font-serif text-xl">How the body reads</h3>
          <Link href={`${props.base}/preview?step=${s.id}`} className={buttonClass("ghost")}>
            Preview this step as a member
          </Link>
        </div>
        <p className="text-sm text-muted">As saved; save to see your changes here.</p>
        {html ? (
          <div className="rounded-lg border border-dashed border-line bg-paper p-3">
            <StepBody html={html} />
          </div>
        ) : (
          <p className="text-sm text-muted">No body yet.</p>
        )}
      </section>

      <section aria-labelledby="exercises-heading" className={clsx(cardClass, "space-y-3")}>
        <h3 id="exercises-heading" className="font-serif text-xl">
          Exercises
        </h3>
        {s.exercises.length === 0 ? (
          <p className="text-sm text-muted">
            No exercises: members read this step and mark it done.
          </p>
        ) : (
          <Sortable
            kind="exercises"
            parentId={s.id}
            label={`Exercises of ${s.title || `step ${props.si + 1}`}`}
            items={s.exercises.map((e, i) => ({
              id: e.id,
              label: `${KIND_INFO[e.kind].label} ${i + 1}`,
              content: (
                <div className="rounded-lg border border-line bg-paper p-3">
                  <p className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="pill font-semibold">{KIND_INFO[e.kind].label}</span>
                    {e.revisitAfterDays && (
                      <span className="text-muted">
                        asked again after {e.revisitAfterDays} days
                      </span>
                    )}
                    {e._count.passes > 0 && (
                      <span className="text-muted">· {e._count.passes} answers</span>
                    )}
                    {e.revision > 1 && <span className="text-muted">· revision {e.revision}</span>}
                  </p>
                  <p className="mt-1 break-words">{e.prompt}</p>
                  <details className="mt-1">
                    <summary className={summaryClass}>Edit exercise</summary>
                    <div className="mt-3">
                      <ExerciseEditor
                        mode="edit"
                        id={e.id}
                        kind={e.kind}
                        prompt={e.prompt}
                        config={(e.config ?? {}) as Record<string, unknown>}
                        revisitAfterDays={e.revisitAfterDays}
                        answers={e._count.passes}
                      />
                    </div>
                  </details>
                </div>
              ),
            }))}
          />
        )}
        <details className="border-t border-line pt-3">
          <summary className={summaryClass}>Add an exercise</summary>
          <div className="mt-3">
            <ExerciseEditor mode="add" stepId={s.id} />
          </div>
        </details>
      </section>
    </section>
  );
}
