import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CheckInForm } from "@/components/commitments/CheckInForm";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { cardClass } from "@/components/ui/styles";
import { formatDateTime, formatDay, relativeDay } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Commitment" };

const OUTCOME = { OPEN: "Open", DONE: "Done", NOT_YET: "Not yet", CHANGED: "Changed" } as const;

export default async function CommitmentPage(props: { params: Promise<{ id: string }> }) {
  const { id } = await props.params;
  const user = await requireUser(`/app/commitments/${id}`);
  const { commitment, checkIns, today } = await (await api()).commitments
    .history({ id })
    .catch((error: unknown) => {
      if (
        error instanceof TRPCError &&
        (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")
      )
        notFound();
      throw error;
    });
  return (
    <>
      <p className="mb-3">
        <Link href="/app/commitments" className="text-sm font-semibold text-brand underline">
          ← Commitments
        </Link>
      </p>
      <PageHeader
        title="Commitment"
        lead={
          commitment.status === "DONE"
            ? `Done · was due ${formatDay(commitment.dueDay, true)}`
            : `Due ${formatDay(commitment.dueDay, true)} (${relativeDay(commitment.dueDay, today)})`
        }
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="text" className={cardClass}>
          <h2 id="text" className="sr-only">
            What you committed to
          </h2>
          <p className="font-serif text-2xl break-words whitespace-pre-line">{commitment.text}</p>
          {commitment.status !== "DONE" && (
            <div className="mt-5">
              <CheckInForm id={commitment.id} text={commitment.text} today={today} />
            </div>
          )}
        </section>
        <section aria-labelledby="check-ins" className={cardClass}>
          <h2 id="check-ins" className="font-serif text-xl">
            Check-ins
          </h2>
          {checkIns.length === 0 ? (
            <p className="mt-2 text-sm text-muted">No check-ins yet.</p>
          ) : (
            <ol className="mt-4 space-y-3 border-l-2 border-line pl-4">
              {checkIns.map((c) => (
                <li key={c.id}>
                  <p className="text-sm">
                    <span className="font-semibold">{OUTCOME[c.outcome]}</span> ·{" "}
                    <time dateTime={c.createdAt.toISOString()} className="text-muted">
                      {formatDateTime(c.createdAt, user.timeZone)}
                    </time>
                  </p>
                  {c.note && (
                    <p className="text-sm text-muted break-words whitespace-pre-line">{c.note}</p>
                  )}
                </li>
              ))}
            </ol>
          )}
          <p className="mt-4 text-sm text-muted">
            Made{" "}
            <time dateTime={commitment.createdAt.toISOString()}>
              {formatDateTime(commitment.createdAt, user.timeZone)}
            </time>
            {commitment.sourcePassId && " in a program exercise"}.
          </p>
        </section>
      </div>
    </>
  );
}
