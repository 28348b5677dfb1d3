import type { Metadata } from "next";
import Link from "next/link";
import { CheckInForm } from "@/components/commitments/CheckInForm";
import { PracticesSection } from "@/components/commitments/PracticeTicker";
import { ReachOutForm } from "@/components/community/ReachOutForm";
import { StatusChip } from "@/components/community/StatusChip";
import { StreakBadge } from "@/components/dashboard/StreakBadge";
import { EmptyState } from "@/components/ui/EmptyState";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { ProgressBar } from "@/components/ui/ProgressBar";
import { buttonClass, cardClass } from "@/components/ui/styles";
import {
  formatDate,
  formatDay,
  formatWeekdayDate,
  localHour,
  relativeDay,
} from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Today" };

function greeting(timeZone: string): string {
  const hour = localHour(new Date(), timeZone);
  return hour < 12 ? "Good morning" : hour < 18 ? "Good afternoon" : "Good evening";
}

/** Today shows a few of each list; the rest is on the list's own page. */
function MoreLink(props: { href: string; children: string }) {
  return (
    <p className="mt-3 text-sm">
      <Link href={props.href} className="font-semibold text-brand underline">
        {props.children}
      </Link>
    </p>
  );
}

const stepHref = (slug: string, stepId: string) =>
  `/app/programs/${encodeURIComponent(slug)}/steps/${encodeURIComponent(stepId)}`;

function SectionTitle(props: { id: string; children: string; href?: string; linkLabel?: string }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-2">
      <h2 id={props.id} className="font-serif text-xl">
        {props.children}
      </h2>
      {props.href && (
        <Link href={props.href} className="text-sm font-semibold text-brand underline">
          {props.linkLabel}
        </Link>
      )}
    </div>
  );
}

export default async function TodayPage() {
  const user = await requireUser("/app");
  const caller = await api();
  const [t, practices, payment] = await Promise.all([
    caller.dashboard.today(),
    caller.practices.list(),
    caller.billing.notice(),
  ]);
  const dateLine = formatWeekdayDate(new Date(), user.timeZone);
  const inProgress = t.nextSteps.filter((n) => n.next);
  const waiting = t.nextSteps.filter((n) => !n.next && n.waiting);
  const finished = t.nextSteps.filter((n) => !n.next && !n.waiting && n.stepsTotal > 0);

  return (
    <>
      <PageHeader
        title={`${greeting(user.timeZone)}, ${user.name?.split(" ")[0] ?? "there"}`}
        lead={`${dateLine} · days follow your time zone, ${user.timeZone}`}
        actions={<StreakBadge {...t.streak} />}
      />
      {payment && (
        <div className="mb-6">
          <Notice tone="danger" role="alert">
            The last payment for {payment.planName} did not go through. You keep access until{" "}
            {payment.graceEndsAt ? formatDate(payment.graceEndsAt, user.timeZone, "long") : "soon"}.{" "}
            <Link href="/app/settings/billing" className="font-semibold underline">
              Update your card
            </Link>
          </Notice>
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="next-step" className={`${cardClass} lg:col-span-2`}>
          <SectionTitle id="next-step" href="/app/programs" linkLabel="All programs">
            Your next step
          </SectionTitle>
          {t.nextSteps.length === 0 ? (
            <div className="mt-4">
              <EmptyState title="No program yet">
                <p>
                  A program walks you through honest questions about your community, one step at a
                  time.
                </p>
                <Link href="/app/programs" className={`${buttonClass("primary")} mt-4`}>
                  Start a program
                </Link>
              </EmptyState>
            </div>
          ) : (
            <ul className="mt-4 grid gap-4 md:grid-cols-2">
              {inProgress.map((n) =>
                n.next ? (
                  <li
                    key={n.programSlug}
                    className="flex flex-col gap-3 rounded-xl border border-line p-4"
                  >
                    <div>
                      <p className="text-sm text-muted break-words">
                        {n.programTitle}
                        {n.cohort && (
                          <>
                            {" · "}
                            <Link href={`/app/cohorts/${n.cohort.slug}`} className="underline">
                              {n.cohort.name}
                            </Link>
                          </>
                        )}
                      </p>
                      <p className="font-serif text-lg break-words">{n.next.title}</p>
                      <p className="text-sm text-muted break-words">{n.next.moduleTitle}</p>
                    </div>
                    <ProgressBar
                      done={n.stepsDone}
                      total={n.stepsTotal}
                      label={`Progress in ${n.programTitle}`}
                      layout="caption"
                    />
                    <Link
                      href={stepHref(n.programSlug, n.next.stepId)}
                      className={`${buttonClass("primary")} self-start`}
                    >
                      Continue<span className="sr-only"> {n.programTitle}</span>
                    </Link>
                  </li>
                ) : null,
              )}
              {waiting.map((n) => (
                <li key={n.programSlug} className="rounded-xl border border-dashed border-line p-4">
                  <p className="font-semibold break-words">{n.programTitle}</p>
                  <p className="text-sm text-muted">
                    You are up to date. {n.waiting?.title} opens on{" "}
                    {n.waiting && formatDate(n.waiting.at, user.timeZone, "long")}.
                  </p>
                </li>
              ))}
              {finished.map((n) => (
                <li key={n.programSlug} className="rounded-xl border border-dashed border-line p-4">
                  <p className="font-semibold break-words">{n.programTitle}</p>
                  <p className="text-sm text-muted">
                    Every step done. Revisits will bring you back to your answers.
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="due" className={cardClass}>
          <SectionTitle id="due" href="/app/commitments" linkLabel="All commitments">
            Commitments due
          </SectionTitle>
          {t.commitments.length === 0 ? (
            <p className="mt-3 text-sm text-muted">
              Nothing due today.{" "}
              <Link href="/app/commitments" className="font-semibold text-brand underline">
                Make a small commitment
              </Link>
            </p>
          ) : (
            <ul className="mt-3 space-y-3">
              {t.commitments.map((c) => (
                <li key={c.id} className="rounded-xl border border-line p-3">
                  <p className="font-semibold break-words whitespace-pre-line">{c.text}</p>
                  <p
                    className={
                      c.timing === "overdue"
                        ? "text-sm font-semibold text-danger"
                        : "text-sm text-muted"
                    }
                  >
                    {c.timing === "overdue" ? `Overdue since ${formatDay(c.dueDay)}` : "Due today"}
                  </p>
                  <div className="mt-2">
                    <CheckInForm id={c.id} text={c.text} today={t.today} compact />
                  </div>
                </li>
              ))}
            </ul>
          )}
          {t.more.commitments && <MoreLink href="/app/commitments">More are due</MoreLink>}
        </section>

        <section aria-labelledby="revisits" className={cardClass}>
          <SectionTitle id="revisits" href="/app/journal" linkLabel="Journal">
            Answer again
          </SectionTitle>
          {t.revisits.length === 0 ? (
            <p className="mt-3 text-sm text-muted">
              No revisits due. When a prompt asks to be answered again, it shows up here.
            </p>
          ) : (
            <ul className="mt-3 space-y-3">
              {t.revisits.map((r) => (
                <li key={r.exerciseId} className="rounded-xl border border-line p-3">
                  <p className="text-sm text-muted break-words">{r.programTitle}</p>
                  <p className="line-clamp-3 font-semibold break-words">{r.prompt}</p>
                  <p className="text-sm text-muted">
                    Last answered {relativeDay(r.lastPassDay, t.today)}
                  </p>
                  <Link
                    href={stepHref(r.programSlug, r.stepId)}
                    className={`${buttonClass("secondary")} mt-2`}
                  >
                    Answer again<span className="sr-only">: {r.prompt.slice(0, 80)}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {t.more.revisits && <MoreLink href="/app/journal">More prompts are due</MoreLink>}
        </section>

        <section aria-labelledby="reach-outs" className={cardClass}>
          <SectionTitle id="reach-outs" href="/app/community" linkLabel="Community map">
            Reach out
          </SectionTitle>
          {t.reachOuts.length === 0 ? (
            <p className="mt-3 text-sm text-muted">
              No reach-outs planned this week.{" "}
              <Link href="/app/community" className="font-semibold text-brand underline">
                Plan one on your map
              </Link>
            </p>
          ) : (
            <ul className="mt-3 space-y-3">
              {t.reachOuts.map((p) => (
                <li key={p.id} className="rounded-xl border border-line p-3">
                  <div className="flex flex-wrap items-center gap-2">
                    <Link
                      href={`/app/community/${p.id}`}
                      className="font-semibold text-ink underline-offset-4 hover:underline break-words"
                    >
                      {p.name}
                    </Link>
                    <StatusChip status={p.status} />
                  </div>
                  <p
                    className={
                      p.overdue ? "text-sm font-semibold text-accent" : "text-sm text-muted"
                    }
                  >
                    {p.circle} · planned {relativeDay(p.plannedDay, t.today)}
                  </p>
                  <div className="mt-2">
                    <ReachOutForm personId={p.id} name={p.name} today={t.today} />
                  </div>
                </li>
              ))}
            </ul>
          )}
          {t.more.reachOuts && (
            <MoreLink href="/app/community">More reach-outs are planned</MoreLink>
          )}
        </section>

        <section aria-labelledby="practices" className={cardClass}>
          <SectionTitle id="practices">Practices</SectionTitle>
          {practices.exercises.length === 0 ? (
            <p className="mt-3 text-sm text-muted">
              Practices from your programs appear here, to tick each time you do them.
            </p>
          ) : (
            <div className="mt-3">
              <PracticesSection exercises={practices.exercises} />
            </div>
          )}
        </section>
      </div>
    </>
  );
}
