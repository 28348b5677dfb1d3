import { safeReturnPath } from "@/lib/return-path";
import { isLoopbackHost } from "./hosts";

/**
 * The origins a person may use to reach this deployment, and which one a request came through.
 *
 * Emailed sign-in links used to point at APP_URL whatever address the person typed, so someone
 * who opened http://127.0.0.1:3000 was signed in on http://localhost:3000, a different origin
 * with its own cookies, and the first tab still looked signed out. A link now comes back to the
 * origin the request arrived on, when that origin is one of these:
 * - APP_URL's own origin;
 * - each origin listed in APP_ORIGINS (same scheme as APP_URL, so cookie names agree);
 * - when APP_URL is a loopback address, the other loopback names on the same port (localhost,
 *   127.0.0.1, [::1]): they all reach this machine and nobody else's.
 * Anything else (a forged Host header, an unknown proxy name) falls back to APP_URL, so a link
 * can never be made to point somewhere this deployment was not configured to be.
 */

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/** `https://Example.org:443/` → `https://example.org`; null when not an http(s) URL. */
export function normalizeOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return url.origin;
}

/** Problems with APP_ORIGINS (for the settings check), empty when it is fine. */
export function originListProblems(list: string | undefined, appUrl: string): string[] {
  // A malformed APP_URL has its own message; the list cannot be judged against it.
  const app = normalizeOrigin(appUrl);
  if (!app) return [];
  const scheme = new URL(app).protocol;
  const problems: string[] = [];
  for (const entry of splitList(list)) {
    const origin = normalizeOrigin(entry);
    if (!origin)
      problems.push(`"${entry}" is not an http(s) origin such as https://kindred.example.org`);
    else if (new URL(origin).protocol !== scheme) {
      problems.push(
        `"${entry}" must use ${scheme.slice(0, -1)} like APP_URL (cookies depend on it)`,
      );
    } else if (!/^[a-z]+:\/\/[^/?#]+\/?$/i.test(entry)) {
      problems.push(`"${entry}" must be an origin only, without a path`);
    }
  }
  return problems;
}

function splitList(list: string | undefined): string[] {
  return (list ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Every origin links may be built on; APP_URL's first. */
export function allowedOrigins(appUrl: string, list?: string): string[] {
  const app = new URL(appUrl);
  const origins = [app.origin];
  if (isLoopbackHost(app.hostname)) {
    const port = app.port ? `:${app.port}` : "";
    for (const name of LOOPBACK_NAMES) origins.push(`${app.protocol}//${name}${port}`);
  }
  for (const entry of splitList(list)) {
    const origin = normalizeOrigin(entry);
    if (origin && new URL(origin).protocol === app.protocol) origins.push(origin);
  }
  return [...new Set(origins)];
}

/**
 * The origin this request was made to, if it is an allowed one; else APP_URL's. The scheme is
 * APP_URL's (allowed origins share it). Behind trusted proxies, X-Forwarded-Host names the host
 * the person typed; it is only believed when it is on the list, like Host itself.
 */
export function requestOrigin(
  headers: Headers,
  config: { appUrl: string; origins: readonly string[]; trustedProxies: number },
): string {
  const app = new URL(config.appUrl);
  const forwarded =
    config.trustedProxies > 0 ? headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  for (const host of [forwarded, headers.get("host")]) {
    if (!host) continue;
    const origin = normalizeOrigin(`${app.protocol}//${host}`);
    if (origin && config.origins.includes(origin)) return origin;
  }
  return app.origin;
}

/**
 * A return address taken from outside, as a path: accepted when it is a path or an absolute URL
 * on any allowed origin (a link issued on one loopback name and opened on another keeps its
 * page), then always rebuilt on the origin the request came through.
 */
export function returnPathOnAny(value: unknown, origins: readonly string[]): string | null {
  if (origins.length === 0) return safeReturnPath(value);
  for (const origin of origins) {
    const path = safeReturnPath(value, origin);
    if (path) return path;
  }
  return null;
}
