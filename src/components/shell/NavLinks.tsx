"use client";

import clsx from "clsx";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { NavItem } from "./AppShell";

/** The area's sections; scrolls sideways on narrow screens instead of wrapping. */
export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  const current = items
    .filter((i) => pathname === i.href || pathname.startsWith(`${i.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return (
    <nav aria-label="Sections" className="mx-auto max-w-6xl overflow-x-auto px-2">
      <ul className="flex gap-1">
        {items.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={item === current ? "page" : undefined}
              className={clsx(
                "block whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium",
                item === current
                  ? "border-brand text-ink"
                  : "border-transparent text-muted hover:text-ink",
              )}
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
