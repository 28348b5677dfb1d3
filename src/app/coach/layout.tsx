import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/AppShell";
import { COACH_NAV } from "@/components/shell/navs";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";

export default async function CoachLayout({ children }: { children: ReactNode }) {
  const user = await requireRole(COACH_ROLES, "/coach");
  return (
    <AppShell user={user} nav={COACH_NAV}>
      {children}
    </AppShell>
  );
}
