import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { ConfirmAccountDeletion } from "@/components/account/ConfirmAccountDeletion";
import { PublicHeader } from "@/components/shell/PublicHeader";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { cardClass } from "@/components/ui/styles";
import { requireUser } from "@/server/auth/guard";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = {
  title: "Delete your account",
  robots: { index: false, follow: false },
};

type Props = { searchParams: Promise<{ token?: string | string[] }> };

/** A malformed link is as dead as a used one. */
async function stateOf(token: string) {
  if (!token) return "dead" as const;
  try {
    return (await (await api()).account.deletionLink({ token })).state;
  } catch (error) {
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") return "dead" as const;
    throw error;
  }
}

/**
 * Where the emailed link lands. Signed out, the member signs in first and comes back here; the
 * page itself deletes nothing (a mail scanner may open it): the button does.
 */
export default async function DeleteAccountPage({ searchParams }: Props) {
  const { token: raw } = await searchParams;
  const token = typeof raw === "string" ? raw : "";
  const user = await requireUser(
    token ? `/account/delete?${new URLSearchParams({ token })}` : "/account/delete",
  );
  const state = await stateOf(token);
  return (
    <>
      <PublicHeader signedIn />
      <main id="main" className="mx-auto max-w-md px-4 pb-16 pt-6">
        <div className={`${cardClass} space-y-4`}>
          <h1 className="font-serif text-3xl text-ink">Delete your account</h1>
          {state === "live" ? (
            <>
              <p className="text-muted">
                This deletes the Kindred account of{" "}
                <strong className="break-all text-ink">{user.email}</strong> for good: your journal,
                drafts, community map, commitments, practice and shared answers go, your membership
                is cancelled, and you are signed out everywhere. Posts and comments in your cohorts
                stay, signed “A former member”.
              </p>
              <p className="text-sm text-muted">
                Want a copy first?{" "}
                <Link href="/settings" className="font-semibold text-brand underline">
                  Download your data in settings
                </Link>{" "}
                before you press the button.
              </p>
              <ConfirmAccountDeletion token={token} />
            </>
          ) : state === "other-account" ? (
            <Notice tone="danger" role="alert">
              This link is for another Kindred account. You are signed in as{" "}
              <strong className="break-all">{user.email}</strong>: sign out, then open the link
              again and sign in with the address it was sent to.
            </Notice>
          ) : (
            <Notice tone="danger" role="alert">
              This link has expired or was already used; your account is unchanged.{" "}
              <Link href="/settings" className="font-semibold underline">
                Ask for a new one in your settings
              </Link>
              .
            </Notice>
          )}
        </div>
      </main>
    </>
  );
}
