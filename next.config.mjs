const isProd = process.env.NODE_ENV === "production";

// The site-wide policy, for public pages: Next's runtime injects inline scripts, so script-src
// keeps 'unsafe-inline' here (a nonce needs a per-request render). Signed-in pages get a nonce
// policy from Kindred's web server instead (src/server/http/signed-in-pages.ts; same other
// directives: src/server/http/csp.ts), and uploads keep their own sandbox policy. Everything is
// locked to this origin.
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isProd ? "" : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ...(isProd
    ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
    : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  serverExternalPackages: ["pg", "pg-boss", "@prisma/adapter-pg", "@electric-sql/pglite"],
  // The Stripe SDK always calls /v1/… on its host (its paths are fixed; it takes no path
  // prefix). In demo mode that host is this server: hand those calls to the Stripe emulator's
  // route, which answers 404 on any deployment that is not a demo.
  async rewrites() {
    return [{ source: "/v1/:path*", destination: "/api/emulators/stripe/v1/:path*" }];
  },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // The service worker is checked for updates on every visit (public/sw.js).
      { source: "/sw.js", headers: [{ key: "Cache-Control", value: "no-cache" }] },
      // Not on uploads (their own `default-src 'none'; sandbox` must stand) nor on the signed-in
      // areas, whose nonce policy the web server sets (SIGNED_IN_AREAS in src/lib/
      // signed-in-areas.ts; tests/unit/signed-in-pages.test.ts keeps the two in step).
      {
        source:
          "/((?!api/uploads/|(?:app|coach|admin|settings|dashboard|search|mailbox)(?:/|$)).*)",
        headers: [{ key: "Content-Security-Policy", value: csp }],
      },
    ];
  },
};

export default nextConfig;
