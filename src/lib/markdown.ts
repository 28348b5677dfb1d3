import MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";

/**
 * Markdown for step bodies, cohort posts and comments, rendered on the server only (no client
 * component imports this file: tests/unit/markdown.test.ts checks it), with markdown-it.
 *
 * Three layers keep the output safe:
 * 1. markdown-it with `html: false`: raw HTML in the source is text, escaped like any other.
 * 2. Our render rules: links only to http(s) and mailto (anything else keeps its text and loses
 *    the link), images only from our own uploads (`/api/uploads/<name>`; any other image becomes
 *    a link to it), and a YouTube or Vimeo address alone on its line becomes a privacy-friendly
 *    embed (youtube-nocookie.com, player.vimeo.com with dnt=1) when the caller allows media.
 * 3. An allow-list pass over the finished HTML (`allowListed`): every tag and attribute must be
 *    one this renderer emits, every href / src must pass the same checks again; anything else is
 *    dropped. Should a future markdown-it or plugin emit something new, it is removed, not trusted.
 *
 * Headings are shifted one level down (# is h2): the page's h1 is the step's or post's title.
 */

export type MarkdownOptions = {
  /**
   * Uploaded images and video embeds (step bodies, written by the program's coach). Off for text
   * members write to each other (cohort posts and comments): an embed there would make every
   * reader's browser call a video site because someone pasted a link.
   */
  media?: boolean;
};

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const SAFE_LINK = /^(?:https?:\/\/[^\s"<>]+|mailto:[^\s"<>]+)$/i;
/** Our own uploads only (src/server/uploads/images.ts names them). */
const UPLOAD_IMAGE = /^\/api\/uploads\/[a-f0-9]{32}\.(?:png|jpg|webp)$/;
const REL = "noopener noreferrer nofollow";

const isSafeLink = (href: string) => SAFE_LINK.test(href);

// ─── Video embeds ────────────────────────────────────────────────────────────────────────

export type Embed = { provider: "YouTube" | "Vimeo"; src: string };

const YOUTUBE_HOSTS = new Set(["youtube.com", "www.youtube.com", "m.youtube.com"]);
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const VIMEO_HOSTS = new Set(["vimeo.com", "www.vimeo.com", "player.vimeo.com"]);

/** "90", "90s", "1m30s", "1h2m3s" as seconds; anything else null. */
function seconds(value: string | null): number | null {
  if (!value) return null;
  const m = /^(?:(\d{1,2})h)?(?:(\d{1,3})m)?(?:(\d{1,5})s?)?$/.exec(value);
  if (!m || !value.trim()) return null;
  const total = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return total > 0 ? total : null;
}

/**
 * The embed for a YouTube or Vimeo video address, or null. Hosts are compared exactly (so
 * youtube.com.evil.example or evil-youtube.com are not videos), ids must have the provider's
 * shape, and the embed address is built from those parts alone: nothing else of the source
 * reaches the iframe.
 */
export function videoEmbed(address: string): Embed | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || url.port) return null;
  const host = url.hostname.toLowerCase();
  const parts = url.pathname.split("/").filter(Boolean);

  let youtubeId: string | null = null;
  if (host === "youtu.be" && parts.length === 1) youtubeId = parts[0]!;
  else if (YOUTUBE_HOSTS.has(host)) {
    if (parts.length === 1 && parts[0] === "watch") youtubeId = url.searchParams.get("v");
    else if (parts.length === 2 && ["embed", "shorts", "live"].includes(parts[0]!))
      youtubeId = parts[1]!;
  } else if (host === "www.youtube-nocookie.com" || host === "youtube-nocookie.com") {
    if (parts.length === 2 && parts[0] === "embed") youtubeId = parts[1]!;
  }
  if (youtubeId !== null) {
    if (!YOUTUBE_ID.test(youtubeId)) return null;
    const start = seconds(url.searchParams.get("t") ?? url.searchParams.get("start"));
    return {
      provider: "YouTube",
      src: `https://www.youtube-nocookie.com/embed/${youtubeId}${start ? `?start=${start}` : ""}`,
    };
  }

  if (VIMEO_HOSTS.has(host)) {
    // vimeo.com/123, vimeo.com/123/abcdef (unlisted), player.vimeo.com/video/123?h=abcdef
    const path = host === "player.vimeo.com" ? (parts[0] === "video" ? parts.slice(1) : []) : parts;
    const id = path[0];
    if (!id || !/^\d{1,12}$/.test(id) || path.length > 2) return null;
    const hash = path[1] ?? url.searchParams.get("h");
    if (hash !== null && hash !== undefined && !/^[a-f0-9]{6,20}$/.test(hash)) return null;
    return {
      provider: "Vimeo",
      src: `https://player.vimeo.com/video/${id}?dnt=1${hash ? `&h=${hash}` : ""}`,
    };
  }
  return null;
}

/** The origins embeds load from: the CSPs' frame-src lists exactly these. */
export const EMBED_ORIGINS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"];

const EMBED_SRC =
  /^https:\/\/(?:www\.youtube-nocookie\.com\/embed\/[A-Za-z0-9_-]{11}(?:\?start=\d+)?|player\.vimeo\.com\/video\/\d{1,12}\?dnt=1(?:&amp;h=[a-f0-9]{6,20})?)$/;

function embedHtml(embed: Embed, title: string, original: string): string {
  // Tight as the players allow: their scripts run in their own origin; popups for "watch on …"
  // links; presentation for casting. No top navigation, no forms, no downloads.
  return [
    '<figure class="embed">',
    `<iframe src="${escapeHtml(embed.src)}" title="${escapeHtml(title)}" loading="lazy"`,
    ' sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"',
    ' allow="fullscreen; picture-in-picture; encrypted-media"',
    ' referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>',
    `<figcaption><a href="${escapeHtml(original)}" rel="${REL}">Open on ${embed.provider}</a></figcaption>`,
    "</figure>\n",
  ].join("");
}

type Line = { tokens: Token[]; brk: Token | null };

/** A line that is only a video address (bare, <autolinked> or [a title](address)), or null. */
function lineVideo(line: Token[]): { embed: Embed; title: string; address: string } | null {
  const kids = line.filter((t) => !(t.type === "text" && !t.content.trim()));
  let address: string | null = null;
  let title = "";
  if (kids.length === 1 && kids[0]!.type === "text") address = kids[0]!.content.trim();
  else if (
    kids.length === 3 &&
    kids[0]!.type === "link_open" &&
    kids[1]!.type === "text" &&
    kids[2]!.type === "link_close"
  ) {
    address = kids[0]!.attrGet("href");
    title = kids[0]!.markup === "autolink" ? "" : kids[1]!.content.trim();
  }
  if (!address || /\s/.test(address)) return null;
  const embed = videoEmbed(address);
  return embed ? { embed, title, address } : null;
}

/**
 * A YouTube or Vimeo address alone on its line becomes an embed, splitting its paragraph around
 * it; a link's text is the iframe's title, otherwise "YouTube video", "YouTube video 2" and so on.
 */
function embedVideos(tokens: Token[], TokenClass: typeof Token): void {
  const counts: Record<string, number> = {};
  for (let i = 0; i + 2 < tokens.length; i++) {
    const open = tokens[i]!;
    const inline = tokens[i + 1]!;
    if (open.type !== "paragraph_open" || inline.type !== "inline" || !inline.children) continue;
    const lines: Line[] = [{ tokens: [], brk: null }];
    for (const t of inline.children) {
      if (t.type === "softbreak" || t.type === "hardbreak") {
        lines.at(-1)!.brk = t;
        lines.push({ tokens: [], brk: null });
      } else lines.at(-1)!.tokens.push(t);
    }
    const videos = lines.map((l) => lineVideo(l.tokens));
    if (!videos.some(Boolean)) continue;

    const out: Token[] = [];
    let text: Token[] = [];
    const flush = () => {
      while (text.length && /break$/.test(text.at(-1)!.type)) text.pop();
      if (!text.length) return;
      const p = new TokenClass("paragraph_open", "p", 1);
      p.block = true;
      p.hidden = open.hidden;
      const body = new TokenClass("inline", "", 0);
      body.children = text;
      body.content = "";
      const close = new TokenClass("paragraph_close", "p", -1);
      close.block = true;
      close.hidden = open.hidden;
      out.push(p, body, close);
      text = [];
    };
    lines.forEach((line, n) => {
      const video = videos[n];
      if (!video) {
        text.push(...line.tokens);
        if (line.brk) text.push(line.brk);
        return;
      }
      flush();
      counts[video.embed.provider] = (counts[video.embed.provider] ?? 0) + 1;
      const count = counts[video.embed.provider]!;
      const block = new TokenClass("html_block", "", 0);
      block.block = true;
      block.content = embedHtml(
        video.embed,
        video.title || `${video.embed.provider} video${count > 1 ? ` ${count}` : ""}`,
        video.address,
      );
      out.push(block);
    });
    flush();
    tokens.splice(i, 3, ...out);
    i += out.length - 1;
  }
}

// ─── The renderer ────────────────────────────────────────────────────────────────────────

function build(media: boolean): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true });
  md.disable(["table"]);
  // Every address is judged by the render rules below (which keep a bad link's text).
  md.validateLink = () => true;

  md.renderer.rules.heading_open = (tokens, i) => `<h${headingLevel(tokens[i]!.tag)}>`;
  md.renderer.rules.heading_close = (tokens, i) => `</h${headingLevel(tokens[i]!.tag)}>\n`;

  // A link to an unsafe address renders its text without the link (open and close both skip).
  md.renderer.rules.link_open = (tokens, i) => {
    const href = tokens[i]!.attrGet("href") ?? "";
    if (!isSafeLink(href)) {
      tokens[i]!.meta = { dropped: true };
      closingOf(tokens, i).meta = { dropped: true };
      return "";
    }
    return `<a href="${escapeHtml(href)}" rel="${REL}">`;
  };
  md.renderer.rules.link_close = (tokens, i) => (tokens[i]!.meta?.dropped ? "" : "</a>");

  md.renderer.rules.image = (tokens, i, options, env, self) => {
    const token = tokens[i]!;
    const src = token.attrGet("src") ?? "";
    const alt = self.renderInlineAsText(token.children ?? [], options, env);
    if (media && UPLOAD_IMAGE.test(src))
      return `<img src="${src}" alt="${escapeHtml(alt)}" loading="lazy" decoding="async">`;
    // Outside images would let a body track its readers (and the CSP's img-src is 'self').
    if (isSafeLink(src))
      return `<a href="${escapeHtml(src)}" rel="${REL}">${escapeHtml(alt || "Image")}</a>`;
    return escapeHtml(alt);
  };

  if (media) {
    md.core.ruler.push("video_embeds", (state) => embedVideos(state.tokens, state.Token));
  }
  return md;
}

function headingLevel(tag: string): number {
  return Math.min(Number(tag.slice(1)) + 1, 6);
}

/** The link_close that ends the link_open at `open` (links do not nest). */
function closingOf(tokens: Token[], open: number): Token {
  for (let j = open + 1; j < tokens.length; j++)
    if (tokens[j]!.type === "link_close") return tokens[j]!;
  return tokens[open]!;
}

const withMedia = build(true);
const withoutMedia = build(false);

// ─── The allow-list pass ─────────────────────────────────────────────────────────────────

const PLAIN = new Set([
  "p",
  "br",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "blockquote",
  "strong",
  "em",
  "s",
  "code",
  "pre",
  "hr",
  "figcaption",
]);
const WITH_ATTRS: Record<string, Record<string, (value: string) => boolean>> = {
  a: { href: (v) => isSafeLink(v.replace(/&amp;/g, "&")), rel: (v) => v === REL },
  img: {
    src: (v) => UPLOAD_IMAGE.test(v),
    alt: () => true,
    loading: (v) => v === "lazy",
    decoding: (v) => v === "async",
  },
  ol: { start: (v) => /^\d{1,9}$/.test(v) },
  code: { class: (v) => /^language-[\w-]{1,40}$/.test(v) },
  figure: { class: (v) => v === "embed" },
  iframe: {
    src: (v) => EMBED_SRC.test(v),
    title: (v) => v.length > 0,
    loading: (v) => v === "lazy",
    sandbox: (v) => v === "allow-scripts allow-same-origin allow-popups allow-presentation",
    allow: (v) => v === "fullscreen; picture-in-picture; encrypted-media",
    referrerpolicy: (v) => v === "strict-origin-when-cross-origin",
    allowfullscreen: (v) => v === "",
  },
};
const MEDIA_TAGS = new Set(["img", "iframe", "figure", "figcaption"]);

/**
 * Keeps only the tags and attributes this renderer emits (checking each value), dropping any
 * other tag whole. Text between tags is already escaped by markdown-it; a stray "<" or ">" in it
 * would mean something went wrong, so it is escaped again.
 */
export function allowListed(html: string, media: boolean): string {
  return html.replace(
    /<(\/?)([a-z][a-z0-9]*)((?:\s[^<>]*)?)>|[<>]/g,
    (whole, slash, name, rest) => {
      if (whole === "<" || whole === ">") return escapeHtml(whole);
      const tag = (name as string).toLowerCase();
      if (!media && MEDIA_TAGS.has(tag)) return "";
      if (slash) return PLAIN.has(tag) || tag in WITH_ATTRS ? `</${tag}>` : "";
      const rules = WITH_ATTRS[tag];
      if (!rules) return PLAIN.has(tag) && !(rest as string).trim() ? `<${tag}>` : "";
      const attrs: string[] = [];
      const re = /\s+([a-z-]+)(?:="([^"]*)")?/gy;
      const text = (rest as string).replace(/\s*\/$/, "");
      let m: RegExpExecArray | null = re.exec(text);
      let end = 0;
      while (m) {
        const [, attr, value = ""] = m;
        const check = rules[attr!];
        if (!check?.(value)) return "";
        attrs.push(m[2] === undefined ? ` ${attr}` : ` ${attr}="${value}"`);
        end = re.lastIndex;
        m = re.exec(text);
      }
      if (text.slice(end).trim()) return "";
      if (tag === "iframe" && !attrs.some((a) => a.startsWith(" src="))) return "";
      return `<${tag}${attrs.join("")}>`;
    },
  );
}

/** Markdown to safe HTML (see the top of this file); "" for a blank source. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  const media = options.media ?? false;
  const html = (media ? withMedia : withoutMedia).render(source.replace(/\r\n?/g, "\n"));
  return allowListed(html, media).trim();
}

/** A step body: Markdown with uploaded images and video embeds. */
export function renderStepBody(source: string): string {
  return renderMarkdown(source, { media: true });
}
