import { describe, expect, it } from "vitest";
import { normalizeAddress, resolveClientAddress } from "@/server/http/client-address";
import { listenLine, openDemoWarning } from "../../scripts/banner";

const resolve = (
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: number,
) => resolveClientAddress({ socketAddress, forwardedFor, trustedProxies });

describe("resolveClientAddress", () => {
  it("with no trusted proxy uses the socket and ignores X-Forwarded-For entirely", () => {
    expect(resolve("203.0.113.5", undefined, 0)).toBe("203.0.113.5");
    expect(resolve("203.0.113.5", "10.1.2.3", 0)).toBe("203.0.113.5");
    expect(resolve("203.0.113.5", "10.1.2.3, 10.9.9.9", 0)).toBe("203.0.113.5");
    expect(resolve("203.0.113.5", ["1.1.1.1", "2.2.2.2"], 0)).toBe("203.0.113.5");
  });

  it("with one proxy takes the hop that proxy appended, not what the client prepended", () => {
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy (socket 10.0.0.2) appended 198.51.100.7.
    expect(resolve("10.0.0.2", "6.6.6.6, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(resolve("10.0.0.2", "198.51.100.7", 1)).toBe("198.51.100.7");
    // Several X-Forwarded-For headers count as one list, in order.
    expect(resolve("10.0.0.2", ["6.6.6.6", "198.51.100.7"], 1)).toBe("198.51.100.7");
  });

  it("with N proxies takes the N-th hop from the right", () => {
    // client -> CDN (appends client) -> load balancer (appends CDN) -> Kindred
    const chain = "6.6.6.6, 198.51.100.7, 192.0.2.10";
    expect(resolve("10.0.0.2", chain, 2)).toBe("198.51.100.7");
    expect(resolve("10.0.0.2", chain, 1)).toBe("192.0.2.10");
    expect(resolve("10.0.0.2", chain, 3)).toBe("6.6.6.6");
  });

  it("uses the leftmost hop when fewer proxies than configured were passed", () => {
    expect(resolve("10.0.0.2", "198.51.100.7", 3)).toBe("198.51.100.7");
    expect(resolve("203.0.113.5", undefined, 2)).toBe("203.0.113.5");
    expect(resolve("203.0.113.5", "", 1)).toBe("203.0.113.5");
  });

  it("never returns garbage: an unparseable trusted hop falls back to the hop at its right", () => {
    expect(resolve("10.0.0.2", "6.6.6.6, not-an-ip", 1)).toBe("10.0.0.2");
    expect(resolve("10.0.0.2", "<script>, 198.51.100.7", 2)).toBe("198.51.100.7");
    expect(resolve(undefined, undefined, 0)).toBe("unknown");
    expect(resolve(undefined, "junk", 1)).toBe("unknown");
  });

  it("normalises ports, brackets and IPv4-mapped IPv6", () => {
    expect(resolve("::ffff:127.0.0.1", "1.1.1.1", 0)).toBe("127.0.0.1");
    expect(resolve("10.0.0.2", "198.51.100.7:54321", 1)).toBe("198.51.100.7");
    expect(resolve("10.0.0.2", "[2001:DB8::1]:443", 1)).toBe("2001:db8::1");
    expect(normalizeAddress("2001:db8::1")).toBe("2001:db8::1");
    expect(normalizeAddress("example.org")).toBeNull();
    expect(normalizeAddress("")).toBeNull();
  });
});

describe("launcher banner", () => {
  it("prints the loopback address it listens on by default, with no warning", () => {
    const env = { demo: true, host: "127.0.0.1", port: 3000 };
    expect(listenLine(env)).toBe(
      "listening on http://127.0.0.1:3000 (this computer only; HOST changes it)",
    );
    expect(openDemoWarning(env)).toBeNull();
    expect(openDemoWarning({ ...env, host: "::1" })).toBeNull();
  });

  it("warns loudly when a demo listens beyond loopback", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.20"]) {
      const warning = openDemoWarning({ demo: true, host, port: 3000 });
      expect(warning).toMatch(/WARNING: this DEMO listens on/);
      expect(warning).toMatch(/sign in as any demo account, the admin included/);
    }
    expect(listenLine({ host: "0.0.0.0", port: 3000 })).toMatch(/every network interface/);
    expect(listenLine({ host: "::", port: 8080 })).toBe(
      "listening on http://[::]:8080 (every network interface; HOST changes it)",
    );
  });

  it("does not warn for a real deployment that listens on the network", () => {
    expect(openDemoWarning({ demo: false, host: "0.0.0.0", port: 3000 })).toBeNull();
  });
});
