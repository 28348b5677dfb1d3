import type { Metadata } from "next";
import { CheckInForm } from "@/components/commitments/CheckInForm";
import { PracticesSection } from "@/components/commitments/PracticeTicker";
import { ReachOutForm } from "@/components/community/ReachOutForm";
import { StatusChip } from "@/components/community/StatusChip";
import { StreakBadge } from "@/components/dashboard/StreakBadge";
import Link from "@/components/ui/Link";
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

/**
 * Today, in the order that matters now: the next step (one clear action), then what is due
 * (prompts to answer again, commitments), then practices once the member has reached them, then
 * planned reach-outs. Sections appear as the member's journey fills them; a brand-new member sees
 * a welcome and one action.
 */
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
  const [first, ...others] = inProgress;
  const waiting = t.nextSteps.filter((n) => !n.next && n.waiting);
  const finished = t.nextSteps.filter((n) => !n.next && !n.waiting && n.stepsTotal > 0);
  const reachedPractices = practices.exercises.filter((e) => e.reached);
  const isNew = t.nextSteps.length === 0;
  const started = t.nextSteps.some((n) => n.stepsDone > 0);
  const quiet = [
    t.commitments.length === 0 && { href: "/app/commitments", label: "Make a small commitment" },
    t.reachOuts.length === 0 && { href: "/app/community", label: "Plan a reach-out on your map" },
    { href: "/app/journal", label: "Read back through your journal" },
  ].filter((q): q is { href: string; label: string } => Boolean(q));

  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title={`${greeting(user.timeZone)}, ${user.name?.split(" ")[0] ?? "there"}`}
        lead={`${dateLine} · days follow your time zone, ${user.timeZone}`}
        actions={isNew && t.streak.days === 0 ? undefined : <StreakBadge {...t.streak} />}
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
      <div className="space-y-6" data-testid="today-sections">
        {isNew ? (
          <section
            aria-labelledby="welcome"
            data-section="welcome"
            className="rounded-2xl border border-brand/30 bg-brand-soft p-6 sm:p-8"
          >
            <h2 id="welcome" className="font-serif text-2xl text-brand-dark">
              Welcome — let’s begin
            </h2>
            <p className="mt-2 max-w-prose">
              Kindred walks you through honest questions about the people in your life, one short
              step at a time. Your answers are private. Pick a program to start; this page then
              shows your next step each day.
            </p>
            <Link href="/app/programs" className={`${buttonClass("primary")} mt-5`}>
              Choose your first program
            </Link>
          </section>
        ) : (
          <section aria-labelledby="next-step" data-section="next-step" className={cardClass}>
            <SectionTitle id="next-step" href="/app/programs" linkLabel="All programs">
              Your next step
            </SectionTitle>
            {first?.next && (
              <div className="mt-4 flex flex-col gap-4 rounded-xl bg-brand-soft p-5 sm:flex-row sm:items-end sm:justify-between">
                <div className="min-w-0 flex-1 space-y-3">
                  <div>
                    <p className="text-sm text-muted break-words">
                      {first.programTitle}
                      {first.cohort && (
                        <>
                          {" · "}
                          <Link href={`/app/cohorts/${first.cohort.slug}`} className="underline">
                            {first.cohort.name}
                          </Link>
                        </>
                      )}
                    </p>
                    <p className="font-serif text-2xl break-words">{first.next.title}</p>
                    <p className="text-sm text-muted break-words">{first.next.moduleTitle}</p>
                  </div>
                  <ProgressBar
                    done={first.stepsDone}
                    total={first.stepsTotal}
                    label={`Progress in ${first.programTitle}`}
                    layout="caption"
                  />
                </div>
                <Link
                  href={stepHref(first.programSlug, first.next.stepId)}
                  className={`${buttonClass("primary")} self-start sm:self-auto`}
                >
                  {first.stepsDone === 0 ? "Begin" : "Continue"}
                  <span className="sr-only"> {first.programTitle}</span>
                </Link>
              </div>
            )}
            {(others.length > 0 || waiting.length > 0 || finished.length > 0) && (
              <ul className="mt-4 divide-y divide-line" aria-label="Your other programs">
                {others.map((n) =>
                  n.next ? (
                    <li
                      key={n.programSlug}
                      className="flex flex-wrap items-center justify-between gap-3 py-3"
                    >
                      <div className="min-w-0 flex-1 basis-64">
                        <p className="font-semibold break-words">{n.programTitle}</p>
                        <p className="text-sm text-muted break-words">
                          Next: {n.next.title} · {n.stepsDone} of {n.stepsTotal} steps done
                        </p>
                      </div>
                      <Link
                        href={stepHref(n.programSlug, n.next.stepId)}
                        className={buttonClass("secondary")}
                      >
                        Continue<span className="sr-only"> {n.programTitle}</span>
                      </Link>
                    </li>
                  ) : null,
                )}
                {waiting.map((n) => (
                  <li key={n.programSlug} className="py-3">
                    <p className="font-semibold break-words">{n.programTitle}</p>
                    <p className="text-sm text-muted">
                      You are up to date. {n.waiting?.title} opens on{" "}
                      {n.waiting && formatDate(n.waiting.at, user.timeZone, "long")}.
                    </p>
                  </li>
                ))}
                {finished.map((n) => (
                  <li
                    key={n.programSlug}
                    className="flex flex-wrap items-center justify-between gap-3 py-3"
                  >
                    <div className="min-w-0">
                      <p className="font-semibold break-words">{n.programTitle}</p>
                      <p className="text-sm text-muted">Completed: every step done.</p>
                    </div>
                    <Link
                      href={`/app/programs/${encodeURIComponent(n.programSlug)}/finished`}
                      className="text-sm font-semibold text-brand underline"
                    >
                      See what you did<span className="sr-only"> in {n.programTitle}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
            {!first && (
              <p className="mt-3 text-sm">
                <Link href="/app/programs" className="font-semibold text-brand underline">
                  Find another program
                </Link>
              </p>
            )}
          </section>
        )}

        {t.revisits.length > 0 && (
          <section aria-labelledby="revisits" data-section="revisits" className={cardClass}>
            <SectionTitle id="revisits" href="/app/journal" linkLabel="Journal">
              Answer again
            </SectionTitle>
            <p className="mt-1 text-sm text-muted">
              Prompts you answered a while ago, due again: see what changed.
            </p>
            <ul className="mt-3 space-y-3">
              {t.revisits.map((r) => (
                <li
                  key={r.exerciseId}
                  className="flex flex-wrap items-center justify-between gap-3 rounded-xl border border-line p-3"
                >
                  <div className="min-w-0 flex-1 basis-64">
                    <p className="text-sm text-muted break-words">{r.programTitle}</p>
                    <p className="line-clamp-3 font-semibold break-words">{r.prompt}</p>
                    <p className="text-sm text-muted">
                      Last answered {relativeDay(r.lastPassDay, t.today)}
                    </p>
                  </div>
                  <Link
                    href={stepHref(r.programSlug, r.stepId)}
                    className={buttonClass("secondary")}
                  >
                    Answer again<span className="sr-only">: {r.prompt.slice(0, 80)}</span>
                  </Link>
                </li>
              ))}
            </ul>
            {t.more.revisits && <MoreLink href="/app/journal">More prompts are due</MoreLink>}
          </section>
        )}

        {t.commitments.length > 0 && (
          <section aria-labelledby="due" data-section="commitments" className={cardClass}>
            <SectionTitle id="due" href="/app/commitments" linkLabel="All commitments">
              Commitments due
            </SectionTitle>
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
            {t.more.commitments && <MoreLink href="/app/commitments">More are due</MoreLink>}
          </section>
        )}

        {reachedPractices.length > 0 && (
          <section aria-labelledby="practices" data-section="practices" className={cardClass}>
            <SectionTitle id="practices">Practices</SectionTitle>
            <p className="mt-1 text-sm text-muted">Tick one each time you do it.</p>
            <div className="mt-3">
              <PracticesSection exercises={reachedPractices} />
            </div>
          </section>
        )}

        {t.reachOuts.length > 0 && (
          <section aria-labelledby="reach-outs" data-section="reach-outs" className={cardClass}>
            <SectionTitle id="reach-outs" href="/app/community" linkLabel="Community map">
              Reach out
            </SectionTitle>
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
            {t.more.reachOuts && (
              <MoreLink href="/app/community">More reach-outs are planned</MoreLink>
            )}
          </section>
        )}

        {!isNew && started && (
          <nav aria-labelledby="when-ready" data-section="when-ready" className="px-1">
            <h2 id="when-ready" className="text-sm font-semibold text-muted">
              When you are ready
            </h2>
            <ul className="mt-2 flex flex-wrap gap-x-6 gap-y-2">
              {quiet.map((q) => (
                <li key={q.href}>
                  <Link href={q.href} className="text-sm font-semibold text-brand underline">
                    {q.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </div>
    </div>
  );
}
