import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/AppShell";
import { ADMIN_NAV, COACH_NAV, MEMBER_NAV } from "@/components/shell/navs";
import { requireUser } from "@/server/auth/guard";

/**
 * Search, for every role, in the caller's own area's frame (outside `/app`, whose layout is the
 * member's). The results come in the first HTML, so the page works without JavaScript; the
 * loading state is the forms' own pending state (`SearchForm`, `HeaderSearch`).
 */
export default async function SearchLayout({ children }: { children: ReactNode }) {
  const user = await requireUser("/search");
  const nav = user.role === "ADMIN" ? ADMIN_NAV : user.role === "COACH" ? COACH_NAV : MEMBER_NAV;
  return (
    <AppShell user={user} nav={nav}>
      {children}
    </AppShell>
  );
}
