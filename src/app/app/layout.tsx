import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/AppShell";
import { MEMBER_NAV } from "@/components/shell/navs";
import { requireUser } from "@/server/auth/guard";

export default async function MemberLayout({ children }: { children: ReactNode }) {
  // Each page asks for a missing name with its own address, so the member comes back to it.
  const user = await requireUser("/app", { askName: false });
  return (
    <AppShell user={user} nav={MEMBER_NAV}>
      {children}
    </AppShell>
  );
}
