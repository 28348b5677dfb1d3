import type { Metadata } from "next";
import { PublicHeader } from "@/components/shell/PublicHeader";
import Link from "@/components/ui/Link";
import { buttonClass, cardClass } from "@/components/ui/styles";
import { env } from "@/server/env";

export const metadata: Metadata = { title: "Check your email" };

type Props = { searchParams: Promise<{ email?: string }> };

export default async function CheckEmailPage({ searchParams }: Props) {
  const { email } = await searchParams;
  return (
    <>
      <PublicHeader signedIn={false} />
      <main id="main" className="mx-auto max-w-md px-4 pb-16 pt-6">
        <div className={cardClass}>
          <h1 className="font-serif text-3xl text-ink">Check your email</h1>
          <p className="mt-3 text-muted">
            We sent a sign-in link to{" "}
            <strong className="text-ink">{email ?? "your address"}</strong>. It works once and
            expires in 30 minutes. You can close this tab.
          </p>
          {env().demo && (
            <p className="mt-4">
              <Link
                href={`/mailbox${email ? `?to=${encodeURIComponent(email)}` : ""}`}
                className={buttonClass("primary")}
              >
                Open the demo mailbox
              </Link>
            </p>
          )}
          <p className="mt-6 text-sm text-muted">
            Nothing arrived? Check spam, or{" "}
            <Link href="/signin" className="font-semibold text-brand underline">
              request a new link
            </Link>
            .
          </p>
        </div>
      </main>
    </>
  );
}
