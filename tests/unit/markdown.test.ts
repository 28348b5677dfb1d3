import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/lib/markdown";

describe("renderMarkdown", () => {
  it("renders the supported subset", () => {
    const html = renderMarkdown(
      "# Start\n\nSome **bold** and *soft* `code`.\nNext line\n\n- one\n- two\n\n1. first\n\n> quoted\n\n[site](https://kindred.example)",
    );
    expect(html).toBe(
      [
        "<h2>Start</h2>",
        "<p>Some <strong>bold</strong> and <em>soft</em> <code>code</code>.<br>Next line</p>",
        "<ul><li>one</li><li>two</li></ul>",
        "<ol><li>first</li></ol>",
        "<blockquote><p>quoted</p></blockquote>",
        '<p><a href="https://kindred.example" rel="noopener noreferrer nofollow">site</a></p>',
      ].join("\n"),
    );
  });

  it("never lets HTML, scripts or dangerous links through", () => {
    const attacks = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      "[click](javascript:alert(1))",
      "[x](data:text/html;base64,PHNjcmlwdD4=)",
      '<a href="https://ok" onclick="x()">a</a>',
      "**<iframe src=//evil>**",
    ];
    for (const attack of attacks) {
      const html = renderMarkdown(attack);
      expect(html).not.toMatch(/<(script|img|iframe|a href="javascript|a href="data)/i);
      expect(html).not.toMatch(/<[a-z]+[^>]*\son[a-z]+=/i);
    }
    expect(renderMarkdown("[click](javascript:void)")).toBe("<p>click</p>");
    expect(renderMarkdown("<b>x</b>")).toBe("<p>&lt;b&gt;x&lt;/b&gt;</p>");
  });

  it("survives malformed input", () => {
    expect(renderMarkdown("**unclosed *mixed [link](")).toContain("<p>");
    expect(renderMarkdown("")).toBe("");
    expect(renderMarkdown("\n\n\n")).toBe("");
  });
});
