"use client";

import Link from "@/components/ui/Link";
import type { Snippet } from "@/server/search/snippet";
import { cardClass } from "../ui/styles";
import { SnippetText } from "./SnippetText";

/** One hit as the page shows it: its context line (where, when) already worded on the server. */
export type ResultHit = {
  id: string;
  title: string;
  href: string;
  editHref: string | null;
  /** "Program · 10 March 2026", or null. */
  line: string | null;
  label: string | null;
  snippet: Snippet | null;
  excerpt: string | null;
};

export type ResultGroup = { key: string; label: string; hits: ResultHit[]; more: boolean };

/**
 * The groups of search results. A client component for the same reason as the journal's list
 * (JournalEntries.tsx): the hits reach the browser once, as this data, instead of as HTML and
 * again as a server-rendered tree in the RSC payload.
 */
export function SearchResults(props: { groups: ResultGroup[] }) {
  return (
    <div className="space-y-8">
      {props.groups.map((g) => (
        <section key={g.key} aria-labelledby={`group-${g.key}`}>
          <h2 id={`group-${g.key}`} className="mb-3 font-serif text-xl">
            {g.label}{" "}
            <span className="text-base text-muted">
              ({g.hits.length}
              {g.more ? "+" : ""})
            </span>
          </h2>
          <ol className="space-y-2">
            {g.hits.map((h) => (
              <li key={h.id} className={cardClass}>
                <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                  <Link href={h.href} className="font-semibold text-brand underline break-words">
                    {h.title}
                  </Link>
                  {h.editHref && (
                    <Link href={h.editHref} className="text-sm text-brand underline">
                      Edit<span className="sr-only"> {h.title}</span>
                    </Link>
                  )}
                </div>
                {h.line && <p className="mt-0.5 text-sm text-muted">{h.line}</p>}
                {!h.snippet && h.excerpt && (
                  <p className="mt-1.5 break-words text-muted">{h.excerpt}</p>
                )}
                {h.snippet && (
                  <p className="mt-1.5 break-words">
                    {h.label && <span className="text-sm font-semibold">{h.label}: </span>}
                    <SnippetText snippet={h.snippet} />
                  </p>
                )}
              </li>
            ))}
          </ol>
          {g.more && (
            <p className="mt-2 text-sm text-muted">
              Showing the first {g.hits.length}. Add a word to narrow the search.
            </p>
          )}
        </section>
      ))}
    </div>
  );
}
