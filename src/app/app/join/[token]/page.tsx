import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { JoinButton } from "@/components/cohorts/CohortActions";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { formatDate } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { STATUS_LABEL } from "@/server/cohorts/pace";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Invitation" };

type Props = { params: Promise<{ token: string }> };

export default async function JoinPage({ params }: Props) {
  const { token } = await params;
  const user = await requireUser(`/app/join/${encodeURIComponent(token)}`);
  const invite = await (await api()).cohorts
    .invitation({ token: token.slice(0, 64) })
    .catch((error) => {
      if (
        error instanceof TRPCError &&
        (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")
      )
        return null;
      throw error;
    });
  if (!invite) {
    return (
      <>
        <PageHeader title="Invitation" />
        <EmptyState title="This invite link is not valid any more">
          <p>
            It may have been replaced by a new one, or the cohort has finished. Ask your coach for a
            new link.
          </p>
          <Link href="/app/cohorts" className={`${buttonClass("secondary")} mt-4`}>
            Your cohorts
          </Link>
        </EmptyState>
      </>
    );
  }
  const inside = invite.myStatus === "ACTIVE" || invite.myStatus === "WAITLISTED";
  return (
    <>
      <PageHeader title={`Join ${invite.name}`} lead={invite.programTitle} />
      <section className={`${cardClass} max-w-2xl`} aria-label="The cohort">
        {invite.programSummary && (
          <p className="mb-3 whitespace-pre-line">{invite.programSummary}</p>
        )}
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted">Starts</dt>
          <dd>
            {formatDate(invite.startsAt, user.timeZone, "long")} · {STATUS_LABEL[invite.status]}
          </dd>
          <dt className="text-muted">Seats left</dt>
          <dd>{invite.seatsLeft === 0 ? "None: you would join the waitlist" : invite.seatsLeft}</dd>
        </dl>
        <div className="mt-4">
          {inside ? (
            <Link href={`/app/cohorts/${invite.slug}`} className={buttonClass("primary")}>
              {invite.myStatus === "ACTIVE"
                ? "You are in: open the cohort"
                : "You are on the waitlist"}
            </Link>
          ) : invite.elsewhere ? (
            <p className="text-sm">
              You are already in{" "}
              <Link
                href={`/app/cohorts/${invite.elsewhere.slug}`}
                className="font-semibold underline"
              >
                {invite.elsewhere.name}
              </Link>{" "}
              for this program. Leave it first to join this one.
            </p>
          ) : invite.myStatus === "REMOVED" ? (
            <p className="text-sm text-muted">A coach removed you from this cohort.</p>
          ) : (
            <JoinButton token={token} name={invite.name} full={invite.seatsLeft === 0} />
          )}
        </div>
      </section>
    </>
  );
}
