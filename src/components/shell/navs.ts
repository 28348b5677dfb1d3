import type { NavItem } from "./AppShell";

export const MEMBER_NAV: NavItem[] = [
  { href: "/app", label: "Today" },
  { href: "/app/programs", label: "Programs" },
  { href: "/app/cohorts", label: "Cohorts" },
  { href: "/app/journal", label: "Journal" },
  { href: "/app/community", label: "Community" },
  { href: "/app/commitments", label: "Commitments" },
  { href: "/settings", label: "Settings" },
];

export const COACH_NAV: NavItem[] = [
  { href: "/coach", label: "Overview" },
  { href: "/coach/programs", label: "Programs" },
  { href: "/coach/cohorts", label: "Cohorts" },
  { href: "/settings", label: "Settings" },
];

export const ADMIN_NAV: NavItem[] = [
  { href: "/admin", label: "Users" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/admin/health", label: "Health" },
  { href: "/admin/billing", label: "Billing" },
  { href: "/admin/billing/plans", label: "Plans" },
  { href: "/admin/emails", label: "Emails" },
  { href: "/coach/programs", label: "Programs" },
  { href: "/coach/cohorts", label: "Cohorts" },
  { href: "/mailbox", label: "Mailbox" },
  { href: "/settings", label: "Settings" },
];
