import { describe, expect, it } from "vitest";
import { returnPathOr, safeReturnPath } from "@/lib/return-path";

const ORIGIN = "http://localhost:3000";
const safe = (value: unknown) => safeReturnPath(value, ORIGIN);

describe("safeReturnPath", () => {
  it("keeps paths of this site, with their query and hash", () => {
    expect(safe("/app")).toBe("/app");
    expect(safe("/app/journal?q=a%20b&x=1#pass-2")).toBe("/app/journal?q=a%20b&x=1#pass-2");
    expect(safe("/")).toBe("/");
    expect(safe("/app/programs/community-on-purpose/steps/abc")).toBe(
      "/app/programs/community-on-purpose/steps/abc",
    );
    // A query may carry an encoded slash or backslash: only the path decides where we go.
    expect(safe("/admin?q=a%5Cb")).toBe("/admin?q=a%5Cb");
    expect(safe("/admin?next=//evil.example")).toBe("/admin?next=//evil.example");
    // Dot segments resolve on this site.
    expect(safe("/app/../coach")).toBe("/coach");
  });

  it("accepts an absolute URL on this very origin (what emailed links carry), as a path", () => {
    expect(safe("http://localhost:3000/dashboard")).toBe("/dashboard");
    expect(safe("http://localhost:3000")).toBe("/");
    expect(safe("http://localhost:3000/app?x=1")).toBe("/app?x=1");
  });

  const offSite = [
    // backslash variants: browsers treat "\" like "/"
    "/\\evil.example",
    "/\\\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    // encoded backslash and slashes, in case something decodes twice
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%255Cevil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "/%252F%252Fevil.example",
    // tab, newline, NUL and friends are dropped by URL parsers, joining "/" and "/"
    "/\t/evil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "/%0a/evil.example",
    "/\r\n/evil.example",
    "/\u0000/evil.example",
    "/%00/evil.example",
    "/\u007f/evil.example",
    "/\u0085/evil.example",
    // protocol-relative and absolute URLs elsewhere
    "//evil.example",
    "///evil.example",
    "//evil.example/app",
    "https://evil.example",
    "http://evil.example/",
    "http://localhost:3000@evil.example",
    "http://localhost:3000.evil.example/",
    "https://localhost:3000/app",
    "http://localhost:3001/app",
    "http:evil.example",
    "http:/evil.example",
    // dot segments that collapse into "//"
    "/.//evil.example",
    "/..//evil.example",
    "/a/..//evil.example",
    // scripts and other schemes
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript%3Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    // not a path at all
    "app",
    "evil.example",
    "",
    " /app",
    "?/app",
    "#/app",
  ];

  it.each(offSite)("refuses %j", (value) => {
    expect(safe(value)).toBeNull();
  });

  it("refuses what is not a string, too long, or malformed", () => {
    for (const value of [undefined, null, 42, ["/app"], { toString: () => "/app" }]) {
      expect(safe(value)).toBeNull();
    }
    expect(safe(`/${"a".repeat(2048)}`)).toBeNull();
    expect(safe("/%E0%A4%A")).toBeNull();
  });

  it("falls back when refused", () => {
    expect(returnPathOr("/\\evil.example", "/dashboard", ORIGIN)).toBe("/dashboard");
    expect(returnPathOr("/app", "/dashboard", ORIGIN)).toBe("/app");
    expect(returnPathOr(undefined, "/dashboard")).toBe("/dashboard");
    expect(returnPathOr(`${ORIGIN}/app`, "/dashboard", ORIGIN)).toBe("/app");
  });

  it("accepts paths only when no origin is given", () => {
    expect(safeReturnPath("/app?x=1")).toBe("/app?x=1");
    expect(safeReturnPath("http://kindred.invalid/app")).toBeNull();
    expect(safeReturnPath(`${ORIGIN}/app`)).toBeNull();
    expect(safeReturnPath("/\\evil.example")).toBeNull();
  });

  it("works the same for an https origin with a non-default port", () => {
    const origin = "https://kindred.example.org:8443";
    expect(safeReturnPath("https://kindred.example.org:8443/app", origin)).toBe("/app");
    expect(safeReturnPath("https://kindred.example.org/app", origin)).toBeNull();
    expect(safeReturnPath("/\\kindred.example.org", origin)).toBeNull();
  });
});
