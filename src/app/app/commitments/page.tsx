import type { Metadata } from "next";
import { CheckInForm } from "@/components/commitments/CheckInForm";
import { CommitmentForm } from "@/components/commitments/CommitmentForm";
import { PracticesSection } from "@/components/commitments/PracticeTicker";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDay, relativeDay } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Commitments" };

const STATUS_NOTE = { OPEN: "", NOT_YET: "Not yet", CHANGED: "Changed", DONE: "Done" } as const;

type Item = {
  id: string;
  text: string;
  dueDay: string;
  status: keyof typeof STATUS_NOTE;
  updatedAt: Date;
};

function Group(props: {
  id: string;
  title: string;
  items: Item[];
  today: string;
  tone?: "danger";
  empty: string;
  checkIn?: boolean;
}) {
  return (
    <section aria-labelledby={props.id} className={cardClass}>
      <h2 id={props.id} className="font-serif text-xl">
        {props.title} <span className="text-base font-sans text-muted">({props.items.length})</span>
      </h2>
      {props.items.length === 0 ? (
        <p className="mt-2 text-sm text-muted">{props.empty}</p>
      ) : (
        <ul className="mt-3 space-y-3">
          {props.items.map((c) => (
            <li key={c.id} className="rounded-xl border border-line p-4">
              <Link
                href={`/app/commitments/${c.id}`}
                className="font-semibold text-ink underline-offset-4 hover:underline break-words whitespace-pre-line"
              >
                {c.text}
              </Link>
              <p
                className={
                  props.tone === "danger"
                    ? "mt-1 text-sm font-semibold text-danger"
                    : "mt-1 text-sm text-muted"
                }
              >
                {c.status === "DONE"
                  ? `Done · due ${formatDay(c.dueDay)}`
                  : `Due ${formatDay(c.dueDay)} (${relativeDay(c.dueDay, props.today)})`}
                {c.status !== "DONE" &&
                  STATUS_NOTE[c.status] &&
                  ` · last check-in: ${STATUS_NOTE[c.status].toLowerCase()}`}
              </p>
              {props.checkIn && (
                <div className="mt-3">
                  <CheckInForm id={c.id} text={c.text} today={props.today} compact />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

type Props = { searchParams: Promise<{ page?: string }> };

export default async function CommitmentsPage({ searchParams }: Props) {
  await requireUser("/app/commitments");
  const { page: pageParam } = await searchParams;
  const page = /^\d{1,4}$/.test(pageParam ?? "") ? Number(pageParam) : 0;
  const caller = await api();
  const [list, practices] = await Promise.all([
    caller.commitments.list({ page }),
    caller.practices.list(),
  ]);
  const { today } = list;
  const total = list.open.length + list.due.length + list.overdue.length + list.done.length;
  return (
    <>
      <PageHeader
        title="Commitments"
        lead="Small steps you promised yourself, and the practices you keep. Check in honestly: “not yet” is an answer too."
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="space-y-6">
          {total === 0 && (
            <EmptyState title="No commitments yet">
              Write down one small step you can take today, or make one in a program’s commitment
              exercise.
            </EmptyState>
          )}
          {list.overdue.length > 0 && (
            <Group
              id="overdue"
              title="Overdue"
              items={list.overdue}
              today={today}
              tone="danger"
              empty=""
              checkIn
            />
          )}
          <Group
            id="due"
            title="Due today"
            items={list.due}
            today={today}
            empty="Nothing due today."
            checkIn
          />
          <Group
            id="open"
            title="Coming up"
            items={list.open}
            today={today}
            empty="Nothing planned ahead."
            checkIn
          />
          {(list.page > 0 || list.hasMore) && (
            <nav aria-label="Pages of your commitments" className="flex flex-wrap gap-3">
              {list.page > 0 && (
                <Link
                  href={
                    list.page === 1 ? "/app/commitments" : `/app/commitments?page=${list.page - 1}`
                  }
                  className={buttonClass("secondary")}
                >
                  ← Sooner
                </Link>
              )}
              {list.hasMore && (
                <Link
                  href={`/app/commitments?page=${list.page + 1}`}
                  className={buttonClass("secondary")}
                >
                  Later →
                </Link>
              )}
            </nav>
          )}
          <Group
            id="done"
            title="Done"
            items={list.done}
            today={today}
            empty="Nothing done yet — soon."
          />
        </div>
        <div className="space-y-6">
          <section aria-labelledby="new-commitment" className={`${cardClass} self-start`}>
            <h2 id="new-commitment" className="mb-4 font-serif text-xl">
              New commitment
            </h2>
            <CommitmentForm today={today} />
          </section>
          <section aria-labelledby="practices" className={cardClass}>
            <h2 id="practices" className="font-serif text-xl">
              Practices
            </h2>
            <p className="mt-1 mb-4 text-sm text-muted">
              Tick one each time you do it. The strip shows 14 days.
            </p>
            {practices.exercises.length === 0 ? (
              <p className="text-sm text-muted">
                Practices come with programs.{" "}
                <Link href="/app/programs" className="font-semibold text-brand underline">
                  Find a program
                </Link>
              </p>
            ) : (
              <PracticesSection exercises={practices.exercises} />
            )}
          </section>
        </div>
      </div>
    </>
  );
}
