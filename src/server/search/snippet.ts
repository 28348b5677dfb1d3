/**
 * Pure text helpers for search: the LIKE pattern of a query and the snippet around a match.
 * Snippets are plain text in three parts, so the page can mark the match with an element of its
 * own and React escapes every character: no member text is ever rendered as HTML.
 */

/** `%query%` for ILIKE, with the pattern characters of the query (% _ \) taken literally. */
export function likePattern(query: string): string {
  return `%${likeEscaped(query)}%`;
}

/** The query with LIKE's wildcards escaped by backslash (PostgreSQL's default escape). */
export function likeEscaped(query: string): string {
  return query.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type Snippet = { before: string; match: string; after: string };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/**
 * Up to `width` characters of `text` around the first case-insensitive occurrence of `query`,
 * whitespace collapsed, with an ellipsis where it was cut. Null when the text does not hold the
 * query (the match was in another field).
 */
export function snippetOf(text: string, query: string, width = 160): Snippet | null {
  const flat = text.replace(/\s+/g, " ").trim();
  const needle = query.replace(/\s+/g, " ").trim();
  if (!flat || !needle) return null;
  const found = new RegExp(escapeRegExp(needle), "iu").exec(flat);
  if (!found) return null;
  const start = found.index;
  const end = start + found[0].length;
  const room = Math.max(width - found[0].length, 0);
  // A third of the room before the match, the rest after (what follows reads on).
  let from = Math.max(0, start - Math.floor(room / 3));
  const to = Math.min(flat.length, end + (room - (start - from)));
  from = Math.max(0, Math.min(from, to - width));
  // Cut at word boundaries where one is near.
  const cutFrom = from > 0 ? wordStart(flat, from, start) : 0;
  const cutTo = to < flat.length ? wordEnd(flat, to, end) : flat.length;
  return {
    before: `${cutFrom > 0 ? "…" : ""}${flat.slice(cutFrom, start)}`,
    match: flat.slice(start, end),
    after: `${flat.slice(end, cutTo)}${cutTo < flat.length ? "…" : ""}`,
  };
}

function wordStart(text: string, from: number, limit: number): number {
  const space = text.indexOf(" ", from);
  return space !== -1 && space < limit && space - from < 20 ? space + 1 : from;
}

function wordEnd(text: string, to: number, limit: number): number {
  const space = text.lastIndexOf(" ", to);
  return space !== -1 && space > limit && to - space < 20 ? space : to;
}

/** The first snippet among labelled texts, or the start of the first non-empty one. */
export function firstSnippet(
  texts: { label?: string; text: string }[],
  query: string,
  width = 160,
): { label?: string; snippet: Snippet } | null {
  for (const t of texts) {
    const snippet = snippetOf(t.text, query, width);
    if (snippet) return { label: t.label, snippet };
  }
  return null;
}
