import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/AppShell";
import { ADMIN_NAV } from "@/components/shell/navs";
import { ADMIN_ROLES, requireRole } from "@/server/auth/guard";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireRole(ADMIN_ROLES, "/admin");
  return (
    <AppShell user={user} nav={ADMIN_NAV}>
      {children}
    </AppShell>
  );
}
