import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PublicHeader } from "@/components/shell/PublicHeader";
import { AutoRefresh } from "@/components/ui/AutoRefresh";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { linksIn } from "@/lib/email-links";
import { env } from "@/server/env";
import { notFoundOnBadInput } from "@/server/trpc/not-found";
import { api, currentSession } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Mailbox" };

type Props = { searchParams: Promise<{ to?: string; message?: string }> };

type Api = Awaited<ReturnType<typeof api>>;

/**
 * The email a visitor is waiting for: the one their "Sign in as" queued (by its id), else the
 * newest to the address they filtered by.
 */
async function awaited(
  caller: Api,
  to: string | undefined,
  emailId: string | undefined,
  listed: { id: string }[],
) {
  if (emailId) {
    const delivery = await caller.mailbox.delivery({ emailId }).catch(notFoundOnBadInput);
    if (delivery.state !== "sent") return { own: true, state: delivery.state } as const;
    const message = await caller.mailbox.get({ id: delivery.messageId });
    return { own: true, state: "sent", message } as const;
  }
  // The list the page shows, not a second read: an email landing between two reads showed as
  // the newest above an empty list, and the page, seeing it "sent", stopped refreshing.
  if (!to || !listed[0]) return null;
  const message = await caller.mailbox.get({ id: listed[0].id });
  return { own: false, state: "sent", message } as const;
}

export default async function MailboxPage({ searchParams }: Props) {
  const session = await currentSession();
  if (!env().demo && session?.user.role !== "ADMIN") notFound();
  const { to, message: emailId } = await searchParams;
  const caller = await api();
  const messages = await caller.mailbox.list({ to }).catch(notFoundOnBadInput);
  const wanted = await awaited(caller, to, emailId, messages);
  const newest = wanted?.state === "sent" ? wanted.message : undefined;
  const newestLink = newest ? linksIn(newest.html)[0] : undefined;
  return (
    <>
      <PublicHeader signedIn={Boolean(session)} />
      <main id="main" className="mx-auto max-w-4xl px-4 pb-16 pt-4">
        <PageHeader
          title="Mailbox"
          lead={
            env().demo
              ? "Every email this demo deployment sends lands here instead of a real inbox."
              : "Emails the built-in emulator received. Real deployments send through Resend."
          }
        />
        <form className="mb-6 flex flex-wrap items-end gap-2" action="/mailbox">
          <div className="min-w-60 flex-1">
            <label htmlFor="to" className="block text-sm font-semibold">
              Show emails to
            </label>
            <input
              id="to"
              name="to"
              type="email"
              defaultValue={to}
              placeholder="any address"
              className="mt-1 block min-h-11 w-full rounded-lg border border-line bg-white px-3"
            />
          </div>
          <button type="submit" className={buttonClass("secondary")}>
            Filter
          </button>
          {to && (
            <Link href="/mailbox" className={buttonClass("ghost")}>
              Show all
            </Link>
          )}
        </form>

        {(to || emailId) && wanted?.state !== "sent" && <AutoRefresh />}

        {wanted && wanted.state !== "sent" && (
          <div className="mb-6">
            {wanted.state === "waiting" ? (
              <Notice tone="info">
                Your email is on its way; this page refreshes by itself until it arrives.
              </Notice>
            ) : (
              <Notice tone="danger" role="alert">
                {wanted.state === "failed"
                  ? "That email could not be sent. Go back to sign-in and ask for a new link."
                  : "There is no such email. Go back to sign-in and ask for a new link."}
              </Notice>
            )}
          </div>
        )}

        {newest && newestLink && (
          <section aria-labelledby="newest" className={`${cardClass} mb-6 border-brand/40`}>
            <h2 id="newest" className="text-sm font-semibold uppercase tracking-wide text-accent">
              {wanted?.own ? `Your email${to ? ` to ${to}` : ""}` : `Newest email to ${to}`}
            </h2>
            <p className="mt-1 font-serif text-xl">{newest.subject}</p>
            <p className="mt-3 flex flex-wrap gap-2">
              <a href={newestLink} className={buttonClass("primary")}>
                Open the link in this email
              </a>
              <Link href={`/mailbox/${newest.id}`} className={buttonClass("secondary")}>
                Read the email
              </Link>
            </p>
          </section>
        )}

        {messages.length === 0 ? (
          <EmptyState title={to ? `Waiting for email to ${to}…` : "No emails yet"}>
            {to
              ? "It usually arrives within a few seconds; this page refreshes by itself."
              : "Sign-in links, welcomes and nudges will appear here."}
          </EmptyState>
        ) : (
          <ul
            aria-label="Emails"
            className="divide-y divide-line overflow-hidden rounded-2xl border border-line bg-card"
          >
            {messages.map((m) => (
              <li key={m.id}>
                <Link
                  href={`/mailbox/${m.id}`}
                  className="flex flex-col gap-1 px-4 py-3 hover:bg-brand-soft sm:flex-row sm:items-center sm:justify-between"
                >
                  <span>
                    <span className="block font-semibold text-ink">{m.subject}</span>
                    <span className="block text-sm text-muted">to {m.toAddresses.join(", ")}</span>
                  </span>
                  <time dateTime={m.createdAt.toISOString()} className="text-sm text-muted">
                    {m.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC
                  </time>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
