import type { Metadata } from "next";
import { PublicHeader } from "@/components/shell/PublicHeader";
import Link from "@/components/ui/Link";
import { cardClass } from "@/components/ui/styles";
import { currentSession } from "@/server/trpc/server";

export const metadata: Metadata = {
  title: "Your account was deleted",
  robots: { index: false, follow: false },
};

/**
 * The goodbye, after the deletion (the browser is signed out by then). Public; rendered per
 * request like /privacy, since the header reads the deployment's settings and the session.
 */
export default async function AccountDeletedPage() {
  const session = await currentSession();
  return (
    <>
      <PublicHeader signedIn={Boolean(session)} />
      <main id="main" className="mx-auto max-w-md px-4 pb-16 pt-6">
        <div className={`${cardClass} space-y-4`}>
          <h1 className="font-serif text-3xl text-ink">Your account was deleted</h1>
          <p className="text-muted">
            Everything that was yours in Kindred is gone, your membership is cancelled, and no email
            will be sent to your address. Posts and comments you wrote in cohorts stay, signed “A
            former member”.
          </p>
          <p className="text-muted">Thank you for the time you spent reflecting with us.</p>
          <p className="text-sm text-muted">
            You can come back whenever you like: signing in with your address starts a new, empty
            account.{" "}
            <Link href="/privacy" className="font-semibold text-brand underline">
              What Kindred keeps, and for how long
            </Link>
          </p>
        </div>
      </main>
    </>
  );
}
