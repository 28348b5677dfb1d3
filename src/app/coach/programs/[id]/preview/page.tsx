import type { Metadata } from "next";
import Link from "next/link";
import { ExercisePreview } from "@/components/programs-editor/ExercisePreview";
import { markdownClass } from "@/components/programs-editor/kinds";
import { StatusBadge } from "@/components/programs-editor/StatusBadge";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { renderMarkdown } from "@/lib/markdown";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";
import { loadOwnProgram } from "@/server/programs/load";

export const metadata: Metadata = { title: "Preview" };

type Props = { params: Promise<{ id: string }> };

export default async function PreviewProgramPage({ params }: Props) {
  const { id } = await params;
  await requireRole(COACH_ROLES, `/coach/programs/${id}/preview`);
  const program = await loadOwnProgram(id);

  return (
    <>
      <div className="sticky top-0 z-10 mb-4">
        <Notice tone="warn" role="status">
          <span className="font-semibold">Preview — answers are not saved.</span> This is the
          program as a member sees it.{" "}
          <Link href={`/coach/programs/${program.id}`} className="underline underline-offset-4">
            Back to the editor
          </Link>
        </Notice>
      </div>
      <header className="mb-6">
        {program.coverImage && (
          // biome-ignore lint/performance/noImgElement: our own upload, served as is
          <img
            src={program.coverImage}
            alt=""
            className="mb-4 aspect-[3/1] w-full rounded-2xl border border-line object-cover"
          />
        )}
        <p className="mb-1">
          <StatusBadge status={program.status} />
        </p>
        <h1 className="font-serif text-3xl text-ink">{program.title}</h1>
        {program.summary && <p className="mt-2 max-w-prose text-muted">{program.summary}</p>}
      </header>
      {program.modules.length === 0 ? (
        <p className="text-muted">This program has no modules yet.</p>
      ) : (
        <nav aria-label="Modules" className="mb-6">
          <ol className="list-decimal space-y-1 pl-6">
            {program.modules.map((m) => (
              <li key={m.id}>
                <a href={`#module-${m.id}`} className={buttonClass("ghost")}>
                  {m.title}
                </a>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <div className="space-y-10">
        {program.modules.map((m, mi) => (
          <section key={m.id} id={`module-${m.id}`} aria-labelledby={`pm-${m.id}`}>
            <h2 id={`pm-${m.id}`} className="mb-4 font-serif text-2xl">
              <span className="text-muted">Module {mi + 1}:</span> {m.title}
            </h2>
            <div className="space-y-6">
              {m.steps.map((s, si) => (
                <article key={s.id} aria-labelledby={`ps-${s.id}`} className={cardClass}>
                  <h3 id={`ps-${s.id}`} className="font-serif text-xl">
                    <span className="text-muted">Step {si + 1}:</span> {s.title || "Untitled"}
                  </h3>
                  {s.body.trim() && (
                    <div
                      className={`${markdownClass} mt-3`}
                      // biome-ignore lint/security/noDangerouslySetInnerHtml: renderMarkdown escapes all HTML first
                      dangerouslySetInnerHTML={{ __html: renderMarkdown(s.body) }}
                    />
                  )}
                  <div className="mt-4 space-y-4">
                    {s.exercises.map((e) => (
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
                  {(s.exercises.length > 0 || s.body.trim()) && (
                    <p className="mt-4">
                      <button type="button" disabled className={buttonClass("primary")}>
                        Submit (disabled in preview)
                      </button>
                    </p>
                  )}
                </article>
              ))}
            </div>
          </section>
        ))}
      </div>
    </>
  );
}
