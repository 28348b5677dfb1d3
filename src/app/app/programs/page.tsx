import type { Metadata } from "next";
import Link from "next/link";
import { EnrolButton } from "@/components/player/EnrolButton";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Programs" };

export default async function ProgramsPage() {
  await requireUser("/app/programs");
  const programs = await (await api()).player.catalog();
  return (
    <>
      <PageHeader
        title="Programs"
        lead="Reflection programs, step by step. Your answers are private unless you share one."
      />
      {programs.length === 0 ? (
        <EmptyState title="No programs yet">
          When your coach publishes a program, it will appear here.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label="Programs">
          {programs.map((p) => {
            const href = `/app/programs/${p.slug}`;
            return (
              <li key={p.id} className={`${cardClass} flex flex-col gap-3`}>
                <div>
                  <h2 className="font-serif text-xl">
                    <Link href={href} className="hover:underline">
                      {p.title}
                    </Link>
                  </h2>
                  <p className="mt-1 text-xs font-semibold uppercase tracking-wide text-muted">
                    {p.pacing === "COHORT_PACED" ? "Paced week by week" : "At your own pace"}
                    {p.completed && " · Completed"}
                  </p>
                  {p.summary && <p className="mt-2 text-muted">{p.summary}</p>}
                </div>
                {p.enrolled && (
                  <ProgressBar
                    done={p.progress.done}
                    total={p.progress.total}
                    label={`Your progress in ${p.title}`}
                  />
                )}
                <div className="mt-auto flex flex-wrap items-center gap-3">
                  {p.enrolled ? (
                    <Link
                      href={p.currentStepId ? `${href}/steps/${p.currentStepId}` : href}
                      className={buttonClass("primary")}
                    >
                      {p.progress.done === 0 ? "Begin" : p.completed ? "Look back" : "Continue"}
                    </Link>
                  ) : p.access.canAnswer ? (
                    <EnrolButton programId={p.id} title={p.title} />
                  ) : (
                    <p className="text-sm text-warn">Not available: {p.access.reason}</p>
                  )}
                  <Link href={href} className={buttonClass("ghost")}>
                    See the steps<span className="sr-only"> of {p.title}</span>
                  </Link>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
