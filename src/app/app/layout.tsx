import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/AppShell";
import { MEMBER_NAV } from "@/components/shell/navs";
import { requireUser } from "@/server/auth/guard";

export default async function MemberLayout({ children }: { children: ReactNode }) {
  const user = await requireUser("/app");
  return (
    <AppShell user={user} nav={MEMBER_NAV}>
      {children}
    </AppShell>
  );
}
