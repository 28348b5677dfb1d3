/** The http(s) links in an email's HTML, decoded and de-duplicated, in order. */
export function linksIn(html: string | null | undefined): string[] {
  if (!html) return [];
  const found = new Set<string>();
  for (const match of html.matchAll(/href\s*=\s*"([^"]+)"/gi)) {
    const href = decodeEntities(match[1] ?? "");
    if (/^https?:\/\//i.test(href)) found.add(href);
  }
  return [...found];
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}
