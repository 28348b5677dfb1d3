import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

/**
 * First-load JavaScript per App Router page, from a `next build` (Next 16, Turbopack) alone: no
 * server, no database, so the numbers are the same on every machine for the same build.
 *
 * What a browser downloads on a page's first load is
 *   - the bootstrap scripts every page's HTML links (`rootMainFiles` of build-manifest.json:
 *     the Turbopack runtime, React, Next's client router), and
 *   - the chunks of the client components of every segment the page renders: its layouts, its
 *     error boundaries and the page itself. Each page's client reference manifest
 *     (`.next/server/app/<route>/page_client-reference-manifest.js`) lists exactly these as
 *     `entryJSFiles`, keyed by segment; the server turns them into the HTML's script tags and the
 *     RSC payload's module references, which hydration loads at once.
 * The union of the two, each file once, gzip-compressed at zlib's default level (what Next's own
 * compression and most proxies use), is the page's first-load JS. Left out: `nomodule` polyfills
 * (modern browsers do not fetch them), not-found boundaries (fetched only when a page calls
 * notFound()), and chunks loaded later (next/dynamic, prefetches of linked routes). Checked against
 * Chromium loading six pages of a production build: the same files, within 0.2 % of the bytes
 * Chromium received (Next serves them gzip-compressed), plus the prefetch of a linked route's
 * error boundary.
 */
export const KB = 1000;
const NOT_FOUND = /\/not-found$/;

export type RouteBytes = {
  route: string;
  files: string[];
  gzip: number;
  raw: number;
  /** Gzip bytes of the files not shared by every page. */
  own: number;
};

type ClientManifest = { entryJSFiles?: Record<string, string[]> };

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** The manifest file is a script assigning to globalThis.__RSC_MANIFEST; run it in a sandbox. */
function loadClientManifest(file: string, entry: string): ClientManifest {
  const sandbox: Record<string, unknown> = {};
  sandbox.globalThis = sandbox;
  sandbox.self = sandbox;
  vm.runInNewContext(readFileSync(file, "utf8"), sandbox, { filename: file, timeout: 5000 });
  const all = sandbox.__RSC_MANIFEST as Record<string, ClientManifest> | undefined;
  const manifest = all?.[entry];
  if (!manifest?.entryJSFiles) throw new Error(`${file} has no entryJSFiles for ${entry}`);
  return manifest;
}

export function measureRoutes(nextDir = ".next"): RouteBytes[] {
  const buildManifest = path.join(nextDir, "build-manifest.json");
  const routesManifest = path.join(nextDir, "app-path-routes-manifest.json");
  if (!existsSync(buildManifest) || !existsSync(routesManifest))
    throw new Error(`no production build in ${nextDir}: run \`next build\` first`);
  const { rootMainFiles = [] } = readJson<{ rootMainFiles?: string[] }>(buildManifest);
  if (rootMainFiles.length === 0) throw new Error(`${buildManifest} lists no rootMainFiles`);
  const routes = readJson<Record<string, string>>(routesManifest);

  const sizes = new Map<string, { gzip: number; raw: number }>();
  const sizeOf = (file: string) => {
    let size = sizes.get(file);
    if (!size) {
      const bytes = readFileSync(path.join(nextDir, file));
      size = { gzip: gzipSync(bytes).length, raw: bytes.length };
      sizes.set(file, size);
    }
    return size;
  };

  const pages = Object.entries(routes)
    .filter(([entry]) => entry.endsWith("/page"))
    .map(([entry, route]) => {
      const file = path.join(nextDir, "server", "app", `${entry}_client-reference-manifest.js`);
      const manifest = loadClientManifest(file, entry);
      const files = new Set(rootMainFiles);
      for (const [segment, chunks] of Object.entries(manifest.entryJSFiles!)) {
        // A not-found boundary's code is fetched when a page calls notFound(), not on first
        // load (checked in Chromium: every other listed chunk is fetched, these are not).
        if (NOT_FOUND.test(segment) && route !== "/_not-found") continue;
        for (const chunk of chunks) if (chunk.endsWith(".js")) files.add(chunk);
      }
      return { route, files: [...files].sort() };
    });

  // Files every app page loads (Next's own /_not-found and /_global-error aside): the part no
  // single route can shed on its own.
  const appPages = pages.filter((p) => !p.route.startsWith("/_"));
  const pagesUsing = new Map<string, number>();
  for (const page of appPages)
    for (const f of page.files) pagesUsing.set(f, (pagesUsing.get(f) ?? 0) + 1);
  const shared = new Set([...pagesUsing].filter(([, n]) => n === appPages.length).map(([f]) => f));
  return pages
    .map(({ route, files }) => {
      const sum = (list: string[], key: "gzip" | "raw") =>
        list.reduce((total, f) => total + sizeOf(f)[key], 0);
      return {
        route,
        files,
        gzip: sum(files, "gzip"),
        raw: sum(files, "raw"),
        own: sum(
          files.filter((f) => !shared.has(f)),
          "gzip",
        ),
      };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}

export type Budget = { kind: "public" | "signed-in"; limit: number } | null;

/**
 * Public pages (home, pricing, privacy, sign-in and its steps, their prerendered copies, the unsubscribe
 * page, the new address's confirmation) must stay light for first
 * visits on phones; signed-in pages (member, coach, admin, settings, search) get more. Demo-only and
 * framework-internal pages (/mailbox, /_not-found, /_global-error) are reported without a budget.
 *
 * Why 145 kB and not the 120 kB first asked for: Next 16's own client (React DOM, the App Router
 * runtime; `rootMainFiles`) is 132.0 kB of gzip by itself, the same within 1 % with Turbopack and
 * with webpack, and every App Router page loads it. 145 kB leaves public pages 13 kB of their own
 * (today: 3–6 kB), so a client library creeping onto them still fails the check.
 */
export const PUBLIC_BUDGET = 145 * KB;
export const SIGNED_IN_BUDGET = 180 * KB;

export function budgetFor(route: string): Budget {
  if (
    route === "/" ||
    route === "/pricing" ||
    route === "/privacy" ||
    route === "/email/unsubscribe" ||
    route === "/email/change" ||
    // Deleting the account: the link's confirm page and the goodbye; one small button each.
    route === "/account/delete" ||
    route === "/account/deleted" ||
    route === "/signin" ||
    route.startsWith("/signin/") ||
    route.startsWith("/prerendered/")
  )
    return { kind: "public", limit: PUBLIC_BUDGET };
  // The preference page an email links to is a member's own settings form, reached by the
  // link instead of a session: it gets the signed-in budget.
  if (
    /^\/(app|coach|admin|settings|dashboard|search)(\/|$)/.test(route) ||
    route === "/email/preferences"
  )
    return { kind: "signed-in", limit: SIGNED_IN_BUDGET };
  return null;
}

export type Verdict = RouteBytes & { budget: Budget; over: number };

export function checkBudgets(routes: RouteBytes[]): Verdict[] {
  return routes.map((r) => {
    const budget = budgetFor(r.route);
    return { ...r, budget, over: budget ? Math.max(0, r.gzip - budget.limit) : 0 };
  });
}

export const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} kB`;

export function overageMessage(v: Verdict): string {
  return (
    `${v.route}: ${kb(v.gzip)} of first-load JS (gzip) is ${kb(v.over)} over the ` +
    `${kb(v.budget!.limit)} budget for ${v.budget!.kind} pages`
  );
}
