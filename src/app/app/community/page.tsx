import type { Metadata } from "next";
import { PersonForm } from "@/components/community/PersonForm";
import { ReachOutForm } from "@/components/community/ReachOutForm";
import { PrivateBadge, STATUS_LABEL, StatusChip } from "@/components/community/StatusChip";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDay, relativeDay } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Community map" };

type Props = { searchParams: Promise<{ page?: string }> };

export default async function CommunityPage({ searchParams }: Props) {
  await requireUser("/app/community");
  const { page: pageParam } = await searchParams;
  const page = /^\d{1,4}$/.test(pageParam ?? "") ? Number(pageParam) : 0;
  const map = await (await api()).community.list({ page });
  const circles = map.circleNames;
  return (
    <>
      <PageHeader
        title="Your community map"
        lead="The people in your life, by circle: who to keep close, who to reconnect with, who to let go."
        actions={<PrivateBadge />}
      />
      {map.total > 0 && (
        <p className="mb-6 text-sm text-muted">
          {map.total} {map.total === 1 ? "person" : "people"} ·{" "}
          {(Object.keys(STATUS_LABEL) as (keyof typeof STATUS_LABEL)[])
            .map((s) => `${map.counts[s]} ${STATUS_LABEL[s].toLowerCase()}`)
            .join(" · ")}
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="space-y-6">
          {map.total === 0 ? (
            <EmptyState title="Your map is empty">
              Start with one person who matters to you. People you name in a program’s “people”
              exercise appear here too.
            </EmptyState>
          ) : (
            map.circles.map((circle) => (
              <section
                key={circle.circle}
                aria-labelledby={`circle-${circle.circle}`}
                className={cardClass}
              >
                <h2 id={`circle-${circle.circle}`} className="font-serif text-2xl break-words">
                  {circle.circle}
                </h2>
                {circle.groups.map((group) => (
                  <div key={group.status} className="mt-4">
                    <h3 className="mb-2">
                      <StatusChip status={group.status} />
                    </h3>
                    <ul className="space-y-3">
                      {group.people.map((p) => (
                        <li key={p.id} className="rounded-xl border border-line p-4">
                          <div className="flex flex-wrap items-baseline justify-between gap-2">
                            <Link
                              href={`/app/community/${p.id}`}
                              className="font-semibold text-ink underline-offset-4 hover:underline break-words"
                            >
                              {p.name}
                            </Link>
                            {p.plannedDay && (
                              <span
                                className={
                                  p.plannedDue
                                    ? "text-sm font-semibold text-accent"
                                    : "text-sm text-muted"
                                }
                              >
                                Reach out {relativeDay(p.plannedDay, map.today)}
                              </span>
                            )}
                          </div>
                          {p.why && (
                            <p className="mt-1 line-clamp-2 text-sm text-muted break-words">
                              {p.why}
                            </p>
                          )}
                          <p className="mt-2 text-sm text-muted">
                            {p.lastContactDay
                              ? `Last contact ${formatDay(p.lastContactDay, true)}`
                              : "No contact logged yet"}
                            {p.reachOutCount > 0 &&
                              ` · reached out ${p.reachOutCount} ${p.reachOutCount === 1 ? "time" : "times"}`}
                          </p>
                          {p.latestReachOut?.note && (
                            <p className="mt-1 text-sm italic text-muted break-words">
                              “{p.latestReachOut.note}”
                            </p>
                          )}
                          <div className="mt-3">
                            <ReachOutForm personId={p.id} name={p.name} today={map.today} />
                          </div>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </section>
            ))
          )}
          {(map.page > 0 || map.hasMore) && (
            <nav aria-label="Pages of your map" className="flex flex-wrap gap-3">
              {map.page > 0 && (
                <Link
                  href={map.page === 1 ? "/app/community" : `/app/community?page=${map.page - 1}`}
                  className={buttonClass("secondary")}
                >
                  ← Previous people
                </Link>
              )}
              {map.hasMore && (
                <Link
                  href={`/app/community?page=${map.page + 1}`}
                  className={buttonClass("secondary")}
                >
                  More people →
                </Link>
              )}
            </nav>
          )}
        </div>
        <section aria-labelledby="add-person" className={`${cardClass} self-start`}>
          <h2 id="add-person" className="mb-4 font-serif text-xl">
            Add someone
          </h2>
          <PersonForm circles={circles} today={map.today} />
        </section>
      </div>
    </>
  );
}
