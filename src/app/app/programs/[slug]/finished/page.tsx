import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDate, formatDay } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Program completed" };

/** The end of a program: what the member did, when it comes back, and what could come next. */
export default async function FinishedPage({ params }: Props) {
  const { slug } = await params;
  const base = `/app/programs/${slug}`;
  const user = await requireUser(`${base}/finished`);
  const data = await (await api()).player.ending({ slug: slug.slice(0, 120) }).catch((error) => {
    if (error instanceof TRPCError) {
      if (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST") notFound();
      // Not enrolled (or no access any more): the program's page says what to do.
      if (error.code === "PRECONDITION_FAILED" || error.code === "FORBIDDEN") redirect(base);
    }
    throw error;
  });
  // Not finished yet: keep going instead.
  if (!data.completed) redirect(base);
  const stats = [
    { value: data.steps.done, label: data.steps.done === 1 ? "step done" : "steps done" },
    { value: data.counts.answers, label: data.counts.answers === 1 ? "answer" : "answers" },
    {
      value: data.counts.people,
      label: data.counts.people === 1 ? "person on your map" : "people on your map",
    },
    {
      value: data.counts.commitments,
      label: data.counts.commitments === 1 ? "commitment made" : "commitments made",
    },
  ];
  const hasNext = data.next.programs.length > 0 || data.next.cohorts.length > 0;
  return (
    <div className="space-y-8">
      <section
        aria-labelledby="finished-heading"
        className="rounded-3xl bg-brand-dark px-6 py-10 text-center text-white sm:px-10"
      >
        <p className="text-sm font-semibold uppercase tracking-widest text-brand-soft">
          Program completed
          {data.completedAt && ` · ${formatDate(data.completedAt, user.timeZone, "long")}`}
        </p>
        <h1 id="finished-heading" className="mt-3 font-serif text-3xl break-words sm:text-4xl">
          You finished “{data.program.title}”
        </h1>
        <p className="mx-auto mt-3 max-w-prose text-brand-soft">
          Every step, done. That took honesty and time — the people in your life are the better for
          it.
        </p>
        <ul
          aria-label="What you did"
          className="mx-auto mt-8 grid max-w-3xl grid-cols-2 gap-3 sm:grid-cols-4"
        >
          {stats.map((s) => (
            <li key={s.label} className="rounded-2xl bg-white/10 px-3 py-4">
              <span className="block font-serif text-3xl">{s.value}</span>
              <span className="text-sm text-brand-soft">{s.label}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="comes-back" className={cardClass}>
        <h2 id="comes-back" className="font-serif text-xl">
          When your answers come back
        </h2>
        {data.revisits.length === 0 ? (
          <p className="mt-2 text-muted">
            None of this program’s prompts asks to be answered again. Your answers stay in your
            journal.
          </p>
        ) : (
          <>
            <p className="mt-1 text-sm text-muted">
              Some prompts ask to be answered again after a while; they will be on Today when they
              are due, so you can see what changed.
            </p>
            <ul className="mt-3 divide-y divide-line">
              {data.revisits.map((r) => (
                <li
                  key={r.exerciseId}
                  className="flex flex-wrap items-baseline justify-between gap-x-4 py-2"
                >
                  <span className="min-w-0 break-words">{r.prompt}</span>
                  <span className="text-sm font-semibold text-brand-dark">
                    {formatDate(r.dueAt, user.timeZone, "long")}
                  </span>
                </li>
              ))}
            </ul>
            {data.moreRevisits && (
              <p className="mt-2 text-sm text-muted">And more: your journal lists them all.</p>
            )}
          </>
        )}
        <Link href="/app/journal" className={`${buttonClass("secondary")} mt-4`}>
          Revisit your journal
        </Link>
      </section>

      <section aria-labelledby="whats-next">
        <h2 id="whats-next" className="mb-3 font-serif text-2xl">
          What next
        </h2>
        {!hasNext ? (
          <EmptyState title="You have done everything on offer">
            New programs and groups appear in the catalog when your coach adds them.
            <Link href="/app/programs" className={`${buttonClass("secondary")} mt-4`}>
              See the programs
            </Link>
          </EmptyState>
        ) : (
          <ul className="grid gap-4 md:grid-cols-2">
            {data.next.programs.map((p) => (
              <li key={p.id} className={`${cardClass} flex flex-col gap-2`}>
                <p className="text-xs font-semibold uppercase tracking-wide text-muted">
                  Another program
                </p>
                <h3 className="font-serif text-xl break-words">{p.title}</h3>
                {p.summary && <p className="line-clamp-3 text-muted">{p.summary}</p>}
                <Link
                  href={`/app/programs/${p.slug}`}
                  className={`${buttonClass("primary")} mt-auto self-start`}
                >
                  Have a look<span className="sr-only"> at {p.title}</span>
                </Link>
              </li>
            ))}
            {data.next.cohorts.map((c) => (
              <li key={c.id} className={`${cardClass} flex flex-col gap-2`}>
                <p className="text-xs font-semibold uppercase tracking-wide text-muted">
                  Go through it with a group
                </p>
                <h3 className="font-serif text-xl break-words">{c.name}</h3>
                <p className="text-muted">
                  {c.programTitle}, starting {formatDay(c.startDay, true)}.
                </p>
                <Link
                  href={`/app/programs/${c.programSlug}`}
                  className={`${buttonClass("secondary")} mt-auto self-start`}
                >
                  See the group<span className="sr-only">: {c.name}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <p>
        <Link href={base} className="text-brand underline">
          Back to {data.program.title}
        </Link>
        {" · "}
        <Link href="/app" className="text-brand underline">
          Today
        </Link>
      </p>
    </div>
  );
}
