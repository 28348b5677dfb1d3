import type { Metadata } from "next";
import { EnrolButton } from "@/components/player/EnrolButton";
import { lengthText, membersText, priceText, timeText } from "@/components/programs/facts";
import { ProgramCover } from "@/components/programs/ProgramCover";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { buttonClass } from "@/components/ui/styles";
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
        <ul className="grid items-start gap-6 md:grid-cols-2" aria-label="Programs">
          {programs.map((p) => {
            const href = `/app/programs/${p.slug}`;
            return (
              <li
                key={p.id}
                className="flex flex-col overflow-hidden rounded-2xl border border-line bg-card shadow-sm"
              >
                <ProgramCover title={p.title} coverImage={p.coverImage} />
                <div className="flex flex-1 flex-col gap-3 p-5">
                  <div>
                    <h2 className="font-serif text-xl">
                      <Link href={href} className="hover:underline">
                        {p.title}
                      </Link>
                    </h2>
                    <p className="text-sm text-muted">
                      with {p.coach} ·{" "}
                      {p.pacing === "COHORT_PACED" ? "paced week by week" : "at your own pace"}
                      {p.completed && " · Completed"}
                    </p>
                    {p.summary && <p className="mt-2 line-clamp-3 text-muted">{p.summary}</p>}
                  </div>
                  <dl className="grid grid-cols-2 gap-x-4 gap-y-2 rounded-xl bg-paper p-3 text-sm">
                    <div>
                      <dt className="text-xs font-semibold uppercase tracking-wide text-muted">
                        Length
                      </dt>
                      <dd>{lengthText(p.modulesCount, p.stepsCount)}</dd>
                    </div>
                    <div>
                      <dt className="text-xs font-semibold uppercase tracking-wide text-muted">
                        Time
                      </dt>
                      <dd>{timeText(p.minutesPerStep, p.stepsCount)}</dd>
                    </div>
                    <div>
                      <dt className="text-xs font-semibold uppercase tracking-wide text-muted">
                        Members
                      </dt>
                      <dd>{membersText(p.members)}</dd>
                    </div>
                    <div>
                      <dt className="text-xs font-semibold uppercase tracking-wide text-muted">
                        Price
                      </dt>
                      <dd className="font-semibold">{p.accessLabel || priceText(p.price)}</dd>
                    </div>
                  </dl>
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
                      <Link href={href} className={buttonClass("primary")}>
                        See how to join<span className="sr-only"> {p.title}</span>
                      </Link>
                    )}
                    <Link href={href} className={buttonClass("ghost")}>
                      About the program<span className="sr-only">: {p.title}</span>
                    </Link>
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
