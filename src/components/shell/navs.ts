import type { NavItem } from "./AppShell";

/**
 * Each area's sections, in the order of the desktop tab row. On a phone the ones marked `bar`
 * (four at most: they share the bottom bar with "More") sit under the thumb; the rest are one
 * tap away in the More sheet. `icon` names a drawing in NavIcon.tsx.
 */
export const MEMBER_NAV: NavItem[] = [
  { href: "/app", label: "Today", bar: true, icon: "today" },
  { href: "/app/programs", label: "Programs", bar: true, icon: "programs" },
  { href: "/app/cohorts", label: "Cohorts", bar: true, icon: "cohorts" },
  { href: "/app/journal", label: "Journal", bar: true, icon: "journal" },
  { href: "/app/community", label: "Community" },
  { href: "/app/commitments", label: "Commitments" },
  { href: "/settings", label: "Settings" },
];

export const COACH_NAV: NavItem[] = [
  { href: "/coach", label: "Overview", bar: true, icon: "today" },
  { href: "/coach/programs", label: "Programs", bar: true, icon: "programs" },
  { href: "/coach/cohorts", label: "Cohorts", bar: true, icon: "cohorts" },
  { href: "/settings", label: "Settings", bar: true, icon: "settings" },
];

export const ADMIN_NAV: NavItem[] = [
  { href: "/admin", label: "Users", bar: true, icon: "cohorts" },
  { href: "/admin/audit", label: "Audit log", bar: true, icon: "journal" },
  { href: "/admin/health", label: "Health", bar: true, icon: "health" },
  { href: "/admin/billing", label: "Billing", bar: true, icon: "billing" },
  { href: "/admin/billing/plans", label: "Plans" },
  { href: "/admin/emails", label: "Emails" },
  { href: "/coach/programs", label: "Programs" },
  { href: "/coach/cohorts", label: "Cohorts" },
  { href: "/mailbox", label: "Mailbox" },
  { href: "/settings", label: "Settings" },
];
