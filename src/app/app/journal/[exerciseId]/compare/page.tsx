import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AnswerText } from "@/components/journal/AnswerText";
import { DiffLegend, DiffText } from "@/components/journal/DiffText";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDate } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { DomainError } from "@/server/errors";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Compare passes" };

type Props = {
  params: Promise<{ exerciseId: string }>;
  searchParams: Promise<{ a?: string; b?: string }>;
};

const selectClass = "block min-h-11 w-full rounded-lg border border-line bg-white px-3 text-base";

export default async function ComparePage({ params, searchParams }: Props) {
  const { exerciseId } = await params;
  const user = await requireUser(`/app/journal/${exerciseId}/compare`);
  const search = await searchParams;
  const caller = await api();
  const timeline = await caller.journal.timeline({ exerciseId }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  });
  const passes = timeline.passes;
  // Default: the two most recent passes, earlier one on the left.
  const a = search.a ?? passes.at(-2)?.id;
  const b = search.b ?? passes.at(-1)?.id;

  let result: Awaited<ReturnType<typeof caller.journal.compare>> | null = null;
  let problem: string | null = null;
  if (a && b) {
    try {
      result = await caller.journal.compare({ passIdA: a, passIdB: b });
    } catch (error) {
      if (!(error instanceof TRPCError)) throw error;
      problem =
        error.code === "NOT_FOUND"
          ? "One of these passes is not in your journal. Pick two passes below."
          : error.cause instanceof DomainError
            ? error.cause.message
            : "Pick two different passes below.";
    }
  }
  const label = (p: (typeof passes)[number]) =>
    `Pass ${p.passNumber} — ${formatDate(p.createdAt, user.timeZone)}`;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm">
        <Link href="/app/journal" className="font-semibold text-brand underline">
          Journal
        </Link>
        <span aria-hidden="true" className="px-2 text-muted">
          /
        </span>
        <Link href={`/app/journal/${exerciseId}`} className="font-semibold text-brand underline">
          Timeline
        </Link>
      </nav>
      <PageHeader title="Compare passes" lead={timeline.prompt} />

      {passes.length < 2 ? (
        <EmptyState title="Only one pass so far">
          Answer this prompt again when it comes back around, then compare how your answer moved.
        </EmptyState>
      ) : (
        <>
          <form
            action={`/app/journal/${exerciseId}/compare`}
            aria-label="Choose two passes"
            className={`${cardClass} mb-6 grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end`}
          >
            <div className="space-y-1.5">
              <label htmlFor="pass-a" className="block text-sm font-semibold">
                Earlier pass
              </label>
              <select id="pass-a" name="a" defaultValue={a} className={selectClass}>
                {passes.map((p) => (
                  <option key={p.id} value={p.id}>
                    {label(p)}
                  </option>
                ))}
              </select>
            </div>
            <div className="space-y-1.5">
              <label htmlFor="pass-b" className="block text-sm font-semibold">
                Later pass
              </label>
              <select id="pass-b" name="b" defaultValue={b} className={selectClass}>
                {passes.map((p) => (
                  <option key={p.id} value={p.id}>
                    {label(p)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className={buttonClass("primary")}>
              Compare
            </button>
          </form>

          {problem && (
            <Notice tone="danger" role="alert">
              {problem}
            </Notice>
          )}

          {result && (
            <div className="space-y-6">
              <DiffLegend />
              {result.promptChanged && (
                <Notice tone="info">
                  The prompt was reworded between these passes. Earlier: “{result.a.prompt}”.
                </Notice>
              )}
              {result.scale && (
                <section aria-labelledby="scale-heading" className={cardClass}>
                  <h2 id="scale-heading" className="font-serif text-xl">
                    Scale
                  </h2>
                  <p className="mt-2 text-lg">
                    {result.scale.a} → {result.scale.b}{" "}
                    <strong
                      className={
                        result.scale.delta > 0
                          ? "text-brand-dark"
                          : result.scale.delta < 0
                            ? "text-danger"
                            : "text-muted"
                      }
                    >
                      (
                      {result.scale.delta > 0
                        ? `+${result.scale.delta}`
                        : result.scale.delta === 0
                          ? "no change"
                          : result.scale.delta}
                      )
                    </strong>
                  </p>
                </section>
              )}
              {result.fields.map((field) => (
                <section key={field.key} aria-labelledby={`f-${field.key}`} className={cardClass}>
                  <h2 id={`f-${field.key}`} className="font-serif text-lg">
                    {field.label}
                    {!field.changed && (
                      <span className="ml-1 text-sm font-normal text-muted"> (unchanged)</span>
                    )}
                  </h2>
                  {field.changed && (
                    <div className="mt-3 rounded-xl border border-line bg-paper p-3">
                      <h3 className="mb-1 text-sm font-semibold text-muted">What changed</h3>
                      <DiffText segments={field.segments} />
                    </div>
                  )}
                  {field.changed ? (
                    <details className="group mt-4">
                      <summary className="min-h-11 cursor-pointer py-2 text-sm font-semibold text-brand underline">
                        Both passes in full
                      </summary>
                      <PassTexts field={field} a={result.a} b={result.b} timeZone={user.timeZone} />
                    </details>
                  ) : (
                    <div className="mt-3">
                      <AnswerText text={field.b} />
                    </div>
                  )}
                </section>
              ))}
            </div>
          )}
        </>
      )}
    </>
  );
}

type Pass = { passNumber: number; createdAt: Date };

/** The two passes' text side by side (one under the other on a phone). */
function PassTexts(props: { field: { a: string; b: string }; a: Pass; b: Pass; timeZone: string }) {
  return (
    <div className="mt-2 grid gap-4 md:grid-cols-2">
      {(
        [
          [props.a, props.field.a],
          [props.b, props.field.b],
        ] as const
      ).map(([pass, text]) => (
        <div key={pass.passNumber}>
          <h3 className="mb-1 text-sm font-semibold text-muted">
            Pass {pass.passNumber} · {formatDate(pass.createdAt, props.timeZone)}
          </h3>
          <AnswerText text={text} />
        </div>
      ))}
    </div>
  );
}
