import { SignInForm } from "@/components/auth/SignInForm";
import { PublicHeader } from "@/components/shell/PublicHeader";
import { Notice } from "@/components/ui/Notice";
import { cardClass } from "@/components/ui/styles";
import { DEMO_ACCOUNTS } from "@/server/demo";

/** The sign-in page; without a return path or notice it is prerendered (see /prerendered). */
export function SignInView(props: { callbackUrl?: string; signedOut: boolean; demo: boolean }) {
  return (
    <>
      <PublicHeader signedIn={false} demo={props.demo} />
      <main id="main" className="mx-auto max-w-md px-4 pb-16 pt-6">
        <div className={cardClass}>
          <h1 className="font-serif text-3xl text-ink">Sign in to Kindred</h1>
          <p className="mt-1 mb-6 text-muted">Welcome back — or welcome.</p>
          {props.signedOut && (
            <div className="mb-4">
              <Notice tone="success" role="status">
                You are signed out. Your session has ended on this device.
              </Notice>
            </div>
          )}
          <SignInForm
            callbackUrl={props.callbackUrl}
            demoAccounts={props.demo ? DEMO_ACCOUNTS : []}
          />
        </div>
      </main>
    </>
  );
}
