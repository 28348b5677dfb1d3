import { describe, expect, it } from "vitest";
import { prerenderedPath } from "@/server/http/prerendered";

const get = (url: string, headers: Record<string, string> = {}, method = "GET") => ({
  method,
  url,
  headers,
});

describe("prerendered public pages", () => {
  it("serve an anonymous visitor's home and sign-in pages from the build, per flavour", () => {
    expect(prerenderedPath(get("/"), false)).toBe("/prerendered/standard");
    expect(prerenderedPath(get("/signin"), false)).toBe("/prerendered/standard/signin");
    expect(prerenderedPath(get("/signin"), true)).toBe("/prerendered/demo/signin");
    expect(prerenderedPath(get("/", {}, "HEAD"), true)).toBe("/prerendered/demo");
    expect(prerenderedPath(get("/", { cookie: "theme=dark; other=1" }), false)).toBe(
      "/prerendered/standard",
    );
  });

  it("leave alone a visitor with a session cookie, a query, a router request or a POST", () => {
    for (const cookie of [
      "next-auth.session-token=abc",
      "a=1; __Secure-next-auth.session-token=abc",
    ]) {
      expect(prerenderedPath(get("/", { cookie }), false)).toBeNull();
      expect(prerenderedPath(get("/signin", { cookie }), false)).toBeNull();
    }
    expect(prerenderedPath(get("/signin?callbackUrl=%2Fapp"), false)).toBeNull();
    expect(prerenderedPath(get("/signin?signedOut=1"), false)).toBeNull();
    expect(prerenderedPath(get("/?_rsc=1x2y"), false)).toBeNull();
    expect(prerenderedPath(get("/", { rsc: "1" }), false)).toBeNull();
    expect(prerenderedPath(get("/", {}, "POST"), false)).toBeNull();
    expect(prerenderedPath(get("/app"), false)).toBeNull();
    expect(prerenderedPath(get("/signin/check-email"), false)).toBeNull();
  });

  it("are not addressable by their own path", () => {
    expect(prerenderedPath(get("/prerendered/demo"), false)).toBe("/_not-found");
    expect(prerenderedPath(get("/prerendered/standard/signin"), true)).toBe("/_not-found");
    expect(prerenderedPath(get("/prerendered"), false)).toBe("/_not-found");
    expect(prerenderedPath(get("/prerenderedx"), false)).toBeNull();
  });
});
