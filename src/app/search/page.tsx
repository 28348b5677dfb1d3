import type { Metadata } from "next";
import { SearchForm } from "@/components/search/SearchForm";
import { SearchResults } from "@/components/search/SearchResults";
import { EmptyState } from "@/components/ui/EmptyState";
import Link from "@/components/ui/Link";
import { Notice } from "@/components/ui/Notice";
import { PageHeader } from "@/components/ui/PageHeader";
import { formatDate } from "@/lib/format-date";
import { requireUser } from "@/server/auth/guard";
import { GROUP_LIMIT_MAX, QUERY_MAX, searchQuery } from "@/server/search/schemas";
import { api } from "@/server/trpc/server";

export const metadata: Metadata = { title: "Search" };

type Props = { searchParams: Promise<{ q?: string | string[] }> };

/** The results page: a GET form, so it works without JavaScript (the header's field sends here). */
export default async function SearchPage({ searchParams }: Props) {
  const raw = (await searchParams).q;
  const q = typeof raw === "string" ? raw : "";
  const user = await requireUser(q ? `/search?q=${encodeURIComponent(q)}` : "/search");
  const parsed = q ? searchQuery.safeParse(q) : null;
  const result = parsed?.success
    ? await (await api()).search.query({ q: parsed.data, limit: GROUP_LIMIT_MAX })
    : null;
  const groups = result?.groups.filter((g) => g.hits.length > 0) ?? [];

  return (
    <>
      <PageHeader
        title="Search"
        lead="Your journal, programs, the people on your map and the posts of your cohorts. Your answers and your map are searched for you alone."
      />
      <SearchForm key={q} q={q} max={QUERY_MAX} invalid={Boolean(parsed && !parsed.success)} />

      {parsed && !parsed.success && (
        <div id="search-problem">
          <Notice tone="warn" role="status">
            {parsed.error.issues[0]?.message ?? "That search cannot be run."}
          </Notice>
        </div>
      )}

      {!q && (
        <p className="text-muted">
          Type a word or part of one. Tip: press{" "}
          <kbd className="rounded border border-line px-1">/</kbd> anywhere to jump to the search
          field.
        </p>
      )}

      {result && result.total === 0 && (
        <EmptyState title={`No results for “${result.q}”`}>
          <ul className="mx-auto max-w-prose space-y-1 text-left">
            <li>Check the spelling, or try a shorter word or the start of one.</li>
            <li>
              Search looks in your journal answers and their prompts, programs, the people on your
              map and posts in your cohorts.
            </li>
            <li>
              You can also browse your{" "}
              <Link href="/app/journal" className="text-brand underline">
                journal
              </Link>{" "}
              or the{" "}
              <Link href="/app/programs" className="text-brand underline">
                programs
              </Link>
              .
            </li>
          </ul>
        </EmptyState>
      )}

      {result && result.total > 0 && (
        <>
          <p role="status" className="mb-4 text-sm text-muted">
            {result.total} {result.total === 1 ? "result" : "results"} for “{result.q}”
          </p>
          <SearchResults
            groups={groups.map((g) => ({
              key: g.key,
              label: g.label,
              more: g.more,
              hits: g.hits.map((h) => ({
                id: h.id,
                title: h.title,
                href: h.href,
                editHref: h.editHref ?? null,
                line:
                  [h.context, h.at ? formatDate(h.at, user.timeZone, "long") : null]
                    .filter(Boolean)
                    .join(" · ") || null,
                label: h.label ?? null,
                snippet: h.snippet,
                excerpt: h.excerpt ?? null,
              })),
            }))}
          />
        </>
      )}
    </>
  );
}
