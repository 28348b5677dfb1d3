import { type NextRequest, NextResponse } from "next/server";
import {
  PLAIN_SESSION_COOKIE,
  SECURE_SESSION_COOKIE,
  SESSION_MAX_AGE_SECONDS,
  sessionCookieHeader,
} from "./server/auth/session-cookie";
import { newCspNonce, nonceCsp } from "./server/http/csp";

/**
 * Signed-in pages get a per-request nonce-based script policy (no 'unsafe-inline'): the policy
 * goes on the request, where Next reads the nonce and puts it on its own scripts, and on the
 * response, where the browser enforces it. They also must never be stored by a cache.
 * Public pages keep the static site-wide policy of next.config.mjs so they can stay cacheable;
 * see docs/architecture.md ("Decisions"). The matcher stays narrow: this runs on every match.
 */
export function proxy(request: NextRequest) {
  const csp = nonceCsp(newCspNonce(), process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  response.headers.set("cache-control", "private, no-store");
  // Sessions slide on use (the row is renewed when read); so does the browser's cookie, or a
  // member who only reads pages would lose it 30 days after signing in. The row decides validity.
  for (const name of [SECURE_SESSION_COOKIE, PLAIN_SESSION_COOKIE]) {
    const token = request.cookies.get(name)?.value;
    if (token) {
      response.headers.append(
        "set-cookie",
        sessionCookieHeader(name, token, { maxAgeSeconds: SESSION_MAX_AGE_SECONDS }),
      );
    }
  }
  return response;
}

// Literal values only: Next reads the matcher at build time. Prefetches carry no document
// (no scripts to allow), so they skip the proxy.
export const config = {
  matcher: [
    {
      source: "/app/:path*",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
    {
      source: "/coach/:path*",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
    {
      source: "/admin/:path*",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
    {
      source: "/settings/:path*",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
    {
      source: "/dashboard/:path*",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
    {
      source: "/search/:path*",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
    {
      source: "/mailbox/:path*",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
