import { TEST_CARDS } from "./objects";

/**
 * The hosted pages' shared parts. Plain server-rendered HTML forms (no script), labelled inputs,
 * visible focus, AA contrast, and a layout that reads at 360 px. Every page says plainly that
 * it is a simulation and that no payment is real.
 */

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value];
    for (const part of parts) {
      if (part === null || part === undefined || part === false) continue;
      out += part instanceof Html ? part.value : escapeHtml(part);
    }
    out += strings[i + 1]!;
  });
  return new Html(out);
}

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1b1b1f;background:#f4f4f6}
body{margin:0}
.banner{background:#fff4ce;color:#3d2e00;border-bottom:2px solid #8a6d00;padding:.75rem 1rem;text-align:center}
main{max-width:36rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
.card{background:#fff;border:1px solid #c9c9d1;border-radius:.5rem;padding:1rem;margin:1rem 0}
.amount{font-size:1.75rem;font-weight:700;margin:.25rem 0}
.muted{color:#4a4a55}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=text],input[type=email],input[type=number]{display:block;width:100%;font:inherit;padding:.6rem .7rem;border:1px solid #6b6b76;border-radius:.375rem;background:#fff;color:#1b1b1f;min-height:44px}
input[aria-invalid=true]{border-color:#b42318;border-width:2px}
button{font:inherit;font-weight:600;min-height:44px;padding:.6rem 1.1rem;border-radius:.375rem;border:2px solid #3525a8;background:#3525a8;color:#fff;cursor:pointer;margin-top:1rem}
button.secondary{background:#fff;color:#3525a8}
a{color:#3525a8}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.error{color:#a4161a;background:#fdecea;border:1px solid #a4161a;border-radius:.375rem;padding:.6rem .75rem;margin:1rem 0}
.notice{color:#0f5132;background:#e7f6ee;border:1px solid #0f5132;border-radius:.375rem;padding:.6rem .75rem;margin:1rem 0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.95em;white-space:nowrap}
ul.plain{padding-left:1.1rem;margin:.25rem 0}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem .75rem;margin:.5rem 0}
dt{font-weight:600}
dd{margin:0}
table{width:100%;border-collapse:collapse;font-size:.95rem}
th,td{text-align:left;padding:.4rem .3rem;border-bottom:1px solid #d6d6dd;vertical-align:top}
.actions{display:flex;flex-wrap:wrap;gap:.5rem}
.actions form{margin:0}
`;

export function page(title: string, body: Html, status = 200): Response {
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · Simulated Stripe</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<div class="banner" role="note"><strong>Simulated Stripe — no real payment.</strong> This page belongs to this demo's built-in Stripe emulator: no card is charged and no money moves.</div>
<main id="main">
${body}
</main>
</body>
</html>`;
  return new Response(document.value, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-robots-tag": "noindex",
    },
  });
}

export function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}

export function groupDigits(number: string): string {
  return number.replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** A labelled card-number field, its error, and the test cards to try. */
export function cardField(options: {
  error?: string | null;
  value?: string;
  label?: string;
}): Html {
  const error = options.error ?? null;
  return html`<label for="card">${options.label ?? "Card number"}</label>
<input id="card" name="card" type="text" inputmode="numeric" autocomplete="cc-number" required
  value="${options.value ?? groupDigits(TEST_CARDS[0]!.number)}"
  aria-describedby="${error ? "card-error card-help" : "card-help"}"${new Html(error ? ' aria-invalid="true"' : "")}>
${error ? html`<p id="card-error" class="error" role="alert">${error}</p>` : ""}
<div id="card-help" class="muted">
<p>Test cards (the simulator needs only the number):</p>
<ul class="plain">
${TEST_CARDS.filter((c) => c.brand === "visa").map(
  (c) => html`<li><code>${groupDigits(c.number)}</code> ${c.label}</li>`,
)}
</ul>
</div>`;
}

/** Reads a form post (urlencoded or multipart) with a size cap. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await request.formData();
    const params = new URLSearchParams();
    for (const [key, value] of form) if (typeof value === "string") params.append(key, value);
    return params;
  }
  const text = await request.text();
  if (text.length > 64 * 1024) return new URLSearchParams();
  return new URLSearchParams(text);
}
