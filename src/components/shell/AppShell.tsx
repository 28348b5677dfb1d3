import type { ReactNode } from "react";
import { signOutAction } from "@/app/actions";
import Link from "@/components/ui/Link";
import type { SessionUser } from "@/server/auth/session";
import { env } from "@/server/env";
import { buttonClass } from "../ui/styles";
import { Brand } from "./Brand";
import { DemoBanner } from "./DemoBanner";
import { HeaderSearch } from "./HeaderSearch";
import { MobileNav } from "./MobileNav";
import type { NavIconName } from "./NavIcon";
import { NavigationProgress } from "./NavigationProgress";
import { NavLinks } from "./NavLinks";

/** `bar` and `icon`: the phone's bottom bar (see navs.ts). */
export type NavItem = { href: string; label: string; bar?: boolean; icon?: NavIconName };

const AREAS: { href: string; label: string; roles: SessionUser["role"][] }[] = [
  { href: "/app", label: "My space", roles: ["MEMBER", "COACH", "ADMIN"] },
  { href: "/coach", label: "Coach", roles: ["COACH", "ADMIN"] },
  { href: "/admin", label: "Admin", roles: ["ADMIN"] },
];

/**
 * The signed-in frame: brand, the area's navigation, switches between areas, sign-out. From the
 * `lg` breakpoint the sections are a tab row in the header; below it they are MobileNav's bottom
 * bar, whose More sheet also holds the area switches and the account (hidden from the header).
 */
export function AppShell(props: { user: SessionUser; nav: NavItem[]; children: ReactNode }) {
  const areas = AREAS.filter((a) => a.roles.includes(props.user.role));
  const sheetExtra = (
    <>
      {areas.length > 1 && (
        <>
          <h3 className="mt-2 mb-1 text-sm font-semibold text-muted">Areas</h3>
          <ul className="mb-4 divide-y divide-line border-y border-line">
            {areas.map((a) => (
              <li key={a.href}>
                <Link href={a.href} className="flex min-h-12 items-center px-1 text-base text-ink">
                  {a.label}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="flex flex-wrap items-center justify-between gap-3 pt-1">
        <span className="min-w-0 truncate text-sm text-muted">
          Signed in as {props.user.name ?? props.user.email}
        </span>
        <form action={signOutAction}>
          <button type="submit" className={buttonClass("secondary")}>
            Sign out
          </button>
        </form>
      </div>
    </>
  );
  return (
    <div className="flex min-h-screen flex-col">
      <NavigationProgress />
      <header className="border-b border-line bg-card">
        {env().demo && <DemoBanner />}
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Brand href="/dashboard" />
          <HeaderSearch />
          <div className="hidden flex-wrap items-center gap-2 lg:flex">
            {areas.length > 1 && (
              <nav aria-label="Areas" className="flex gap-1">
                {areas.map((a) => (
                  <Link
                    key={a.href}
                    href={a.href}
                    className="rounded-lg px-3 py-2 text-sm font-medium text-muted hover:bg-brand-soft hover:text-ink"
                  >
                    {a.label}
                  </Link>
                ))}
              </nav>
            )}
            <span className="hidden text-sm text-muted sm:inline" title={props.user.email}>
              {props.user.name ?? props.user.email}
            </span>
            <form action={signOutAction}>
              <button type="submit" className={buttonClass("secondary")}>
                Sign out
              </button>
            </form>
          </div>
        </div>
        <NavLinks items={props.nav} />
      </header>
      {/* pb-28 below lg: the bottom bar (3.5 rem and its border) never covers the last line. */}
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 pt-8 pb-28 lg:pb-8">
        {props.children}
      </main>
      <MobileNav items={props.nav} extra={sheetExtra} />
    </div>
  );
}
