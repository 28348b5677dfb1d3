import type { Metadata } from "next";
import { PublicHeader } from "@/components/shell/PublicHeader";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { env } from "@/server/env";
import { NUDGE_CATEGORIES } from "@/server/nudges/categories";
import { readLinkToken, signLinkToken } from "@/server/nudges/tokens";

export const metadata: Metadata = {
  title: "Stop these emails",
  robots: { index: false, follow: false },
};

type Props = { searchParams: Promise<{ t?: string | string[]; done?: string }> };

/**
 * Where an email's "Stop …" link lands: one button, because link scanners open links and must
 * not unsubscribe anyone. Mail clients' one-click POST (RFC 8058) skips this page.
 */
export default async function UnsubscribePage({ searchParams }: Props) {
  const { t, done } = await searchParams;
  const token = typeof t === "string" ? t : "";
  const secret = env().authSecret;
  const { link: parsed, expired } = readLinkToken(secret, token);
  const link = parsed?.purpose === "unsubscribe" ? parsed : null;
  const label = link ? (NUDGE_CATEGORIES.find((c) => c.id === link.category)?.label ?? "") : "";
  const preferences = link
    ? `/email/preferences?t=${encodeURIComponent(signLinkToken(secret, { purpose: "preferences", userId: link.userId }))}`
    : null;
  return (
    <>
      <PublicHeader signedIn={false} />
      <main id="main" className="mx-auto max-w-xl px-4 pb-16">
        <h1 className="py-8 font-serif text-3xl text-ink">Stop these emails</h1>
        {expired ? (
          <Notice tone="danger" role="alert">
            This link has expired.{" "}
            <Link
              href="/signin?callbackUrl=/settings/notifications"
              className="font-semibold underline"
            >
              Sign in
            </Link>{" "}
            to choose which emails you get.
          </Notice>
        ) : !link ? (
          <Notice tone="danger" role="alert">
            This link is not valid. Open the one in your latest email from Kindred.
          </Notice>
        ) : done === "1" ? (
          <section className={`${cardClass} space-y-3`}>
            <p role="status" className="font-semibold text-ink">
              Done: no more {label.toLowerCase()}.
            </p>
            <p className="text-sm text-muted">
              You can turn them on again, or change anything else, on{" "}
              <Link href={preferences ?? "/"} className="font-semibold text-brand underline">
                your email preferences
              </Link>
              .
            </p>
          </section>
        ) : (
          <section className={`${cardClass} space-y-4`}>
            <p className="text-ink">Stop {label.toLowerCase()} from Kindred?</p>
            <form method="post" action={`/api/email/unsubscribe?t=${encodeURIComponent(token)}`}>
              <input type="hidden" name="from" value="page" />
              <button type="submit" className={buttonClass("primary")}>
                Stop {label.toLowerCase()}
              </button>
            </form>
            <p className="text-sm text-muted">
              Or choose on{" "}
              <Link href={preferences ?? "/"} className="font-semibold text-brand underline">
                your email preferences
              </Link>{" "}
              which emails you get and when.
            </p>
          </section>
        )}
      </main>
    </>
  );
}
