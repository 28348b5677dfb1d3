import type { Snippet } from "@/server/search/snippet";

/**
 * A search snippet with its match marked. Plain text children only: React escapes every
 * character of the member's words, so nothing they wrote is ever read as HTML.
 */
export function SnippetText({ snippet }: { snippet: Snippet }) {
  return (
    <>
      {snippet.before}
      <mark className="rounded bg-brand-soft px-0.5 font-semibold text-ink">{snippet.match}</mark>
      {snippet.after}
    </>
  );
}
