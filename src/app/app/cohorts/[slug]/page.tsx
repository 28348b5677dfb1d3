import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConfirmButton } from "@/components/cohorts/CohortActions";
import { CohortSpace } from "@/components/cohorts/CohortSpace";
import { CalendarLink } from "@/components/cohorts/Sessions";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDate, formatDateTime } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { STATUS_LABEL } from "@/server/cohorts/pace";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Cohort" };

type Props = {
  params: Promise<{ slug: string }>;
  searchParams: Promise<{ before?: string | string[] }>;
};

export default async function CohortPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { before } = await searchParams;
  const user = await requireUser(`/app/cohorts/${slug}`);
  const c = await (await api()).cohorts.home({ slug: slug.slice(0, 80) }).catch((error) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  });
  const cursor =
    typeof before === "string" && /^\d{1,15}_[A-Za-z0-9_-]{1,64}$/.test(before)
      ? before
      : undefined;
  const caller = await api();
  const [space, calendar] =
    c.myStatus === "WAITLISTED"
      ? [null, null]
      : await Promise.all([
          caller.cohorts.feed({ cohortId: c.id, cursor }),
          caller.cohorts.calendar(),
        ]);
  const stepHref = (id: string) => `/app/programs/${c.program.slug}/steps/${id}`;
  const zoneNote = c.timeZone !== user.timeZone ? ` (the cohort keeps ${c.timeZone} time)` : "";
  const plan = c.plan;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/app/cohorts" className="text-brand underline">
          Cohorts
        </Link>
      </p>
      <PageHeader
        title={c.name}
        lead={
          <>
            <Link href={`/app/programs/${c.program.slug}`} className="underline">
              {c.program.title}
            </Link>{" "}
            · {STATUS_LABEL[c.status]} · {c.status === "SCHEDULED" ? "starts" : "started"} on{" "}
            {formatDate(c.startsAt, user.timeZone, "long")}
            {zoneNote}
          </>
        }
        actions={
          c.manages ? (
            <Link href={`/coach/cohorts/${c.id}`} className={buttonClass("secondary")}>
              Manage
            </Link>
          ) : null
        }
      />
      {c.myStatus === "WAITLISTED" ? (
        <section className={cardClass} aria-labelledby="waitlist-heading">
          <h2 id="waitlist-heading" className="font-serif text-xl">
            You are on the waitlist
          </h2>
          <p className="mt-2">
            You are number {c.waitPosition} in line. When a seat opens it goes to the first person
            waiting, and we will email you the moment it is yours.
          </p>
          <div className="mt-4">
            <ConfirmButton
              label="Leave the waitlist"
              confirm="Give up your place?"
              busyLabel="Leaving…"
              variant="secondary"
              action={{ kind: "leave", cohortId: c.id }}
              then="/app/cohorts"
            />
          </div>
        </section>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
          <div className="min-w-0 space-y-6">
            {c.status === "FINISHED" && (
              <Notice tone="info">
                This cohort has finished. Your answers stay in your journal, and this page stays
                here to look back on.
              </Notice>
            )}
            {plan && c.status !== "FINISHED" && (
              <section aria-labelledby="plan-heading" className={cardClass}>
                <h2 id="plan-heading" className="font-serif text-xl">
                  {plan.catchUpCount > 0 ? "Back to the group's pace" : "Where the group is"}
                </h2>
                {!plan.paceModule ? (
                  <p className="mt-2">
                    The first module opens on{" "}
                    {plan.nextUnlock && formatDateTime(plan.nextUnlock.at, user.timeZone)}. Nothing
                    to do before then.
                  </p>
                ) : (
                  <>
                    <p className="mt-2 text-muted">
                      The group is on <strong className="text-ink">{plan.paceModule.title}</strong>.
                    </p>
                    {plan.startWith ? (
                      <div className="mt-3 rounded-xl border border-line p-4">
                        <p className="text-sm text-muted">
                          {plan.catchUpCount > 0 ? "Start here, with everyone" : "Your next step"}
                        </p>
                        <p className="font-serif text-lg break-words">{plan.startWith.title}</p>
                        <Link
                          href={stepHref(plan.startWith.id)}
                          className={`${buttonClass("primary")} mt-3`}
                        >
                          Open this step
                        </Link>
                      </div>
                    ) : (
                      <p className="mt-2">You are up to date with this module.</p>
                    )}
                    {plan.catchUpCount > 0 && (
                      <div className="mt-4">
                        <h3 className="font-semibold">Then, when you have time</h3>
                        <p className="text-sm text-muted">
                          Earlier steps wait for you; there is no penalty for doing them later.
                        </p>
                        <ul className="mt-2 space-y-1">
                          {plan.catchUp.map((s) => (
                            <li key={s.id}>
                              <Link href={stepHref(s.id)} className="text-brand underline">
                                {s.title}
                              </Link>{" "}
                              <span className="text-sm text-muted">· {s.moduleTitle}</span>
                            </li>
                          ))}
                        </ul>
                        {plan.catchUpCount > plan.catchUp.length && (
                          <p className="mt-1 text-sm text-muted">
                            and {plan.catchUpCount - plan.catchUp.length} more on{" "}
                            <Link href={`/app/programs/${c.program.slug}`} className="underline">
                              the program's page
                            </Link>
                            .
                          </p>
                        )}
                      </div>
                    )}
                    {plan.nextUnlock && (
                      <p className="mt-4 text-sm text-muted">
                        Next: {plan.nextUnlock.title} opens on{" "}
                        {formatDateTime(plan.nextUnlock.at, user.timeZone)}.
                      </p>
                    )}
                  </>
                )}
              </section>
            )}
            {space && (
              <CohortSpace cohortId={c.id} space={space} zone={user.timeZone} slug={c.slug} />
            )}
          </div>
          <aside className="space-y-6">
            <section aria-labelledby="sessions-heading" className={cardClass}>
              <h2 id="sessions-heading" className="font-serif text-xl">
                Live sessions
              </h2>
              {c.sessions.length === 0 ? (
                <p className="mt-2 text-sm text-muted">No sessions planned yet.</p>
              ) : (
                <ul className="mt-2 space-y-3">
                  {c.sessions.map((s) => (
                    <li key={s.id} className="rounded-xl border border-line p-3">
                      <p className="font-semibold break-words">{s.title}</p>
                      <p className="text-sm text-muted">
                        {formatDateTime(s.startsAt, user.timeZone)} · {s.durationMinutes} min
                      </p>
                      <a
                        href={s.joinUrl}
                        className="mt-1 inline-block text-sm text-brand underline"
                        rel="noopener noreferrer"
                        target="_blank"
                      >
                        Join link<span className="sr-only"> for {s.title}</span>
                      </a>
                    </li>
                  ))}
                </ul>
              )}
              <p className="mt-3 text-sm text-muted">Times are in your zone, {user.timeZone}.</p>
              <div className="mt-3">
                <CalendarLink link={calendar} />
              </div>
            </section>
            <section aria-labelledby="schedule-heading" className={cardClass}>
              <h2 id="schedule-heading" className="mb-3 font-serif text-xl">
                Schedule
              </h2>
              <p className="mb-3 text-sm text-muted">
                Times are in your time zone, {user.timeZone}.
              </p>
              <ol className="space-y-3">
                {c.schedule.map((m, i) => (
                  <li key={m.id} className="rounded-xl border border-line p-3">
                    <div className="flex flex-wrap items-baseline justify-between gap-2">
                      <p className="font-semibold break-words">
                        <span className="text-muted">{i + 1}.</span> {m.title}
                      </p>
                      <p className={m.open ? "pill" : "text-sm text-warn"}>
                        {m.open ? "Open" : `Opens ${formatDateTime(m.opensAt, user.timeZone)}`}
                      </p>
                    </div>
                    {c.myStatus === "ACTIVE" && m.stepsTotal > 0 && (
                      <div className="mt-2">
                        <ProgressBar
                          done={m.stepsDone}
                          total={m.stepsTotal}
                          label={`Your steps in ${m.title}`}
                          layout="caption"
                        />
                      </div>
                    )}
                  </li>
                ))}
              </ol>
            </section>
            <section aria-labelledby="people-heading" className={cardClass}>
              <h2 id="people-heading" className="font-serif text-xl">
                People
              </h2>
              <p className="mt-2">
                {c.members} {c.members === 1 ? "member" : "members"} of {c.capacity} seats.
              </p>
              <h3 className="mt-3 text-sm font-semibold">Facilitated by</h3>
              <ul className="mt-1 text-sm">
                {c.facilitators.map((f) => (
                  <li key={f.id}>{f.name}</li>
                ))}
              </ul>
              <Link
                href={`/app/cohorts/${c.slug}/people`}
                className={`${buttonClass("secondary")} mt-3`}
              >
                See everyone
              </Link>
            </section>
            {c.myStatus === "ACTIVE" && c.status !== "FINISHED" && (
              <section aria-labelledby="leave-heading" className={cardClass}>
                <h2 id="leave-heading" className="font-serif text-xl">
                  Leave
                </h2>
                <p className="mt-2 mb-3 text-sm text-muted">
                  Your answers stay yours. The program goes back to your own pace, and your seat
                  goes to the next person waiting.
                </p>
                <ConfirmButton
                  label="Leave this cohort"
                  confirm="Leave the cohort?"
                  busyLabel="Leaving…"
                  variant="secondary"
                  action={{ kind: "leave", cohortId: c.id }}
                  then="/app/cohorts"
                />
              </section>
            )}
          </aside>
        </div>
      )}
    </>
  );
}
