/**
 * The one check for a return address taken from outside (a `callbackUrl` in a query string, a
 * form or next-auth's redirect callback): it must lead to a page of this site.
 *
 * Browsers read `/\evil.example`, `/\t/evil.example` and `//evil.example` as protocol-relative
 * URLs to another host, and a URL parser normalises `/.//evil.example` into `//evil.example`, so
 * a prefix check on the raw text is not enough. The value is parsed against the app origin and
 * the origins compared; backslashes and control characters are refused outright, also once
 * percent-decoded (a value that is decoded twice somewhere must still be safe).
 */

const MAX_LENGTH = 2048;
// Stands in for the app origin where only paths are accepted (no absolute URL can match it).
const PATHS_ONLY = "http://kindred.invalid";
// C0 controls (tab, newline…), DEL and C1 controls: URL parsers drop or remap some of them.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f]/;

/** The path part (before `?` or `#`) decoded up to three times; null when malformed. */
function decodedPaths(value: string): string[] | null {
  const forms: string[] = [];
  let current = value.split(/[?#]/, 1)[0] ?? "";
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) break;
    forms.push(next);
    current = next;
  }
  return forms;
}

/**
 * The same-origin path (`/path?query#hash`) that `value` leads to, or null when it is missing,
 * malformed or could lead anywhere else. `value` is a path starting with a single `/`, or an
 * absolute URL on `origin` itself (without `origin`, paths only).
 */
export function safeReturnPath(value: unknown, origin?: string): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return null;
  if (UNSAFE.test(value)) return null;
  let base: URL;
  try {
    base = new URL(origin ?? PATHS_ONLY);
  } catch {
    return null;
  }
  const absolute =
    origin !== undefined && (value === base.origin || value.startsWith(`${base.origin}/`));
  if (!absolute && (!value.startsWith("/") || value.startsWith("//"))) return null;

  const decoded = decodedPaths(absolute ? value.slice(base.origin.length) || "/" : value);
  if (!decoded) return null;
  for (const path of decoded) {
    if (UNSAFE.test(path) || path.startsWith("//")) return null;
  }

  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  // Dot segments can collapse into a leading `//` (`/.//evil.example`): check the result too.
  if (url.pathname.startsWith("//")) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Same as safeReturnPath, with a fallback for anything refused. */
export function returnPathOr(value: unknown, fallback: string, origin?: string): string {
  return safeReturnPath(value, origin) ?? fallback;
}
