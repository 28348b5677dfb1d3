import Link from "@/components/ui/Link";
import { env } from "@/server/env";
import { buttonClass } from "../ui/styles";
import { Brand } from "./Brand";
import { DemoBanner } from "./DemoBanner";

/** `demo` defaults to this deployment's; prerendered pages pass the flavour they are built for. */
export function PublicHeader({
  signedIn,
  demo = env().demo,
}: {
  signedIn: boolean;
  demo?: boolean;
}) {
  return (
    <header>
      {demo && <DemoBanner />}
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-4">
        <Brand />
        <nav aria-label="Site" className="flex flex-wrap items-center justify-end gap-1 sm:gap-2">
          <Link href="/pricing" className={buttonClass("ghost")}>
            Pricing
          </Link>
          {demo && (
            <Link href="/mailbox" className={buttonClass("ghost")}>
              Mailbox
            </Link>
          )}
          {signedIn ? (
            <Link href="/dashboard" className={buttonClass("primary")}>
              Open Kindred
            </Link>
          ) : (
            <Link href="/signin" className={buttonClass("primary")}>
              Sign in
            </Link>
          )}
        </nav>
      </div>
    </header>
  );
}
