import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDate } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { STATUS_LABEL } from "@/server/cohorts/pace";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Cohorts" };

export default async function MyCohortsPage() {
  const user = await requireUser("/app/cohorts");
  const cohorts = await (await api()).cohorts.mine();
  return (
    <>
      <PageHeader
        title="Cohorts"
        lead="Groups going through a program together, on the same schedule."
      />
      {cohorts.length === 0 ? (
        <EmptyState title="You are not in a cohort">
          <p>
            Programs that run with a group show their cohorts on the program's page. A coach may
            also send you an invite link.
          </p>
          <Link href="/app/programs" className={`${buttonClass("primary")} mt-4`}>
            See programs
          </Link>
        </EmptyState>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2">
          {cohorts.map((c) => (
            <li key={c.slug} className={cardClass}>
              <p className="text-sm text-muted break-words">{c.programTitle}</p>
              <h2 className="font-serif text-xl break-words">
                {c.status === "ACTIVE" ? (
                  <Link
                    href={`/app/cohorts/${c.slug}`}
                    className="underline-offset-4 hover:underline"
                  >
                    {c.name}
                  </Link>
                ) : (
                  c.name
                )}
              </h2>
              <p className="mt-1 text-sm">
                {c.state === "SCHEDULED"
                  ? `Starts on ${formatDate(c.startsAt, user.timeZone, "long")}`
                  : STATUS_LABEL[c.state]}
                {c.status === "WAITLISTED" && " · you are on the waitlist"}
              </p>
              {c.status === "WAITLISTED" && (
                <Link
                  href={`/app/cohorts/${c.slug}`}
                  className="mt-2 inline-block text-sm text-brand underline"
                >
                  Your place in the queue
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
