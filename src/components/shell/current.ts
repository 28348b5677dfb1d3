import type { NavItem } from "./AppShell";

/** The item for this page: the longest href that is the path or a prefix of it. */
export function currentItem(items: NavItem[], pathname: string): NavItem | undefined {
  return items
    .filter((i) => pathname === i.href || pathname.startsWith(`${i.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0];
}
