import type { Metadata } from "next";
import Link from "next/link";
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
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";
import { loadOwnProgram, type ProgramOutline } from "@/server/programs/load";

export const metadata: Metadata = { title: "Edit program" };

type Props = { params: Promise<{ id: string }> };
type Module = ProgramOutline["modules"][number];
type Step = Module["steps"][number];

const summaryClass =
  "flex min-h-11 cursor-pointer items-center rounded-lg px-2 text-sm font-semibold text-brand hover:bg-brand-soft";

export default async function EditProgramPage({ params }: Props) {
  const { id } = await params;
  await requireRole(COACH_ROLES, `/coach/programs/${id}`);
  const program = await loadOwnProgram(id);
  const modules = program.modules.map((m) => ({ id: m.id, title: m.title }));

  return (
    <>
      <p className="mb-2">
        <Link href="/coach/programs" className={buttonClass("ghost")}>
          ← All programs
        </Link>
      </p>
      <PageHeader
        title={program.title}
        lead={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={program.status} />
            <span className="break-all">/{program.slug}</span>
          </span>
        }
        actions={
          <div className="flex flex-wrap gap-2">
            <Link
              href={`/coach/programs/${program.id}/preview`}
              className={buttonClass("secondary")}
            >
              Preview as a member
            </Link>
            <Link href={`/coach/progress/${program.id}`} className={buttonClass("secondary")}>
              Progress
            </Link>
          </div>
        }
      />

      <div className="space-y-6">
        <section aria-labelledby="status-heading" className={cardClass}>
          <h2 id="status-heading" className="mb-3 font-serif text-xl">
            Status
          </h2>
          <p className="mb-3 text-sm text-muted">
            {program.status === "PUBLISHED"
              ? "Published: members can open it. Edits show at once; answers already given keep the wording they answered."
              : program.status === "ARCHIVED"
                ? "Archived: members cannot open it; their answers stay in their journals."
                : "Draft: only you and admins see it. Publishing checks that every part is complete."}
          </p>
          <ProgramActions id={program.id} title={program.title} status={program.status} />
        </section>

        <section aria-labelledby="details-heading" className={cardClass}>
          <h2 id="details-heading" className="mb-4 font-serif text-xl">
            Details
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
            }}
          />
        </section>

        <section aria-labelledby="outline-heading" className="space-y-4">
          <h2 id="outline-heading" className="font-serif text-2xl">
            Outline
          </h2>
          <p className="text-sm text-muted">
            Drag a handle (⠿) or use the ↑ ↓ buttons to reorder modules, steps and exercises.
          </p>
          {program.modules.length === 0 ? (
            <EmptyState title="No modules yet">
              A program is made of modules, each with steps. Add the first module below.
            </EmptyState>
          ) : (
            <Sortable
              kind="modules"
              parentId={program.id}
              label="Modules"
              items={program.modules.map((m, i) => ({
                id: m.id,
                label: m.title,
                content: (
                  <ModuleCard
                    module={m}
                    index={i}
                    modules={modules}
                    cohortPaced={program.pacing === "COHORT_PACED"}
                  />
                ),
              }))}
            />
          )}
          <div className={cardClass}>
            <AddTitleForm kind="module" parentId={program.id} />
          </div>
        </section>
      </div>
    </>
  );
}

function ModuleCard(props: {
  module: Module;
  index: number;
  modules: { id: string; title: string }[];
  cohortPaced: boolean;
}) {
  const m = props.module;
  return (
    <article aria-labelledby={`module-${m.id}-heading`} className={cardClass}>
      <h3 id={`module-${m.id}-heading`} className="font-serif text-xl">
        <span className="text-muted">Module {props.index + 1}:</span> {m.title}
      </h3>
      {props.cohortPaced && (
        <p className="text-sm text-muted">Unlocks on day {m.unlockDayOffset} of the cohort.</p>
      )}
      <details className="mt-2">
        <summary className={summaryClass}>Edit module</summary>
        <div className="mt-3">
          <ModuleForm
            id={m.id}
            title={m.title}
            unlockDayOffset={m.unlockDayOffset}
            cohortPaced={props.cohortPaced}
          />
        </div>
      </details>
      <div className="mt-4 space-y-3">
        {m.steps.length === 0 ? (
          <p className="text-sm text-muted">No steps yet.</p>
        ) : (
          <Sortable
            kind="steps"
            parentId={m.id}
            label={`Steps of ${m.title}`}
            items={m.steps.map((s, i) => ({
              id: s.id,
              label: s.title || `Untitled step ${i + 1}`,
              content: <StepCard step={s} index={i} moduleId={m.id} modules={props.modules} />,
            }))}
          />
        )}
        <AddTitleForm kind="step" parentId={m.id} />
      </div>
    </article>
  );
}

function StepCard(props: {
  step: Step;
  index: number;
  moduleId: string;
  modules: { id: string; title: string }[];
}) {
  const s = props.step;
  return (
    <div className="rounded-xl border border-line bg-paper p-3 sm:p-4">
      <h4 className="font-semibold">
        <span className="text-muted">Step {props.index + 1}:</span>{" "}
        {s.title || <em className="text-danger">Untitled</em>}
      </h4>
      <p className="text-sm text-muted">
        {s.exercises.length} {s.exercises.length === 1 ? "exercise" : "exercises"}
        {s.body.trim() ? " · has a body" : " · no body"}
      </p>
      <details className="mt-1">
        <summary className={summaryClass}>Edit step</summary>
        <div className="mt-3">
          <StepForm
            id={s.id}
            title={s.title}
            body={s.body}
            moduleId={props.moduleId}
            modules={props.modules}
          />
        </div>
      </details>
      {s.exercises.length > 0 && (
        <div className="mt-3">
          <Sortable
            kind="exercises"
            parentId={s.id}
            label={`Exercises of ${s.title || `step ${props.index + 1}`}`}
            items={s.exercises.map((e, i) => ({
              id: e.id,
              label: `${KIND_INFO[e.kind].label} ${i + 1}`,
              content: (
                <div className="rounded-lg border border-line bg-card p-3">
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
        </div>
      )}
      <details className="mt-3">
        <summary className={summaryClass}>Add an exercise</summary>
        <div className="mt-3">
          <ExerciseEditor mode="add" stepId={s.id} />
        </div>
      </details>
    </div>
  );
}
