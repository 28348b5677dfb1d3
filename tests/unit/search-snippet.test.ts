import { describe, expect, it } from "vitest";
import { firstSnippet, likeEscaped, likePattern, snippetOf } from "@/server/search/snippet";

describe("search patterns", () => {
  it("escapes LIKE's wildcards and its escape character", () => {
    expect(likeEscaped("100%")).toBe("100\\%");
    expect(likeEscaped("a_b")).toBe("a\\_b");
    expect(likeEscaped("C:\\t")).toBe("C:\\\\t");
    expect(likePattern("plain words")).toBe("%plain words%");
  });
});

describe("snippets", () => {
  it("finds the match case-insensitively and keeps the text's own case", () => {
    expect(snippetOf("I went Running today", "running")).toEqual({
      before: "I went ",
      match: "Running",
      after: " today",
    });
  });

  it("takes regular-expression characters literally", () => {
    expect(snippetOf("cost (a.b) is 100%", "(a.b)")?.match).toBe("(a.b)");
    expect(snippetOf("axb", "a.b")).toBeNull();
  });

  it("cuts a long text around the match, at word boundaries, with ellipses", () => {
    const words = Array.from({ length: 80 }, (_, i) => `word${i}`);
    const text = [...words.slice(0, 40), "needle", ...words.slice(40)].join(" ");
    const s = snippetOf(text, "needle", 80)!;
    expect(s.match).toBe("needle");
    expect(s.before.startsWith("…")).toBe(true);
    expect(s.after.endsWith("…")).toBe(true);
    const length = s.before.length + s.match.length + s.after.length;
    expect(length).toBeLessThanOrEqual(82);
    expect(s.before.slice(1)).toMatch(/^word\d+ /);
  });

  it("collapses whitespace and says when a text does not hold the query", () => {
    expect(snippetOf("one\n\n  two", "one two")).toEqual({
      before: "",
      match: "one two",
      after: "",
    });
    expect(snippetOf("nothing here", "absent")).toBeNull();
    expect(snippetOf("", "x")).toBeNull();
  });

  it("takes the first labelled text that holds the query", () => {
    expect(
      firstSnippet(
        [
          { label: "Answer", text: "no" },
          { label: "Why", text: "because of a yes" },
        ],
        "yes",
      ),
    ).toEqual({ label: "Why", snippet: { before: "because of a ", match: "yes", after: "" } });
  });
});
