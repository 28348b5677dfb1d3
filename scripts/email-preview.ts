import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { renderEmail } from "@/server/email/render";
import { EMAIL_SAMPLES } from "@/server/email/samples";

/**
 * `npm run email:preview`: renders every email Kindred sends with sample data into
 * `.email-preview/` (HTML to open in a browser, and the plain-text part), plus an index page.
 */
const dir = path.resolve(process.argv[2] ?? ".email-preview");
await mkdir(dir, { recursive: true });
const items: string[] = [];
for (const [name, template] of Object.entries(EMAIL_SAMPLES)) {
  const { subject, html, text } = await renderEmail(template);
  await writeFile(path.join(dir, `${name}.html`), html);
  await writeFile(path.join(dir, `${name}.txt`), `Subject: ${subject}\n\n${text}\n`);
  const escaped = subject.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  items.push(
    `<li><a href="${name}.html">${name}</a>: ${escaped} (<a href="${name}.txt">text</a>)</li>`,
  );
}
await writeFile(
  path.join(dir, "index.html"),
  `<!doctype html><meta charset="utf-8"><title>Kindred emails</title><h1>Kindred emails</h1><ul>${items.join("")}</ul>`,
);
console.log(`${items.length} emails rendered into ${dir} (open index.html)`);
