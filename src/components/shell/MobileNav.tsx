"use client";

import clsx from "clsx";
import { usePathname } from "next/navigation";
import { type ReactNode, useEffect, useRef } from "react";
import Link from "@/components/ui/Link";
import type { NavItem } from "./AppShell";
import { currentItem } from "./current";
import { NavIcon } from "./NavIcon";

/**
 * The phone's navigation (below the `lg` breakpoint): a bar fixed at the bottom of the screen
 * with the area's `bar` sections and a "More" button. More opens a modal sheet (a native
 * <dialog>: focus moves into it and stays there, Escape closes it, focus returns to the button)
 * with the other sections and `extra`: the area switches and the account, rendered on the server.
 */
export function MobileNav({ items, extra }: { items: NavItem[]; extra: ReactNode }) {
  const pathname = usePathname();
  const sheet = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const current = currentItem(items, pathname);
  const bar = items.filter((i) => i.bar);
  const rest = items.filter((i) => !i.bar);
  const inRest = current !== undefined && !current.bar;

  // A link followed from the sheet leaves it open over the new page unless it closes here.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every page change
  useEffect(() => {
    if (sheet.current?.open) sheet.current.close();
  }, [pathname]);

  const open = () => sheet.current?.showModal();
  const close = () => sheet.current?.close();

  return (
    <nav
      aria-label="Sections"
      className="fixed inset-x-0 bottom-0 z-40 border-t border-line bg-card lg:hidden"
    >
      <ul className="mx-auto grid max-w-xl grid-cols-5">
        {bar.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={item === current ? "page" : undefined}
              className={clsx(
                "flex min-h-14 flex-col items-center justify-center gap-0.5 border-t-2 px-1 pt-1 pb-1.5 text-xs font-medium",
                item === current
                  ? "border-brand text-brand-dark"
                  : "border-transparent text-muted hover:text-ink",
              )}
            >
              {item.icon && <NavIcon name={item.icon} />}
              <span className="max-w-full truncate">{item.label}</span>
            </Link>
          </li>
        ))}
        <li>
          <button
            ref={opener}
            type="button"
            onClick={open}
            aria-haspopup="dialog"
            aria-controls="more-sheet"
            className={clsx(
              "flex min-h-14 w-full flex-col items-center justify-center gap-0.5 border-t-2 px-1 pt-1 pb-1.5 text-xs font-medium",
              inRest
                ? "border-brand text-brand-dark"
                : "border-transparent text-muted hover:text-ink",
            )}
          >
            <NavIcon name="more" />
            More
            {inRest && <span className="sr-only">(current page: {current.label})</span>}
          </button>
        </li>
      </ul>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click is a pointer shortcut; keyboards have Escape (native to a modal dialog) and Close */}
      <dialog
        ref={sheet}
        id="more-sheet"
        aria-labelledby="more-sheet-title"
        onClose={() => opener.current?.focus()}
        // A click on the backdrop (the dialog itself, outside its content) closes it.
        onClick={(event) => {
          if (event.target === event.currentTarget) close();
        }}
        className="fixed inset-x-0 top-auto bottom-0 m-0 max-h-[85vh] w-full max-w-none overflow-y-auto rounded-t-2xl border-t border-line bg-card p-0 text-ink shadow-lg backdrop:bg-ink/40"
      >
        <div className="mx-auto max-w-xl px-4 pt-4 pb-6">
          <div className="mb-2 flex items-center justify-between gap-3">
            <h2 id="more-sheet-title" className="font-serif text-xl">
              More
            </h2>
            <button type="button" onClick={close} className="btn btn-ghost">
              Close
            </button>
          </div>
          {rest.length > 0 && (
            <ul className="mb-4 divide-y divide-line border-y border-line">
              {rest.map((item) => (
                <li key={item.href}>
                  <Link
                    href={item.href}
                    aria-current={item === current ? "page" : undefined}
                    onClick={close}
                    className={clsx(
                      "flex min-h-12 items-center px-1 text-base",
                      item === current ? "font-semibold text-brand-dark" : "text-ink",
                    )}
                  >
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {extra}
        </div>
      </dialog>
    </nav>
  );
}
