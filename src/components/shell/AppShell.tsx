import Link from "next/link";
import type { ReactNode } from "react";
import { signOutAction } from "@/app/actions";
import type { SessionUser } from "@/server/auth/session";
import { env } from "@/server/env";
import { buttonClass } from "../ui/styles";
import { Brand } from "./Brand";
import { DemoBanner } from "./DemoBanner";
import { NavLinks } from "./NavLinks";

export type NavItem = { href: string; label: string };

const AREAS: { href: string; label: string; roles: SessionUser["role"][] }[] = [
  { href: "/app", label: "My space", roles: ["MEMBER", "COACH", "ADMIN"] },
  { href: "/coach", label: "Coach", roles: ["COACH", "ADMIN"] },
  { href: "/admin", label: "Admin", roles: ["ADMIN"] },
];

/** The signed-in frame: brand, the area's navigation, switches between areas, sign-out. */
export function AppShell(props: { user: SessionUser; nav: NavItem[]; children: ReactNode }) {
  const areas = AREAS.filter((a) => a.roles.includes(props.user.role));
  return (
    <div className="flex min-h-screen flex-col">
      <header className="border-b border-line bg-card">
        {env().demo && <DemoBanner />}
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Brand href="/dashboard" />
          <div className="flex flex-wrap items-center gap-2">
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
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-8">
        {props.children}
      </main>
    </div>
  );
}
