import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/AppShell";
import { ADMIN_NAV, COACH_NAV, MEMBER_NAV } from "@/components/shell/navs";
import { requireUser } from "@/server/auth/guard";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const user = await requireUser("/settings");
  const nav = user.role === "ADMIN" ? ADMIN_NAV : user.role === "COACH" ? COACH_NAV : MEMBER_NAV;
  return (
    <AppShell user={user} nav={nav}>
      {children}
    </AppShell>
  );
}
