"use client";

import clsx from "clsx";
import { usePathname } from "next/navigation";
import Link from "@/components/ui/Link";
import type { NavItem } from "./AppShell";
import { currentItem } from "./current";

/** The area's sections as a tab row, from the `lg` breakpoint (MobileNav below it). */
export function NavLinks({ items }: { items: NavItem[] }) {
  const current = currentItem(items, usePathname());
  return (
    <nav aria-label="Sections" className="mx-auto hidden max-w-6xl overflow-x-auto px-2 lg:block">
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
