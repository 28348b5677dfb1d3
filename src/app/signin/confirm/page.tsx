import type { Metadata } from "next";
import Link from "next/link";
import { PublicHeader } from "@/components/shell/PublicHeader";
import { buttonClass, cardClass } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ token?: string; email?: string; callbackUrl?: string }> };

/**
 * Where the emailed link lands. Spending the single-use token takes a click (a GET form to
 * next-auth's callback), so a mail scanner that opens links does not sign anyone in, nor use
 * up the link before its owner does.
 */
export default async function ConfirmSignInPage({ searchParams }: Props) {
  const { token, email, callbackUrl } = await searchParams;
  const complete = Boolean(token && email);
  return (
    <>
      <PublicHeader signedIn={false} />
      <main id="main" className="mx-auto max-w-md px-4 pb-16 pt-6">
        <div className={cardClass}>
          {complete ? (
            <>
              <h1 className="font-serif text-3xl text-ink">Sign in to Kindred</h1>
              <p className="mt-3 text-muted">
                You are signing in as <strong className="break-all text-ink">{email}</strong>.
              </p>
              <form action="/api/auth/callback/email" method="get" className="mt-6">
                <input type="hidden" name="token" value={token} />
                <input type="hidden" name="email" value={email} />
                {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
                <button type="submit" className={`${buttonClass("primary")} w-full`}>
                  Sign in
                </button>
              </form>
              <p className="mt-4 text-sm text-muted">
                The link works once, for 30 minutes. Not you? Close this page; nothing happens.
              </p>
            </>
          ) : (
            <div role="alert">
              <h1 className="font-serif text-3xl text-ink">This sign-in link is incomplete</h1>
              <p className="mt-3 text-muted">
                Part of the link is missing — perhaps it was cut when copied. Request a new one.
              </p>
              <p className="mt-6">
                <Link href="/signin" className={buttonClass("primary")}>
                  Get a new sign-in link
                </Link>
              </p>
            </div>
          )}
        </div>
      </main>
    </>
  );
}
