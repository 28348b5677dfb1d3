import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { PublicHeader } from "@/components/shell/PublicHeader";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { env } from "@/server/env";
import { requestOrigin, returnPathOnAny } from "@/server/http/origins";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ token?: string; email?: string; callbackUrl?: string }> };

/**
 * Where the emailed link lands. Spending the single-use token takes a click, so a mail scanner
 * that opens links does not sign anyone in, nor use up the link before its owner does.
 * In the browser that asked for the link the click goes straight to next-auth's callback. In any
 * other browser the page names the account and asks first: someone may have sent their own
 * link to sign the reader into an account they control (login CSRF).
 */
/** A malformed link (an input the procedure refuses) is as dead as a used one. */
async function stateOf(token: string, email: string) {
  try {
    return await (await api()).auth.linkState({ token, email });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") return "invalid";
    throw error;
  }
}

export default async function ConfirmSignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const email = typeof params.email === "string" ? params.email : "";
  // Back to the origin the person is using (an allowed one), whichever the link was issued on.
  const origin = requestOrigin(await headers(), env());
  const path = returnPathOnAny(params.callbackUrl, [origin, ...env().origins]);
  const callbackUrl = path ? `${origin}${path}` : undefined;

  const state = token && email ? await stateOf(token, email) : null;
  if (state === "invalid") redirect("/signin/error?error=Verification");

  const hidden = (
    <>
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="email" value={email} />
      {callbackUrl && <input type="hidden" name="callbackUrl" value={callbackUrl} />}
    </>
  );
  return (
    <>
      <PublicHeader signedIn={false} />
      <main id="main" className="mx-auto max-w-md px-4 pb-16 pt-6">
        <div className={cardClass}>
          {state === "this-browser" ? (
            <>
              <h1 className="font-serif text-3xl text-ink">Sign in to Kindred</h1>
              <p className="mt-3 text-muted">
                You are signing in as <strong className="break-all text-ink">{email}</strong>.
              </p>
              <form action="/api/auth/callback/email" method="get" className="mt-6">
                {hidden}
                <button type="submit" className={`${buttonClass("primary")} w-full`}>
                  Sign in
                </button>
              </form>
              <p className="mt-4 text-sm text-muted">
                The link works once, for 30 minutes. Not you? Close this page; nothing happens.
              </p>
            </>
          ) : state === "other-browser" ? (
            <>
              <h1 className="font-serif text-3xl text-ink">Check before you sign in</h1>
              <div className="mt-4">
                <Notice tone="warn" role="alert">
                  This link was requested from another browser or device.
                </Notice>
              </div>
              <p className="mt-4 text-ink">
                It signs this browser in to the Kindred account of{" "}
                <strong className="break-all">{email}</strong>.
              </p>
              <p className="mt-3 text-muted">
                If you asked for it somewhere else, you can continue here. If someone sent you this
                link, or you did not ask for one, do not continue: you would be signed in to their
                account, and anything you write would be theirs to read.
              </p>
              <form action="/api/sign-in/confirm" method="post" className="mt-6">
                {hidden}
                <button type="submit" className={`${buttonClass("primary")} w-full`}>
                  <span className="break-all">Yes, sign in as {email} here</span>
                </button>
              </form>
              <p className="mt-4">
                <Link href="/signin" className={`${buttonClass("secondary")} w-full`}>
                  No, get a sign-in link of my own
                </Link>
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
