import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PlanCard } from "@/components/billing/PlanCard";
import { JoinButton } from "@/components/cohorts/CohortActions";
import { EnrolButton } from "@/components/player/EnrolButton";
import { lengthText, membersText, priceText, timeText } from "@/components/programs/facts";
import { ProgramCover } from "@/components/programs/ProgramCover";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDate } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Program" };

export default async function ProgramPage({ params }: Props) {
  const { slug } = await params;
  const user = await requireUser(`/app/programs/${slug}`);
  const data = await (await api()).player.program({ slug: slug.slice(0, 120) }).catch((error) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  });
  const { program, access, enrolled } = data;
  const [cohorts, plans] = await Promise.all([
    (await api()).cohorts.forProgram({ programId: program.id }),
    access.canAnswer ? [] : (await api()).billing.forProgram({ programId: program.id }),
  ]);
  const base = `/app/programs/${program.slug}`;
  const stepsTotal = data.modules.reduce((n, m) => n + m.steps.length, 0);
  const facts = [
    { term: "Run by", value: program.coach },
    { term: "Length", value: lengthText(data.modules.length, stepsTotal) },
    { term: "Time", value: timeText(program.minutesPerStep, stepsTotal) },
    { term: "Members", value: membersText(program.members) },
    { term: "Price", value: program.accessLabel || priceText(program.price) },
  ];
  return (
    <>
      <p className="mb-3 text-sm">
        <Link href="/app/programs" className="text-brand underline">
          Programs
        </Link>
      </p>
      <ProgramCover
        title={program.title}
        coverImage={program.coverImage}
        size="hero"
        showTitle={false}
      />
      <div className="mt-6">
        <PageHeader
          title={program.title}
          lead={program.summary || undefined}
          actions={
            enrolled ? (
              data.completed ? (
                <Link href={`${base}/finished`} className={buttonClass("primary")}>
                  See what you did
                </Link>
              ) : (
                data.currentStepId && (
                  <Link
                    href={`${base}/steps/${data.currentStepId}`}
                    className={buttonClass("primary")}
                  >
                    {data.progress.done === 0 ? "Begin" : "Continue"}
                  </Link>
                )
              )
            ) : access.canAnswer ? (
              <EnrolButton programId={program.id} title={program.title} />
            ) : plans.length > 0 ? (
              <a href="#plans-heading" className={buttonClass("primary")}>
                {program.price.kind === "membership" ? "Join or buy" : "Buy"}
                <span className="sr-only">: {priceText(program.price)}</span>
              </a>
            ) : null
          }
        />
      </div>
      <dl
        aria-label="About this program"
        className="mb-6 grid grid-cols-2 gap-4 rounded-2xl border border-line bg-card p-4 text-sm sm:grid-cols-3 lg:grid-cols-5"
      >
        {facts.map((f) => (
          <div key={f.term}>
            <dt className="text-xs font-semibold uppercase tracking-wide text-muted">{f.term}</dt>
            <dd className="mt-0.5 font-semibold break-words">{f.value}</dd>
          </div>
        ))}
      </dl>
      <div className="space-y-4">
        {!access.canAnswer && (
          <Notice tone="warn">
            {enrolled ? "Read-only: " : "Not available: "}
            {access.reason}
            {enrolled &&
              " Everything you wrote here stays yours: read it and export it from your journal."}
          </Notice>
        )}
        {plans.length > 0 && (
          <section aria-labelledby="plans-heading">
            <h2 id="plans-heading" className="mb-3 font-serif text-xl">
              Ways to open it
            </h2>
            <div className="grid gap-4 md:grid-cols-2">
              {plans.map((plan) => (
                <PlanCard key={plan.id} plan={plan} from="program" />
              ))}
            </div>
          </section>
        )}
        {enrolled && (
          <ProgressBar
            done={data.progress.done}
            total={data.progress.total}
            label="Your progress"
          />
        )}
        {(cohorts.mine || cohorts.cohorts.length > 0) && (
          <section aria-labelledby="cohorts-heading" className={cardClass}>
            <h2 id="cohorts-heading" className="font-serif text-xl">
              Go through it with a group
            </h2>
            {cohorts.mine ? (
              <p className="mt-2">
                {cohorts.mine.myStatus === "ACTIVE" ? "You are in " : "You are on the waitlist of "}
                <Link
                  href={`/app/cohorts/${cohorts.mine.slug}`}
                  className="font-semibold underline"
                >
                  {cohorts.mine.name}
                </Link>
                , which {cohorts.mine.status === "SCHEDULED" ? "starts" : "started"} on{" "}
                {formatDate(cohorts.mine.startsAt, user.timeZone, "long")}.
              </p>
            ) : (
              <>
                <p className="mt-1 text-sm text-muted">
                  A cohort starts on one date and opens each module on schedule, for everyone at
                  once.
                </p>
                <ul className="mt-3 divide-y divide-line">
                  {cohorts.cohorts.map((c) => (
                    <li
                      key={c.id}
                      className="flex flex-wrap items-center justify-between gap-3 py-3"
                    >
                      <div>
                        <p className="font-semibold break-words">{c.name}</p>
                        <p className="text-sm text-muted">
                          {c.status === "SCHEDULED" ? "Starts" : "Started"}{" "}
                          {formatDate(c.startsAt, user.timeZone, "long")} ·{" "}
                          {c.seatsLeft === 0
                            ? "full, waitlist open"
                            : `${c.seatsLeft} ${c.seatsLeft === 1 ? "seat" : "seats"} left`}
                        </p>
                      </div>
                      {cohorts.canJoin && (
                        <JoinButton cohortId={c.id} name={c.name} full={c.seatsLeft === 0} />
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        )}
        {data.completed && (
          <section
            aria-labelledby="completed-heading"
            className="rounded-2xl border border-brand/30 bg-brand-soft p-5"
          >
            <h2 id="completed-heading" className="font-serif text-xl text-brand-dark">
              You completed this program.
            </h2>
            <p className="mt-1">
              Your answers are in your journal, and the prompts that ask to be answered again will
              come back on Today.
            </p>
            <Link href={`${base}/finished`} className={`${buttonClass("primary")} mt-3`}>
              See what you did and what is next
            </Link>
          </section>
        )}
        <h2 className="pt-2 font-serif text-2xl">What you will do</h2>
        {data.modules.length === 0 ? (
          <EmptyState title="No steps yet">This program is still being written.</EmptyState>
        ) : (
          <ol className="space-y-4" aria-label="Modules">
            {data.modules.map((m, mi) => (
              <li key={m.id} className={cardClass}>
                <h3 className="font-serif text-xl">
                  <span className="text-muted">{mi + 1}.</span> {m.title}
                </h3>
                {m.unlockAt && (
                  <p className="mt-1 text-sm text-warn">
                    Opens on {formatDate(m.unlockAt, user.timeZone, "long")}
                  </p>
                )}
                <ol className="mt-3 divide-y divide-line">
                  {m.steps.map((s) => {
                    const current = s.id === data.currentStepId;
                    const mark = s.done ? "Done" : s.locked ? "Locked" : current ? "Up next" : "";
                    return (
                      <li
                        key={s.id}
                        className="flex min-h-11 items-center justify-between gap-3 py-2"
                      >
                        {enrolled && !s.locked ? (
                          <Link
                            href={`${base}/steps/${s.id}`}
                            className="font-medium text-ink underline-offset-4 hover:underline"
                            aria-current={current ? "step" : undefined}
                          >
                            {s.title}
                          </Link>
                        ) : (
                          <span className={s.locked ? "text-muted" : undefined}>{s.title}</span>
                        )}
                        {mark && (
                          <span
                            className={
                              s.done
                                ? "pill font-semibold"
                                : "rounded-full bg-warn-soft px-2 py-0.5 text-xs font-semibold text-warn"
                            }
                          >
                            {mark}
                          </span>
                        )}
                      </li>
                    );
                  })}
                </ol>
              </li>
            ))}
          </ol>
        )}
      </div>
    </>
  );
}
