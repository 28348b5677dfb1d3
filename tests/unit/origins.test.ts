import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";
import {
  allowedOrigins,
  originListProblems,
  requestOrigin,
  returnPathOnAny,
} from "@/server/http/origins";

const headers = (values: Record<string, string>) => new Headers(values);

describe("allowed origins", () => {
  it("adds the other loopback names of a local APP_URL, on its port and scheme", () => {
    expect(allowedOrigins("http://localhost:3000")).toEqual([
      "http://localhost:3000",
      "http://127.0.0.1:3000",
      "http://[::1]:3000",
    ]);
    expect(allowedOrigins("http://127.0.0.1:8080/")).toEqual([
      "http://127.0.0.1:8080",
      "http://localhost:8080",
      "http://[::1]:8080",
    ]);
  });

  it("adds nothing for a public APP_URL but the listed origins of its scheme", () => {
    expect(allowedOrigins("https://kindred.example.org")).toEqual(["https://kindred.example.org"]);
    expect(
      allowedOrigins(
        "https://kindred.example.org",
        " https://www.kindred.example.org/ , http://plain.example.org,nonsense",
      ),
    ).toEqual(["https://kindred.example.org", "https://www.kindred.example.org"]);
  });

  it("explains what is wrong with APP_ORIGINS, and the settings refuse it", () => {
    expect(
      originListProblems("https://a.example.org, https://b.example.org/", "https://x.org"),
    ).toEqual([]);
    const problems = originListProblems(
      "ftp://files.example.org, http://plain.example.org, https://a.example.org/path, nope",
      "https://x.org",
    );
    expect(problems).toHaveLength(4);
    expect(problems[1]).toContain("must use https like APP_URL");
    expect(problems[2]).toContain("without a path");
    expect(() =>
      parseEnv({
        DATABASE_URL: "postgres://x",
        NODE_ENV: "test",
        APP_URL: "https://x.org",
        APP_ORIGINS: "http://plain.example.org",
      }),
    ).toThrow(/APP_ORIGINS/);
  });
});

describe("the origin a request came through", () => {
  const local = { appUrl: "http://localhost:3000", trustedProxies: 0 } as const;
  const config = { ...local, origins: allowedOrigins(local.appUrl) };

  it("is the Host when it is allowed, APP_URL's otherwise", () => {
    expect(requestOrigin(headers({ host: "127.0.0.1:3000" }), config)).toBe(
      "http://127.0.0.1:3000",
    );
    expect(requestOrigin(headers({ host: "LOCALHOST:3000" }), config)).toBe(
      "http://localhost:3000",
    );
    for (const host of ["evil.example", "127.0.0.1:3001", "localhost:3000@evil.example", ""]) {
      expect(requestOrigin(headers({ host }), config), host).toBe("http://localhost:3000");
    }
    expect(requestOrigin(headers({}), config)).toBe("http://localhost:3000");
  });

  it("believes X-Forwarded-Host only behind a trusted proxy, and only when allowed", () => {
    const forwarded = headers({ host: "10.0.0.5:3000", "x-forwarded-host": "127.0.0.1:3000" });
    expect(requestOrigin(forwarded, config)).toBe("http://localhost:3000");
    expect(requestOrigin(forwarded, { ...config, trustedProxies: 1 })).toBe(
      "http://127.0.0.1:3000",
    );
    const forged = headers({ host: "127.0.0.1:3000", "x-forwarded-host": "evil.example" });
    expect(requestOrigin(forged, { ...config, trustedProxies: 1 })).toBe("http://127.0.0.1:3000");
  });
});

describe("a return address on any allowed origin", () => {
  const origins = allowedOrigins("http://localhost:3000");
  it("keeps the page of a link issued on another allowed origin", () => {
    expect(returnPathOnAny("http://127.0.0.1:3000/app/journal?x=1", origins)).toBe(
      "/app/journal?x=1",
    );
    expect(returnPathOnAny("/app", origins)).toBe("/app");
  });
  it("refuses anything off the list", () => {
    for (const value of ["http://evil.example/app", "//evil.example", "/\\evil.example", 42]) {
      expect(returnPathOnAny(value, origins)).toBeNull();
    }
  });
});
