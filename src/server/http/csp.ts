/**
 * The Content Security Policy of signed-in pages: scripts only with this response's nonce
 * (Next puts it on its own scripts when the request carries the policy, see signed-in-pages.ts) and
 * what those scripts load ('strict-dynamic'); no 'unsafe-inline'. The other directives are
 * the site-wide ones of next.config.mjs (a unit test keeps the two in step).
 */
export const SHARED_DIRECTIVES = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  // Video embeds in step bodies (src/lib/markdown.ts EMBED_ORIGINS), and nothing else.
  "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
];

export function nonceCsp(nonce: string, dev: boolean): string {
  // React's development build evaluates code for its error overlays; production never does.
  const script = `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`;
  return [SHARED_DIRECTIVES[0], script, ...SHARED_DIRECTIVES.slice(1)].join("; ");
}

/** 144 random bits, base64: unguessable, and a valid CSP nonce source. */
export function newCspNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
}
