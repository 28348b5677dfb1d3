import type { NavItem } from "./AppShell";

export const MEMBER_NAV: NavItem[] = [
  { href: "/app", label: "Today" },
  { href: "/settings", label: "Settings" },
];

export const COACH_NAV: NavItem[] = [
  { href: "/coach", label: "Overview" },
  { href: "/settings", label: "Settings" },
];

export const ADMIN_NAV: NavItem[] = [
  { href: "/admin", label: "Users" },
  { href: "/admin/audit", label: "Audit log" },
  { href: "/mailbox", label: "Mailbox" },
  { href: "/settings", label: "Settings" },
];
