import type { Metadata } from "next";
import { CohortForm } from "@/components/cohorts/CohortForm";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { cardClass } from "@/components/ui/styles";
import { formatDay } from "@/lib/format-date";
import { localDay } from "@/lib/time-zone";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";
import { STATUS_LABEL } from "@/server/cohorts/pace";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Cohorts" };

export default async function CoachCohortsPage() {
  const me = await requireRole(COACH_ROLES, "/coach/cohorts");
  const { cohorts, programs } = await (await api()).cohorts.list();
  return (
    <>
      <PageHeader
        title="Cohorts"
        lead="Run a program with a group: one start date, modules opening on schedule, a waitlist when seats run out."
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <section aria-labelledby="cohorts-heading">
          <h2 id="cohorts-heading" className="sr-only">
            Your cohorts
          </h2>
          {cohorts.length === 0 ? (
            <EmptyState title="No cohorts yet">
              Create one with the form: choose a program, a start date and how many seats it has.
            </EmptyState>
          ) : (
            <ul className="space-y-3">
              {cohorts.map((c) => (
                <li key={c.id} className={cardClass}>
                  <div className="flex flex-wrap items-center gap-2">
                    <Link
                      href={`/coach/cohorts/${c.id}`}
                      className="font-serif text-lg text-brand-dark underline-offset-4 hover:underline"
                    >
                      {c.name}
                    </Link>
                    <span className="pill">{STATUS_LABEL[c.status]}</span>
                  </div>
                  <p className="mt-1 text-sm text-muted break-words">
                    {c.program.title} · starts {formatDay(c.startDay, true)} ({c.timeZone})
                  </p>
                  <p className="mt-1 text-sm">
                    {c.members} of {c.capacity} seats taken
                    {c.waitlisted > 0 ? ` · ${c.waitlisted} waiting` : ""}
                    {c.status !== "FINISHED" && !c.enrolmentOpen ? " · invite only" : ""}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="new-cohort" className={`${cardClass} self-start`}>
          <h2 id="new-cohort" className="mb-3 font-serif text-xl">
            New cohort
          </h2>
          {programs.length === 0 ? (
            <p className="text-sm text-muted">
              Cohorts run a program you author.{" "}
              <Link href="/coach/programs" className="text-brand underline">
                Write a program first
              </Link>
              .
            </p>
          ) : (
            <CohortForm
              today={localDay(new Date(), me.timeZone)}
              programs={programs}
              initial={{ timeZone: me.timeZone }}
            />
          )}
        </section>
      </div>
    </>
  );
}
