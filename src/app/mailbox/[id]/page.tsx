import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PublicHeader } from "@/components/shell/PublicHeader";
import Link from "@/components/ui/Link";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { linksIn } from "@/lib/email-links";
import { env } from "@/server/env";
import { api, currentSession } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Email" };

type Props = { params: Promise<{ id: string }> };

export default async function MailboxMessagePage({ params }: Props) {
  const session = await currentSession();
  if (!env().demo && session?.user.role !== "ADMIN") notFound();
  const { id } = await params;
  const message = await (await api()).mailbox.get({ id }).catch(() => null);
  if (!message) notFound();
  const links = linksIn(message.html);
  return (
    <>
      <PublicHeader signedIn={Boolean(session)} />
      <main id="main" className="mx-auto max-w-4xl px-4 pb-16 pt-4">
        <p className="mb-4">
          <Link href="/mailbox" className={buttonClass("ghost")}>
            ← Mailbox
          </Link>
        </p>
        <article className={cardClass}>
          <h1 className="font-serif text-2xl text-ink">{message.subject}</h1>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-muted">From</dt>
            <dd>{message.fromAddress}</dd>
            <dt className="text-muted">To</dt>
            <dd>{message.toAddresses.join(", ")}</dd>
            <dt className="text-muted">Received</dt>
            <dd>{message.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC</dd>
          </dl>
          {links.length > 0 && (
            <section aria-labelledby="links" className="mt-5">
              <h2 id="links" className="text-sm font-semibold">
                Links in this email
              </h2>
              <ul className="mt-2 space-y-2">
                {links.map((href) => (
                  <li key={href}>
                    <a href={href} className={`${buttonClass("primary")} max-w-full`}>
                      <span className="truncate">{new URL(href).pathname}</span>
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {message.html && (
            <section aria-labelledby="html" className="mt-6">
              <h2 id="html" className="text-sm font-semibold">
                As the recipient sees it
              </h2>
              <iframe
                title={`Email: ${message.subject}`}
                srcDoc={message.html}
                sandbox=""
                className="mt-2 h-[28rem] w-full rounded-xl border border-line bg-white"
              />
            </section>
          )}
          {message.text && (
            <section aria-labelledby="text" className="mt-6">
              <h2 id="text" className="text-sm font-semibold">
                Plain-text part
              </h2>
              <pre className="mt-2 whitespace-pre-wrap rounded-xl bg-paper p-4 text-sm [overflow-wrap:anywhere]">
                {message.text}
              </pre>
            </section>
          )}
        </article>
      </main>
    </>
  );
}
