import { describe, expect, it } from "vitest";
import { linksIn } from "@/lib/email-links";
import { isTimeZone } from "@/lib/time-zone";
import { hashVerificationToken, normalizeEmail, sessionCookieName } from "@/server/auth/tokens";
import { clientIp } from "@/server/trpc/context";

describe("time zones", () => {
  it("knows IANA zones and UTC, and nothing else", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("europe/berlin")).toBe(false);
    expect(isTimeZone("America/Argentina/Buenos_Aires")).toBe(true);
  });
});

describe("linksIn", () => {
  it("finds http(s) links in order, decodes entities and drops duplicates and mailto", () => {
    const html = `<a href="https://x.org/a?b=1&amp;c=2">x</a><a href="mailto:a@b">m</a><a href='y'>y</a><a href="https://x.org/a?b=1&amp;c=2">again</a><a href="http://z.org">z</a>`;
    expect(linksIn(html)).toEqual(["https://x.org/a?b=1&c=2", "http://z.org"]);
    expect(linksIn(null)).toEqual([]);
  });
});

describe("auth tokens", () => {
  it("hashes like next-auth's email callback: sha256(token + secret)", () => {
    // sha256("abcsecret"), computed independently
    expect(hashVerificationToken("abc", "secret")).toBe(
      "a42178b773273f5c9f24387fbea546af537d08b8c06b23631e44878b9ce47f49",
    );
    expect(hashVerificationToken("abc", "secret")).toMatch(/^[0-9a-f]{64}$/);
    expect(hashVerificationToken("abc", "secret")).not.toBe(hashVerificationToken("abc", "other"));
  });

  it("normalises addresses and names the cookie by scheme", () => {
    expect(normalizeEmail("  Ana@Example.ORG ")).toBe("ana@example.org");
    expect(sessionCookieName("https://k.example")).toBe("__Secure-next-auth.session-token");
    expect(sessionCookieName("http://localhost:3000")).toBe("next-auth.session-token");
  });
});

describe("clientIp", () => {
  it("reads only the address Kindred's web server decided, never a forwarded header", () => {
    expect(clientIp(new Headers({ "x-kindred-client-ip": "203.0.113.9" }))).toBe("203.0.113.9");
    expect(
      clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9", "x-real-ip": "6.6.6.7" })),
    ).toBe("unknown");
    expect(clientIp(new Headers())).toBe("unknown");
  });
});
