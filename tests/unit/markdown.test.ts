import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allowListed, renderMarkdown, renderStepBody, videoEmbed } from "@/lib/markdown";

const UPLOAD = "/api/uploads/0123456789abcdef0123456789abcdef.png";
const YT = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ";

/** Every dangerous shape: no script, no event handler, no javascript:/data: address. */
function expectHarmless(html: string) {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<[a-z]+[^>]*\son[a-z]+\s*=/i);
  expect(html).not.toMatch(/<[a-z]+[^>]*\s(href|src)="\s*(javascript|data|vbscript):/i);
  expect(html).not.toMatch(/<(object|embed|style|svg|math|form|input|base|meta|link)\b/i);
  // Iframes only for our two embed origins.
  for (const m of html.matchAll(/<iframe[^>]*\ssrc="([^"]*)"/g))
    expect(m[1]).toMatch(/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//);
  expect(html.match(/<iframe/g)?.length ?? 0).toBe(html.match(/<iframe[^>]*\ssrc="/g)?.length ?? 0);
}

describe("renderMarkdown", () => {
  it("renders the everyday subset", () => {
    const html = renderMarkdown(
      "# Start\n\nSome **bold** and *soft* `code`.\nNext line\n\n- one\n- two\n\n1. first\n\n> quoted\n\n[site](https://kindred.example)",
    );
    expect(html).toBe(
      [
        "<h2>Start</h2>",
        "<p>Some <strong>bold</strong> and <em>soft</em> <code>code</code>.<br>",
        "Next line</p>",
        "<ul>",
        "<li>one</li>",
        "<li>two</li>",
        "</ul>",
        "<ol>",
        "<li>first</li>",
        "</ol>",
        "<blockquote>",
        "<p>quoted</p>",
        "</blockquote>",
        '<p><a href="https://kindred.example" rel="noopener noreferrer nofollow">site</a></p>',
      ].join("\n"),
    );
  });

  it("shifts headings one level down (the page's h1 is the title) and nests lists", () => {
    expect(renderMarkdown("# A\n## B\n### C\n###### F")).toBe(
      "<h2>A</h2>\n<h3>B</h3>\n<h4>C</h4>\n<h6>F</h6>",
    );
    const html = renderMarkdown("- one\n  - inner\n- two\n\n3. third\n4. fourth");
    expect(html).toContain("<li>one\n<ul>\n<li>inner</li>\n</ul>\n</li>");
    expect(html).toContain('<ol start="3">');
  });

  it("never lets HTML, scripts or dangerous links through", () => {
    const attacks = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      "[click](javascript:alert(1))",
      "[click](JaVaScRiPt:alert(1))",
      "[click](java\tscript:alert(1))",
      "[click](&#106;avascript:alert(1))",
      "[x](data:text/html;base64,PHNjcmlwdD4=)",
      "![x](data:image/svg+xml;base64,PHN2Zz4=)",
      "![x](javascript:alert(1))",
      '![x" onerror="alert(1)](https://example.org/a.png)',
      '[x](https://ok.example "title\\" onmouseover=alert(1)")',
      "<javascript:alert(1)>",
      '<a href="https://ok" onclick="x()">a</a>',
      "**<iframe src=//evil>**",
      '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>',
      "```html\n<script>alert(1)</script>\n```",
      "<svg><script>alert(1)</script></svg>",
      "<style>body{display:none}</style>",
      "[a](vbscript:msgbox(1))",
      "<<script>script>alert(1)<</script>/script>",
    ];
    for (const attack of attacks) {
      for (const html of [renderMarkdown(attack), renderStepBody(attack)]) {
        expectHarmless(html);
        expect(html).not.toMatch(/<(img|iframe)[^>]*src="(?!\/api\/uploads\/|https:\/\/)/);
      }
    }
    expect(renderMarkdown("[click](javascript:void)")).toBe("<p>click</p>");
    expect(renderMarkdown("<b>x</b>")).toBe("<p>&lt;b&gt;x&lt;/b&gt;</p>");
    expect(renderMarkdown("<script>alert(1)</script>")).toBe(
      "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
    );
    // An HTML iframe typed into a body stays text, even where embeds are on.
    expect(renderStepBody('<iframe src="https://evil.example"></iframe>')).not.toContain("<iframe");
  });

  it("links only to http(s) and mailto, with rel on every link", () => {
    expect(renderMarkdown("[mail](mailto:coach@example.org)")).toBe(
      '<p><a href="mailto:coach@example.org" rel="noopener noreferrer nofollow">mail</a></p>',
    );
    expect(renderMarkdown("<https://example.org/a?b=1&c=2>")).toBe(
      '<p><a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">https://example.org/a?b=1&amp;c=2</a></p>',
    );
    expect(renderMarkdown("[here](/app/programs)")).toBe("<p>here</p>");
    expect(renderMarkdown("[ftp](ftp://example.org/x)")).toBe("<p>ftp</p>");
    // A bare address stays text (no surprise links), as before.
    expect(renderMarkdown("see https://example.org")).toBe("<p>see https://example.org</p>");
  });

  it("shows images from our own uploads only, and only where media is on", () => {
    expect(renderStepBody(`![A calm lake](${UPLOAD})`)).toBe(
      `<p><img src="${UPLOAD}" alt="A calm lake" loading="lazy" decoding="async"></p>`,
    );
    // Outside images become a link (no tracking pixels; the CSP's img-src is 'self').
    expect(renderStepBody("![Chart](https://example.org/chart.png)")).toBe(
      '<p><a href="https://example.org/chart.png" rel="noopener noreferrer nofollow">Chart</a></p>',
    );
    expect(renderStepBody("![](/api/uploads/../../etc/passwd)")).toBe("<p></p>");
    expect(renderStepBody("![x](/api/uploads/0123.png)")).toBe("<p>x</p>");
    // Member-written text (cohort posts) gets no images at all.
    expect(renderMarkdown(`![lake](${UPLOAD})`)).toBe("<p>lake</p>");
  });

  it("survives malformed input", () => {
    expect(renderMarkdown("**unclosed *mixed [link](")).toContain("<p>");
    expect(renderMarkdown("")).toBe("");
    expect(renderMarkdown("\n\n\n")).toBe("");
    expect(renderMarkdown("a\r\nb")).toBe("<p>a<br>\nb</p>");
  });
});

describe("video embeds", () => {
  it("turns a YouTube address alone on its line into a privacy-friendly embed", () => {
    const html = renderStepBody(
      "Watch this:\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\nThen write.",
    );
    expect(html).toBe(
      [
        "<p>Watch this:</p>",
        '<figure class="embed">' +
          `<iframe src="${YT}" title="YouTube video" loading="lazy"` +
          ' sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"' +
          ' allow="fullscreen; picture-in-picture; encrypted-media"' +
          ' referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>' +
          '<figcaption><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" rel="noopener noreferrer nofollow">Open on YouTube</a></figcaption>' +
          "</figure>",
        "<p>Then write.</p>",
      ].join("\n"),
    );
    expectHarmless(html);
  });

  it("reads the usual address shapes, start times and a link's title", () => {
    const src = (md: string) => /<iframe src="([^"]+)"/.exec(renderStepBody(md))?.[1];
    expect(src("https://youtu.be/dQw4w9WgXcQ?t=90")).toBe(`${YT}?start=90`);
    expect(src("https://youtube.com/shorts/dQw4w9WgXcQ")).toBe(YT);
    expect(src("https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s")).toBe(`${YT}?start=90`);
    expect(src("<https://www.youtube.com/embed/dQw4w9WgXcQ>")).toBe(YT);
    expect(src("https://vimeo.com/76979871")).toBe("https://player.vimeo.com/video/76979871?dnt=1");
    expect(src("https://vimeo.com/76979871/abc123def0")).toBe(
      "https://player.vimeo.com/video/76979871?dnt=1&amp;h=abc123def0",
    );
    expect(src("https://player.vimeo.com/video/76979871?h=abc123def0")).toBe(
      "https://player.vimeo.com/video/76979871?dnt=1&amp;h=abc123def0",
    );
    const titled = renderStepBody("[Breathing together](https://youtu.be/dQw4w9WgXcQ)");
    expect(titled).toContain('title="Breathing together"');
    const two = renderStepBody("https://youtu.be/dQw4w9WgXcQ\n\nhttps://youtu.be/aaaaaaaaaaa");
    expect(two).toContain('title="YouTube video"');
    expect(two).toContain('title="YouTube video 2"');
  });

  it("ignores look-alikes, inline mentions and bad ids", () => {
    const notVideos = [
      "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
      "https://evil-youtube.com/watch?v=dQw4w9WgXcQ",
      "https://www.youtube.com.evil.example/embed/dQw4w9WgXcQ",
      "https://youtu.be.evil.example/dQw4w9WgXcQ",
      "https://vimeo.com.evil.example/76979871",
      "https://evil.example/?https://youtu.be/dQw4w9WgXcQ",
      "https://user:pass@youtube.com/watch?v=dQw4w9WgXcQ",
      "https://youtube.com:8443/watch?v=dQw4w9WgXcQ",
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload%3D",
      'https://www.youtube.com/watch?v="><script>alert(1)</script>',
      "https://youtu.be/short",
      "https://vimeo.com/76979871/../../evil",
      "https://vimeo.com/channels/staffpicks",
      "javascript://youtube.com/%0Aalert(1)",
      "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
    ];
    for (const address of notVideos) {
      expect(videoEmbed(address), address).toBeNull();
      const html = renderStepBody(address);
      expect(html, address).not.toContain("<iframe");
      expectHarmless(html);
    }
    // Mentioned inside a sentence: stays text.
    expect(renderStepBody("see https://youtu.be/dQw4w9WgXcQ here")).not.toContain("<iframe");
    // In a code block: stays code.
    expect(renderStepBody("```\nhttps://youtu.be/dQw4w9WgXcQ\n```")).not.toContain("<iframe");
    // Member-written text never embeds.
    expect(renderMarkdown("https://youtu.be/dQw4w9WgXcQ")).toBe(
      "<p>https://youtu.be/dQw4w9WgXcQ</p>",
    );
  });
});

describe("the allow-list pass", () => {
  it("drops any tag or attribute the renderer does not emit", () => {
    expect(allowListed('<p onclick="x()">a</p>', true)).toBe("a</p>");
    expect(allowListed("<script>alert(1)</script>", true)).toBe("alert(1)");
    expect(
      allowListed('<a href="javascript:alert(1)" rel="noopener noreferrer nofollow">x</a>', true),
    ).toBe("x</a>");
    expect(
      allowListed('<iframe src="https://evil.example/" title="x" loading="lazy"></iframe>', true),
    ).toBe("</iframe>");
    expect(
      allowListed(`<img src="${UPLOAD}" alt="a" loading="lazy" decoding="async">`, false),
    ).toBe("");
    expect(allowListed("a < b > c", true)).toBe("a &lt; b &gt; c");
  });
});

describe("where Markdown renders", () => {
  it("is never imported by a client component (it stays out of the browser's bundles)", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) {
          if (name !== "generated") walk(file);
        } else if (/\.tsx?$/.test(name)) {
          const text = readFileSync(file, "utf8");
          if (/^["']use client["']/m.test(text) && text.includes("@/lib/markdown"))
            offenders.push(file);
        }
      }
    };
    walk(path.resolve(import.meta.dirname, "../../src"));
    expect(offenders).toEqual([]);
  });
});
