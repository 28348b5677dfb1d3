import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/SignInForm";
import { PublicHeader } from "@/components/shell/PublicHeader";
import { Notice } from "@/components/ui/Notice";
import { cardClass } from "@/components/ui/styles";
import { safeReturnPath } from "@/lib/return-path";
import { DEMO_ACCOUNTS } from "@/server/demo";
import { env } from "@/server/env";
import { currentSession } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string; signedOut?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  // Only a path of this site: anything else (`/\evil.example`…) is dropped, never followed.
  const callbackUrl = safeReturnPath(params.callbackUrl, env().appUrl) ?? undefined;
  if (await currentSession()) redirect(callbackUrl ?? "/dashboard");
  return (
    <>
      <PublicHeader signedIn={false} />
      <main id="main" className="mx-auto max-w-md px-4 pb-16 pt-6">
        <div className={cardClass}>
          <h1 className="font-serif text-3xl text-ink">Sign in to Kindred</h1>
          <p className="mt-1 mb-6 text-muted">Welcome back — or welcome.</p>
          {params.signedOut && (
            <div className="mb-4">
              <Notice tone="success" role="status">
                You are signed out. Your session has ended on this device.
              </Notice>
            </div>
          )}
          <SignInForm callbackUrl={callbackUrl} demoAccounts={env().demo ? DEMO_ACCOUNTS : []} />
        </div>
      </main>
    </>
  );
}
