import type { Metadata } from "next";
import { PublicHeader } from "@/components/shell/PublicHeader";
import Link from "@/components/ui/Link";
import { buttonClass, cardClass } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Sign-in problem" };

const MESSAGES: Record<string, { title: string; body: string }> = {
  Verification: {
    title: "This sign-in link no longer works",
    body: "Each link works once and for 30 minutes. This one was already used or has expired. Request a new one and use the newest email.",
  },
  AccessDenied: {
    title: "This account cannot sign in",
    body: "The account has been deactivated. If you think this is a mistake, contact the people who run this Kindred.",
  },
};

const FALLBACK = {
  title: "We could not sign you in",
  body: "Something went wrong with the sign-in link. Please request a new one.",
};

type Props = { searchParams: Promise<{ error?: string }> };

export default async function SignInErrorPage({ searchParams }: Props) {
  const { error } = await searchParams;
  const message = (error && MESSAGES[error]) || FALLBACK;
  return (
    <>
      <PublicHeader signedIn={false} />
      <main id="main" className="mx-auto max-w-md px-4 pb-16 pt-6">
        <div className={cardClass} role="alert">
          <h1 className="font-serif text-3xl text-ink">{message.title}</h1>
          <p className="mt-3 text-muted">{message.body}</p>
          <p className="mt-6">
            <Link href="/signin" className={buttonClass("primary")}>
              Get a new sign-in link
            </Link>
          </p>
        </div>
      </main>
    </>
  );
}
