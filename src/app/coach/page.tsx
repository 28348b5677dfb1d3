import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/EmptyState";
import { PageHeader } from "@/components/ui/PageHeader";
import { COACH_ROLES, requireRole } from "@/server/auth/guard";

export const metadata: Metadata = { title: "Coach" };

export default async function CoachHome() {
  const user = await requireRole(COACH_ROLES, "/coach");
  return (
    <>
      <PageHeader
        title="Coach overview"
        lead={`Signed in as ${user.name ?? user.email}. Your programs and cohorts live here.`}
      />
      <EmptyState title="No programs yet">
        Programs you author and cohorts you run will be listed here with how your members are doing
        — counts and rhythm only, never their private answers.
      </EmptyState>
    </>
  );
}
