import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ProgressTable } from "@/components/coach/ProgressTable";
import { SharedSnapshot } from "@/components/journal/SharedSnapshot";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDate, formatDateTime } from "@/lib/format-date";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Program progress" };

type Props = {
  params: Promise<{ programId: string }>;
  searchParams: Promise<{ page?: string | string[]; shared?: string | string[] }>;
};

/** A page number from the query string; anything else (missing, repeated, junk) is the first. */
function pageParam(value: string | string[] | undefined) {
  return typeof value === "string" && /^\d{1,4}$/.test(value) ? Number(value) : 0;
}

const count = (n: number) => n.toLocaleString("en-GB");

/** The last page that has anything on it (0 when the list is empty). */
const lastPage = (total: number, pageSize: number) => Math.max(0, Math.ceil(total / pageSize) - 1);

/**
 * Previous and next pages of one list; links, so they work without script and by keyboard.
 * Both lists page on their own and each link keeps the other list's page.
 */
function Pager(props: {
  label: string;
  what: string;
  previous: string | null;
  next: string | null;
}) {
  if (!props.previous && !props.next) return null;
  return (
    <nav aria-label={props.label} className="mt-4 flex flex-wrap gap-3">
      {props.previous && (
        <Link href={props.previous} className={buttonClass("secondary")}>
          <span aria-hidden="true">←</span> Previous<span className="sr-only"> {props.what}</span>
        </Link>
      )}
      {props.next && (
        <Link href={props.next} className={buttonClass("secondary")}>
          Next<span className="sr-only"> {props.what}</span> <span aria-hidden="true">→</span>
        </Link>
      )}
    </nav>
  );
}

export default async function ProgressPage({ params, searchParams }: Props) {
  const { programId } = await params;
  const query = await searchParams;
  const user = await requireRole(COACH_ROLES, `/coach/progress/${programId}`);
  const caller = await api();
  const [progress, shared] = await Promise.all([
    caller.coaching.progress({ programId, page: pageParam(query.page) }),
    caller.coaching.sharedAnswers({ programId, page: pageParam(query.shared) }),
  ]).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  });

  /** This page with the given list pages (the first page of each is left out of the URL). */
  const pageHref = (pages: { page: number; shared: number }, section: string) => {
    const search = new URLSearchParams();
    if (pages.page > 0) search.set("page", String(pages.page));
    if (pages.shared > 0) search.set("shared", String(pages.shared));
    const qs = search.toString();
    return `/coach/progress/${programId}${qs ? `?${qs}` : ""}#${section}`;
  };
  const pages = { page: progress.page, shared: shared.page };
  // From past the end, "Previous" goes to the last page that has anything on it.
  const memberPrevious = Math.min(progress.page - 1, lastPage(progress.total, progress.pageSize));
  const sharedPrevious = Math.min(shared.page - 1, lastPage(shared.total, shared.pageSize));
  const firstMember = progress.page * progress.pageSize + 1;
  const firstShared = shared.page * shared.pageSize + 1;

  return (
    <>
      <PageHeader
        title={progress.program.title}
        lead="How your members move through the program. You see counts and rhythm only: members' answers are private and never shown here, unless a member chooses to share one with you."
      />

      <section aria-labelledby="progress-heading" className={`${cardClass} mb-6`}>
        <h2 id="progress-heading" className="mb-3 font-serif text-xl">
          Progress by module
        </h2>
        {progress.total > 0 && (
          <p className="mb-3 text-sm text-muted">
            {progress.members.length > 0
              ? `Members ${count(firstMember)}–${count(firstMember + progress.members.length - 1)} of ${count(progress.total)}`
              : `No members on this page · ${count(progress.total)} enrolled`}{" "}
            · {count(progress.completed)} completed
          </p>
        )}
        {progress.total === 0 ? (
          <EmptyState title="No one has enrolled yet">
            When members enrol, their steps done per module appear here.
          </EmptyState>
        ) : progress.members.length === 0 ? null : (
          <>
            {/* Outside the scrolling table, so a phone shows it whole. */}
            <p id="progress-legend" className="mb-2 text-sm text-muted">
              Steps done per module, passes submitted and last activity. Darker cells mean more of
              the module is done.
            </p>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (axe scrollable-region-focusable) */}
            <section className="overflow-x-auto" tabIndex={0} aria-label="Progress by module">
              <ProgressTable
                modules={progress.modules}
                rows={progress.members.map((member) => ({
                  userId: member.userId,
                  name: member.name,
                  completed: Boolean(member.completedAt),
                  cells: member.modules.map((cell): [number, number] => [cell.done, cell.total]),
                  passes: member.passes,
                  lastActive: [
                    new Date(member.lastActiveAt).toISOString(),
                    formatDate(member.lastActiveAt, user.timeZone),
                  ],
                }))}
              />
            </section>
          </>
        )}
        <Pager
          label="Pages of members"
          what="members"
          previous={
            progress.page > 0
              ? pageHref({ ...pages, page: memberPrevious }, "progress-heading")
              : null
          }
          next={
            progress.hasMore
              ? pageHref({ ...pages, page: progress.page + 1 }, "progress-heading")
              : null
          }
        />
      </section>

      <section aria-labelledby="shared-heading" className={cardClass}>
        <h2 id="shared-heading" className="font-serif text-xl">
          Shared with you
        </h2>
        <p className="mb-4 mt-1 text-sm text-muted">
          Answers members chose to share: a snapshot of one pass each. When a member stops sharing,
          it disappears from here.
        </p>
        {shared.total > 0 && (
          <p className="mb-3 text-sm text-muted">
            {shared.items.length > 0
              ? `Shared answers ${count(firstShared)}–${count(firstShared + shared.items.length - 1)} of ${count(shared.total)}`
              : `No shared answers on this page · ${count(shared.total)} in all`}
          </p>
        )}
        {shared.total === 0 ? (
          <EmptyState title="Nothing shared yet">
            Members can share a single answer with you from their journal.
          </EmptyState>
        ) : shared.items.length === 0 ? null : (
          <ul className="space-y-4">
            {shared.items.map((item) => {
              return (
                <li key={item.id} className="rounded-xl border border-line p-4">
                  <article aria-labelledby={`share-${item.id}`}>
                    <p className="text-sm text-muted">
                      <strong className="text-ink">{item.memberName}</strong> shared pass{" "}
                      {item.snapshot.passNumber} on{" "}
                      <time dateTime={new Date(item.sharedAt).toISOString()}>
                        {formatDateTime(item.sharedAt, user.timeZone)}
                      </time>
                    </p>
                    <SharedSnapshot snapshot={item.snapshot} headingId={`share-${item.id}`} />
                  </article>
                </li>
              );
            })}
          </ul>
        )}
        <Pager
          label="Pages of shared answers"
          what="shared answers"
          previous={
            shared.page > 0
              ? pageHref({ ...pages, shared: sharedPrevious }, "shared-heading")
              : null
          }
          next={
            shared.hasMore
              ? pageHref({ ...pages, shared: shared.page + 1 }, "shared-heading")
              : null
          }
        />
      </section>
    </>
  );
}
