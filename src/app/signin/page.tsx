import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInView } from "@/components/public/SignInView";
import { safeReturnPath } from "@/lib/return-path";
import { env } from "@/server/env";
import { currentSession } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ callbackUrl?: string; signedOut?: string }> };

/**
 * Sign-in with a return path, a notice or a session cookie. The plain `/signin` of an anonymous
 * visitor is the prerendered copy (src/server/http/prerendered.ts).
 */
export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  // Only a path of this site: anything else (`/\evil.example`…) is dropped, never followed.
  const callbackUrl = safeReturnPath(params.callbackUrl, env().appUrl) ?? undefined;
  if (await currentSession()) redirect(callbackUrl ?? "/dashboard");
  return (
    <SignInView callbackUrl={callbackUrl} signedOut={Boolean(params.signedOut)} demo={env().demo} />
  );
}
