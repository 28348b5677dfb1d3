import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AnswerText } from "@/components/journal/AnswerText";
import { KIND_LABEL } from "@/components/journal/format";
import { LensGrid } from "@/components/journal/LensGrid";
import { ScaleChart } from "@/components/journal/ScaleChart";
import { ShareToggle } from "@/components/journal/ShareToggle";
import { ShareWithCohort } from "@/components/journal/ShareWithCohort";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDateTime } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Prompt timeline" };

type Props = { params: Promise<{ exerciseId: string }> };

export default async function TimelinePage({ params }: Props) {
  const { exerciseId } = await params;
  const user = await requireUser(`/app/journal/${exerciseId}`);
  const caller = await api();
  const timeline = await caller.journal.timeline({ exerciseId }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  });
  const newestFirst = [...timeline.passes].reverse();
  const latestConfig = timeline.passes.at(-1)?.snapshot.config ?? {};
  const points = timeline.passes.flatMap((p) =>
    p.scaleValue === null
      ? []
      : [
          {
            passId: p.id,
            date: p.createdAt,
            value: p.scaleValue,
            why: p.fields.find((f) => f.key === "why")?.text ?? "",
          },
        ],
  );

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm">
        <Link href="/app/journal" className="font-semibold text-brand underline">
          Journal
        </Link>
        <span aria-hidden="true" className="px-2 text-muted">
          /
        </span>
        <span className="text-muted">
          {timeline.programTitle} · {timeline.stepTitle}
        </span>
      </nav>
      <PageHeader
        title={timeline.prompt}
        lead={`${KIND_LABEL[timeline.kind] ?? timeline.kind} · ${timeline.passes.length === 1 ? "1 pass" : `${timeline.passes.length} passes`}, newest first.`}
        actions={
          timeline.passes.length > 1 ? (
            <Link href={`/app/journal/${exerciseId}/compare`} className={buttonClass("primary")}>
              Compare passes
            </Link>
          ) : undefined
        }
      />
      {timeline.exerciseRemoved && (
        <p className="mb-4 rounded-xl border border-warn/30 bg-warn-soft px-4 py-3 text-sm text-warn">
          Your coach removed this prompt from the program. Your answers stay in your journal.
        </p>
      )}

      <p className="mb-6 text-sm text-muted">
        Every answer is private. Sharing one pass sends your coach a snapshot of that pass only; you
        can stop sharing at any time.
      </p>

      {timeline.kind === "SCALE" && points.length > 0 && (
        <section aria-labelledby="trend-heading" className={`${cardClass} mb-6`}>
          <h2 id="trend-heading" className="mb-3 font-serif text-xl">
            How it moved
          </h2>
          <ScaleChart
            points={points}
            timeZone={user.timeZone}
            minLabel={typeof latestConfig.minLabel === "string" ? latestConfig.minLabel : undefined}
            maxLabel={typeof latestConfig.maxLabel === "string" ? latestConfig.maxLabel : undefined}
          />
        </section>
      )}

      <ol aria-label="Your passes" className="space-y-4">
        {newestFirst.map((pass) => (
          <li key={pass.id} className={cardClass}>
            <article aria-labelledby={`pass-${pass.id}`}>
              <header className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
                <h2 id={`pass-${pass.id}`} className="font-serif text-lg">
                  Pass {pass.passNumber}
                </h2>
                <time
                  dateTime={new Date(pass.createdAt).toISOString()}
                  className="text-sm text-muted"
                >
                  {formatDateTime(pass.createdAt, user.timeZone)}
                </time>
              </header>
              {pass.snapshot.prompt !== timeline.prompt && (
                <p className="mb-3 text-sm text-muted">
                  The prompt then read: “{pass.snapshot.prompt}”
                </p>
              )}
              {pass.scaleValue !== null && (
                <p className="mb-3">
                  <span className="font-serif text-3xl text-brand-dark">{pass.scaleValue}</span>
                  <span className="text-muted"> / 10</span>
                </p>
              )}
              {pass.kind === "LENSES" ? (
                <LensGrid fields={pass.fields} headingLevel={3} />
              ) : (
                <div className="space-y-4">
                  {pass.fields.map((f) => (
                    <section key={f.key}>
                      <h3 className="mb-1 text-sm font-semibold text-muted">{f.label}</h3>
                      <AnswerText text={f.text} />
                    </section>
                  ))}
                </div>
              )}
              <div className="mt-4 space-y-3 border-t border-line pt-4">
                <ShareToggle
                  passId={pass.id}
                  passNumber={pass.passNumber}
                  shareId={pass.share?.id ?? null}
                />
                <ShareWithCohort
                  passId={pass.id}
                  passNumber={pass.passNumber}
                  cohort={timeline.cohort}
                  post={pass.cohortPost}
                />
              </div>
            </article>
          </li>
        ))}
      </ol>
    </>
  );
}
