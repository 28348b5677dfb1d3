import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  budgetFor,
  checkBudgets,
  KB,
  measureRoutes,
  overageMessage,
} from "../../scripts/bundles/measure";

/** A miniature `.next` with the files Next 16 writes, so the measurement can be checked exactly. */
const dir = mkdtempSync(path.join(os.tmpdir(), "kindred-bundles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Pseudo-random bytes (a fixed LCG): they barely compress, so sizes are predictable.
const chunk = (name: string, size: number) => {
  const bytes = Buffer.alloc(size);
  let x = name.length * 2654435761;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  writeFileSync(path.join(dir, "static", "chunks", name), bytes);
  return { path: `static/chunks/${name}`, gzip: gzipSync(bytes).length };
};

function clientManifest(entry: string, entryJSFiles: Record<string, string[]>) {
  const file = path.join(dir, "server", "app", `${entry}_client-reference-manifest.js`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST[${JSON.stringify(entry)}] = ${JSON.stringify({ moduleLoading: { prefix: "" }, entryJSFiles, entryCSSFiles: {} })};\n`,
  );
}

mkdirSync(path.join(dir, "static", "chunks"), { recursive: true });
const runtime = chunk("runtime.js", 90_000);
const react = chunk("react.js", 60_000);
const layout = chunk("layout.js", 5_000);
const notFound = chunk("not-found.js", 30_000);
const home = chunk("home.js", 4_000);
const journal = chunk("journal.js", 20_000);
writeFileSync(path.join(dir, "static", "chunks", "styles.css"), "body{}");
writeFileSync(
  path.join(dir, "build-manifest.json"),
  JSON.stringify({
    rootMainFiles: [runtime.path, react.path],
    polyfillFiles: ["static/chunks/p.js"],
  }),
);
writeFileSync(
  path.join(dir, "app-path-routes-manifest.json"),
  JSON.stringify({
    "/page": "/",
    "/app/journal/page": "/app/journal",
    "/_not-found/page": "/_not-found",
    "/api/health/route": "/api/health",
  }),
);
clientManifest("/page", {
  "[project]/src/app/layout": [react.path, layout.path],
  "[project]/src/app/not-found": [layout.path, notFound.path],
  "[project]/src/app/page": [layout.path, home.path, "static/chunks/styles.css"],
});
clientManifest("/app/journal/page", {
  "[project]/src/app/layout": [react.path, layout.path],
  "[project]/src/app/not-found": [layout.path, notFound.path],
  "[project]/src/app/app/journal/page": [layout.path, journal.path],
});
clientManifest("/_not-found/page", {
  "[project]/src/app/layout": [react.path, layout.path],
  "[project]/src/app/not-found": [layout.path, notFound.path],
});

describe("first-load JS per page", () => {
  const routes = measureRoutes(dir);
  const byRoute = Object.fromEntries(routes.map((r) => [r.route, r]));

  it("counts the bootstrap scripts and each rendered segment's chunks once, gzip-compressed", () => {
    expect(Object.keys(byRoute)).toEqual(["/", "/_not-found", "/app/journal"]);
    const shared = runtime.gzip + react.gzip + layout.gzip;
    expect(byRoute["/"]!.gzip).toBe(shared + home.gzip);
    expect(byRoute["/app/journal"]!.gzip).toBe(shared + journal.gzip);
    expect(byRoute["/app/journal"]!.own).toBe(journal.gzip);
    // Not-found boundaries load when notFound() is called, not on first load; CSS is not JS.
    expect(byRoute["/"]!.files).not.toContain(notFound.path);
    expect(byRoute["/"]!.files).not.toContain("static/chunks/styles.css");
    expect(byRoute["/_not-found"]!.files).toContain(notFound.path);
  });

  it("holds public pages to 145 kB and signed-in pages to 180 kB, naming route and overage", () => {
    expect(budgetFor("/")).toEqual({ kind: "public", limit: 145 * KB });
    expect(budgetFor("/signin/confirm")).toEqual({ kind: "public", limit: 145 * KB });
    expect(budgetFor("/pricing")).toEqual({ kind: "public", limit: 145 * KB });
    expect(budgetFor("/account/delete")).toEqual({ kind: "public", limit: 145 * KB });
    expect(budgetFor("/account/deleted")).toEqual({ kind: "public", limit: 145 * KB });
    expect(budgetFor("/prerendered/[flavour]/signin")).toEqual({ kind: "public", limit: 145 * KB });
    expect(budgetFor("/search")).toEqual({ kind: "signed-in", limit: 180 * KB });
    expect(budgetFor("/coach/progress/[programId]")).toEqual({
      kind: "signed-in",
      limit: 180 * KB,
    });
    expect(budgetFor("/settings")?.limit).toBe(180 * KB);
    expect(budgetFor("/mailbox")).toBeNull();
    expect(budgetFor("/signinx")).toBeNull();

    const verdicts = checkBudgets(routes);
    const over = verdicts.filter((v) => v.over > 0);
    // The miniature home page is about 159 kB of barely compressible bytes: over 145 kB.
    expect(over.map((v) => v.route)).toEqual(["/"]);
    const homeVerdict = over.find((v) => v.route === "/")!;
    expect(homeVerdict.over).toBe(homeVerdict.gzip - 145 * KB);
    expect(overageMessage(homeVerdict)).toBe(
      `/: ${(homeVerdict.gzip / KB).toFixed(1)} kB of first-load JS (gzip) is ` +
        `${(homeVerdict.over / KB).toFixed(1)} kB over the 145.0 kB budget for public pages`,
    );
  });

  it("says so when there is no build", () => {
    expect(() => measureRoutes(path.join(dir, "missing"))).toThrow(/no production build/);
  });
});
