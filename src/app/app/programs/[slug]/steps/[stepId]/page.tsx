import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { CompleteStepButton } from "@/components/player/CompleteStepButton";
import { ExerciseCard } from "@/components/player/ExerciseCard";
import { StepBody, StepNav, StepProgress, StepTrail } from "@/components/player/StepView";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { buttonClass } from "@/components/ui/styles";
import { formatDate } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

type Props = { params: Promise<{ slug: string; stepId: string }> };

export const metadata: Metadata = { title: "Step" };

export default async function StepPage({ params }: Props) {
  const { slug, stepId } = await params;
  const path = `/app/programs/${slug}/steps/${stepId}`;
  const user = await requireUser(path);
  const result = await (await api()).player
    .step({ stepId: stepId.slice(0, 64) })
    .then((data) => ({ data, refused: null }))
    .catch((error) => {
      if (error instanceof TRPCError) {
        if (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST") notFound();
        if (error.code === "FORBIDDEN" || error.code === "PRECONDITION_FAILED")
          return { data: null, refused: error.message };
      }
      throw error;
    });
  if (!result.data) {
    return (
      <div className="max-w-xl space-y-4">
        <Notice tone="warn" role="alert">
          {result.refused}
        </Notice>
        <Link href={`/app/programs/${slug}`} className={buttonClass("secondary")}>
          Back to the program
        </Link>
      </div>
    );
  }
  const s = result.data;
  if (s.program.slug !== slug) redirect(`/app/programs/${s.program.slug}/steps/${s.step.id}`);
  const base = `/app/programs/${s.program.slug}`;
  return (
    <article className="space-y-6">
      <StepTrail
        items={[
          { label: "Programs", href: "/app/programs" },
          { label: s.program.title, href: base },
          { label: s.module.title },
        ]}
      />
      <StepProgress
        done={s.progress.done}
        total={s.progress.total}
        index={s.position.index}
        count={s.position.total}
      />
      <header>
        <h1 className="font-serif text-3xl text-ink">{s.step.title}</h1>
        {s.step.done && (
          <p className="mt-1 text-sm font-semibold text-brand-dark">Done — well done.</p>
        )}
      </header>
      {!s.canAnswer && (
        <Notice tone="warn">
          Read-only: {s.reason} Your past answers stay here and in your journal.
        </Notice>
      )}
      <StepBody html={s.step.bodyHtml} />
      {s.exercises.length > 0 && (
        <div className="space-y-6">
          {s.exercises.map((e) => (
            <ExerciseCard
              key={e.id}
              exercise={e}
              canAnswer={s.canAnswer}
              timeZone={user.timeZone}
            />
          ))}
        </div>
      )}
      {/* Reading steps, and (rarely) an answered step whose completion was not recorded. */}
      {s.step.canMarkDone && <CompleteStepButton stepId={s.step.id} slug={s.program.slug} />}
      <StepNav
        prevHref={s.prevStepId ? `${base}/steps/${s.prevStepId}` : null}
        next={
          s.next?.unlockAt
            ? {
                kind: "later",
                title: s.next.title,
                opens: formatDate(s.next.unlockAt, user.timeZone, "long"),
              }
            : s.next
              ? { kind: "step", href: `${base}/steps/${s.next.id}`, title: s.next.title }
              : s.progress.total > 0 && s.progress.done === s.progress.total
                ? { kind: "end", href: `${base}/finished`, label: "Finish: see what you did →" }
                : { kind: "end", href: base, label: "Back to the overview" }
        }
      />
    </article>
  );
}
