import { describe, expect, it } from "vitest";
import { EMBED_ORIGINS } from "@/lib/markdown";
import { newCspNonce, nonceCsp } from "@/server/http/csp";

type Header = { key: string; value: string };
type Rule = { source: string; headers: Header[] };

async function siteWideCsp(): Promise<string> {
  const config = (await import("../../next.config.mjs" as string)).default as {
    headers: () => Promise<Rule[]>;
  };
  const rules = await config.headers();
  const csp = rules.flatMap((r) => r.headers).find((h) => h.key === "Content-Security-Policy");
  return csp!.value;
}

const directives = (policy: string) =>
  new Map(
    policy
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...v]) => [name!, v]),
  );

describe("signed-in pages' CSP", () => {
  it("allows scripts by nonce only: no 'unsafe-inline', no host allow-list", () => {
    const script = directives(nonceCsp("abc123", false)).get("script-src");
    expect(script).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(directives(nonceCsp("abc123", true)).get("script-src")).toContain("'unsafe-eval'");
  });

  it("differs from the site-wide policy of next.config.mjs in script-src only", async () => {
    const site = directives(await siteWideCsp());
    const signedIn = directives(nonceCsp("n", false));
    expect(site.get("script-src")).toContain("'unsafe-inline'");
    site.delete("script-src");
    signedIn.delete("script-src");
    expect(Object.fromEntries(signedIn)).toEqual(Object.fromEntries(site));
  });

  it("frames only the video embeds' two origins", async () => {
    expect(directives(nonceCsp("n", false)).get("frame-src")).toEqual(EMBED_ORIGINS);
    expect(directives(await siteWideCsp()).get("frame-src")).toEqual(EMBED_ORIGINS);
  });

  it("makes a fresh, unguessable nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newCspNonce()));
    expect(nonces.size).toBe(50);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{24}$/);
  });
});
