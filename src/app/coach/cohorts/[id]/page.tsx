import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConfirmButton, FacilitatorForm, InvitePanel } from "@/components/cohorts/CohortActions";
import { CohortForm } from "@/components/cohorts/CohortForm";
import { type RosterRow, RosterTable } from "@/components/cohorts/RosterTable";
import { SessionForm, SessionRow } from "@/components/cohorts/Sessions";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDate, formatDateTime, formatDay, localTime } from "@/lib/format-date";
import { localDay } from "@/lib/time-zone";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";
import { STATUS_LABEL } from "@/server/cohorts/pace";
import { env } from "@/server/env";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Cohort" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{
    page?: string | string[];
    sort?: string | string[];
    filter?: string | string[];
  }>;
};

function rosterHref(id: string, q: { sort: string; filter: string; page?: number }) {
  const search = new URLSearchParams();
  if (q.filter !== "all") search.set("filter", q.filter);
  if (q.sort !== "joined") search.set("sort", q.sort);
  if (q.page) search.set("page", String(q.page));
  const qs = search.toString();
  return `/coach/cohorts/${id}${qs ? `?${qs}` : ""}#roster-heading`;
}

const SORTS = [
  { value: "joined", label: "Joined" },
  { value: "name", label: "Name" },
  { value: "lastActive", label: "Quiet longest" },
  { value: "progress", label: "Fewest steps" },
] as const;
const FILTERS = ["all", "drifting", "waitlisted"] as const;
const FILTER_LABEL = { all: "Everyone", drifting: "Drifting", waitlisted: "Waitlist" } as const;

export default async function CoachCohortPage({ params, searchParams }: Props) {
  const { id } = await params;
  const q = await searchParams;
  const page = typeof q.page === "string" && /^\d{1,4}$/.test(q.page) ? Number(q.page) : 0;
  const sort = SORTS.find((s) => s.value === q.sort)?.value ?? "joined";
  const filter = FILTERS.find((f) => f === q.filter) ?? "all";
  const me = await requireRole(COACH_ROLES, `/coach/cohorts/${id}`);
  const caller = await api();
  const [cohort, roster] = await Promise.all([
    caller.cohorts.manage({ cohortId: id.slice(0, 64) }),
    caller.cohorts.roster({ cohortId: id.slice(0, 64), page, sort, filter }),
  ]).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  });
  const finished = cohort.status === "FINISHED";
  const inviteUrl = cohort.inviteToken ? `${env().appUrl}/app/join/${cohort.inviteToken}` : null;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/coach/cohorts" className="text-brand underline">
          Cohorts
        </Link>
      </p>
      <PageHeader
        title={cohort.name}
        lead={`${cohort.program.title} · ${STATUS_LABEL[cohort.status]} · ${cohort.members} of ${cohort.capacity} seats taken${cohort.waitlisted ? `, ${cohort.waitlisted} waiting` : ""}`}
        actions={
          <Link href={`/app/cohorts/${cohort.slug}`} className={buttonClass("secondary")}>
            Open the cohort's page
          </Link>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          <section aria-labelledby="roster-heading" className={cardClass}>
            <h2 id="roster-heading" className="font-serif text-xl">
              Members
            </h2>
            <p id="roster-legend" className="mb-3 mt-1 text-sm text-muted">
              Steps done per module and the last day each member was active. “Drifting” means no
              activity for a week, or a rhythm below half of the member's own earlier one. Counts
              and dates only: answers stay private unless a member shares one.
            </p>
            <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
              <nav aria-label="Show" className="flex flex-wrap gap-2">
                {FILTERS.map((f) => (
                  <Link
                    key={f}
                    href={rosterHref(cohort.id, { sort, filter: f })}
                    aria-current={f === filter ? "true" : undefined}
                    className={`chip ${f === filter ? "chip-keep" : ""}`}
                  >
                    {FILTER_LABEL[f]} ({roster.counts[f]})
                  </Link>
                ))}
              </nav>
              <form method="get" className="flex flex-wrap items-end gap-2">
                <input type="hidden" name="filter" value={filter} />
                <label className="text-sm">
                  <span className="block font-semibold">Sort by</span>
                  <select name="sort" defaultValue={sort} className="field">
                    {SORTS.map((s) => (
                      <option key={s.value} value={s.value}>
                        {s.label}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" className={buttonClass("secondary")}>
                  Sort
                </button>
                <a
                  href={`/api/cohorts/${cohort.id}/progress`}
                  className={buttonClass("ghost")}
                  download
                >
                  Export CSV
                </a>
              </form>
            </div>
            {roster.members.length === 0 ? (
              <EmptyState title="Nobody has joined yet">
                Share the invite link, or leave enrolment open so members can join from the
                program's page.
              </EmptyState>
            ) : (
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe scrollable-region-focusable)
              <section className="relative overflow-x-auto" tabIndex={0} aria-label="Members">
                <RosterTable
                  cohortId={cohort.id}
                  finished={finished}
                  modules={roster.modules.map((m) => ({ id: m.id, title: m.title }))}
                  rows={roster.members.map(
                    (m): RosterRow => ({
                      userId: m.userId,
                      name: m.name,
                      email: m.name !== m.email ? m.email : null,
                      waiting: m.status === "WAITLISTED" ? m.waitPosition : null,
                      drift: m.drift?.drifting
                        ? m.drift.reason === "quiet"
                          ? `Drifting · quiet ${m.drift.quietDays} days`
                          : "Drifting · slower than before"
                        : null,
                      cells:
                        m.status === "ACTIVE"
                          ? m.modules.map((c): [number, number] => [c.done, c.total])
                          : null,
                      lastActive: m.lastActiveDay ? formatDay(m.lastActiveDay) : "Not yet",
                      nudgedToday: m.nudgedToday,
                    }),
                  )}
                />
              </section>
            )}
            {(page > 0 || roster.hasMore) && (
              <nav aria-label="Pages of members" className="mt-4 flex flex-wrap gap-3">
                {page > 0 && (
                  <Link
                    href={rosterHref(cohort.id, { sort, filter, page: page - 1 })}
                    className={buttonClass("secondary")}
                  >
                    Previous<span className="sr-only"> members</span>
                  </Link>
                )}
                {roster.hasMore && (
                  <Link
                    href={rosterHref(cohort.id, { sort, filter, page: page + 1 })}
                    className={buttonClass("secondary")}
                  >
                    Next<span className="sr-only"> members</span>
                  </Link>
                )}
              </nav>
            )}
          </section>

          <section aria-labelledby="sessions-heading" className={cardClass}>
            <h2 id="sessions-heading" className="font-serif text-xl">
              Live sessions
            </h2>
            <p className="mb-3 mt-1 text-sm text-muted">
              Members see them in their own time zone and can subscribe to them in their calendar.
            </p>
            {cohort.sessions.length > 0 && (
              <ul className="mb-4 divide-y divide-line">
                {cohort.sessions.map((s) => (
                  <SessionRow
                    key={s.id}
                    cohortId={cohort.id}
                    zone={cohort.timeZone}
                    today={localDay(new Date(), cohort.timeZone)}
                    session={{
                      id: s.id,
                      title: s.title,
                      when: `${formatDateTime(s.startsAt, cohort.timeZone)} (${cohort.timeZone}) · ${s.durationMinutes} min`,
                      cancelled: s.cancelledAt !== null,
                      initial: {
                        title: s.title,
                        date: localDay(s.startsAt, cohort.timeZone),
                        time: localTime(s.startsAt, cohort.timeZone),
                        duration: String(s.durationMinutes),
                        joinUrl: s.joinUrl,
                      },
                    }}
                  />
                ))}
              </ul>
            )}
            {!finished && (
              <SessionForm
                cohortId={cohort.id}
                zone={cohort.timeZone}
                today={localDay(new Date(), cohort.timeZone)}
              />
            )}
          </section>

          <section aria-labelledby="schedule-heading" className={cardClass}>
            <h2 id="schedule-heading" className="mb-3 font-serif text-xl">
              Schedule
            </h2>
            {cohort.schedule.length === 0 ? (
              <p className="text-sm text-muted">The program has no modules yet.</p>
            ) : (
              <ol className="divide-y divide-line">
                {cohort.schedule.map((m, i) => (
                  <li key={m.id} className="flex flex-wrap justify-between gap-2 py-2">
                    <span>
                      <span className="text-muted">{i + 1}.</span> {m.title}
                    </span>
                    <span className="text-sm text-muted">
                      Day {m.day} · {formatDateTime(m.opensAt, cohort.timeZone)} ({cohort.timeZone})
                      {cohort.timeZone !== me.timeZone && (
                        <> · {formatDateTime(m.opensAt, me.timeZone)} your time</>
                      )}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>

        <div className="space-y-6">
          <section aria-labelledby="settings-heading" className={cardClass}>
            <h2 id="settings-heading" className="mb-3 font-serif text-xl">
              Settings
            </h2>
            {finished && (
              <p className="mb-3 text-sm text-muted">
                Finished on {formatDate(cohort.finishedAt!, me.timeZone, "long")}. Its page stays
                readable for its members.
              </p>
            )}
            <CohortForm
              today={localDay(new Date(), cohort.timeZone)}
              cohortId={cohort.id}
              finished={finished}
              initial={{
                name: cohort.name,
                slug: cohort.slug,
                startDate: cohort.startDay,
                timeZone: cohort.timeZone,
                capacity: String(cohort.capacity),
                enrolmentOpen: cohort.enrolmentOpen,
              }}
            />
          </section>
          <section aria-labelledby="invite-heading" className={cardClass}>
            <h2 id="invite-heading" className="mb-3 font-serif text-xl">
              Invite
            </h2>
            <InvitePanel cohortId={cohort.id} url={inviteUrl} finished={finished} />
          </section>
          <section aria-labelledby="facilitators-heading" className={cardClass}>
            <h2 id="facilitators-heading" className="mb-3 font-serif text-xl">
              Facilitators
            </h2>
            <ul className="mb-3 space-y-2">
              {cohort.facilitators.map((f) => (
                <li key={f.userId} className="flex flex-wrap items-center justify-between gap-2">
                  <span className="break-all text-sm">
                    {f.name}
                    {f.name !== f.email && <span className="text-muted"> · {f.email}</span>}
                  </span>
                  {cohort.canChooseFacilitators && f.userId !== cohort.program.authorId && (
                    <ConfirmButton
                      label="Remove"
                      confirm="Remove?"
                      busyLabel="Removing…"
                      action={{ kind: "removeFacilitator", cohortId: cohort.id, userId: f.userId }}
                    />
                  )}
                </li>
              ))}
            </ul>
            {cohort.canChooseFacilitators ? (
              <FacilitatorForm cohortId={cohort.id} />
            ) : (
              <p className="text-sm text-muted">The program's author chooses the facilitators.</p>
            )}
          </section>
          {!finished && (
            <section aria-labelledby="finish-heading" className={cardClass}>
              <h2 id="finish-heading" className="mb-2 font-serif text-xl">
                Finish the cohort
              </h2>
              <p className="mb-3 text-sm text-muted">
                Nobody can join any more and the waitlist is cleared; members keep their answers and
                can still read the cohort's page.
              </p>
              <ConfirmButton
                label="Finish this cohort"
                confirm="Finish it for everyone?"
                busyLabel="Finishing…"
                variant="secondary"
                action={{ kind: "close", cohortId: cohort.id }}
              />
            </section>
          )}
        </div>
      </div>
    </>
  );
}
