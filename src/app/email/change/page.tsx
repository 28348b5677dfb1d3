import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { ConfirmEmailChange } from "@/components/settings/ConfirmEmailChange";
import { PublicHeader } from "@/components/shell/PublicHeader";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { cardClass } from "@/components/ui/styles";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = {
  title: "Confirm your new email address",
  robots: { index: false, follow: false },
};

type Props = { searchParams: Promise<{ token?: string | string[] }> };

/** A malformed link is as dead as a used one. */
async function stateOf(token: string) {
  try {
    return await (await api()).auth.emailChangeState({ token });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "BAD_REQUEST")
      return { state: "dead" as const };
    throw error;
  }
}

/**
 * Where the link sent to a new address lands. It may be opened where the member is not signed
 * in (the new address's phone): the link itself is the proof, and the button makes the change.
 */
export default async function ConfirmEmailChangePage({ searchParams }: Props) {
  const { token: raw } = await searchParams;
  const token = typeof raw === "string" ? raw : "";
  const link = token ? await stateOf(token) : { state: "dead" as const };
  return (
    <>
      <PublicHeader signedIn={false} />
      <main id="main" className="mx-auto max-w-md px-4 pb-16 pt-6">
        <div className={`${cardClass} space-y-4`}>
          <h1 className="font-serif text-3xl text-ink">Confirm your new email address</h1>
          {link.state === "live" ? (
            <>
              <p className="text-muted">
                Your Kindred account will sign in with{" "}
                <strong className="break-all text-ink">{link.newEmail}</strong>. Sign-in links,
                reminders and receipts go there from now on, and your old address is told.
              </p>
              <ConfirmEmailChange token={token} newEmail={link.newEmail} />
              <p className="text-sm text-muted">
                Did not ask for this? Close this page; nothing changes.
              </p>
            </>
          ) : (
            <Notice tone="danger" role="alert">
              This link has expired or was already used.{" "}
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
