import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PersonForm } from "@/components/community/PersonForm";
import { ReachOutForm } from "@/components/community/ReachOutForm";
import { RemovePerson } from "@/components/community/RemovePerson";
import { PrivateBadge, StatusChip } from "@/components/community/StatusChip";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime, formatDay } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Person" };

export default async function PersonPage(props: { params: Promise<{ personId: string }> }) {
  const { personId } = await props.params;
  const user = await requireUser(`/app/community/${personId}`);
  const caller = await api();
  const [history, circles] = await Promise.all([
    caller.community.history({ personId }).catch((error: unknown) => {
      if (
        error instanceof TRPCError &&
        (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")
      )
        notFound();
      throw error;
    }),
    caller.community.circles(),
  ]);
  const { person, reachOuts } = history;
  return (
    <>
      <p className="mb-3">
        <Link href="/app/community" className="text-sm font-semibold text-brand underline">
          ← Community map
        </Link>
      </p>
      <PageHeader
        title={person.name}
        lead={
          <span className="flex flex-wrap items-center gap-2">
            <span className="break-words">{person.circle}</span>
            <StatusChip status={person.status} />
          </span>
        }
        actions={<PrivateBadge />}
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="reach-outs" className={cardClass}>
          <h2 id="reach-outs" className="font-serif text-xl">
            Reach-outs
          </h2>
          <p className="mt-1 text-sm text-muted">
            {person.lastContactDay
              ? `Last contact ${formatDay(person.lastContactDay, true)}.`
              : "No contact logged yet."}{" "}
            {person.plannedDay && `Planned: ${formatDay(person.plannedDay, true)}.`}
          </p>
          <div className="mt-4">
            <ReachOutForm personId={person.id} name={person.name} today={history.today} />
          </div>
          {reachOuts.length === 0 ? (
            <p className="mt-4 text-sm text-muted">Nothing logged yet. Every small hello counts.</p>
          ) : (
            <ol className="mt-4 space-y-3 border-l-2 border-line pl-4">
              {reachOuts.map((r) => (
                <li key={r.id}>
                  <p className="text-sm font-semibold">
                    <time dateTime={r.at.toISOString()}>{formatDateTime(r.at, user.timeZone)}</time>
                  </p>
                  {r.note && (
                    <p className="text-sm text-muted break-words whitespace-pre-line">{r.note}</p>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
        <section aria-labelledby="edit-person" className={cardClass}>
          <h2 id="edit-person" className="mb-4 font-serif text-xl">
            Edit
          </h2>
          <PersonForm
            personId={person.id}
            circles={circles}
            today={history.today}
            initial={{
              name: person.name,
              circle: person.circle,
              status: person.status,
              why: person.why,
              lastContactAt: person.lastContactDay ?? "",
              plannedReachOutAt: person.plannedDay ?? "",
            }}
          />
          {person.fromExercise && (
            <p className="mt-4 text-sm text-muted">
              Added from a program exercise. Your answer in the journal stays as you wrote it.
            </p>
          )}
          <div className="mt-6 border-t border-line pt-4">
            <RemovePerson personId={person.id} name={person.name} />
          </div>
        </section>
      </div>
    </>
  );
}
