import { readFile } from "node:fs/promises";
import { chromium } from "@playwright/test";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "./chromium";

/**
 * Renders the PNG icons of public/ from public/icon.svg in Debian's Chromium (no image package
 * needed): `node --import tsx scripts/render-icons.ts`. Run it again after changing the SVG and
 * commit the PNGs. The maskable and Apple variants are full-bleed squares (the platform rounds
 * or masks them) with the mark shrunk into the safe zone.
 */
const svg = await readFile("public/icon.svg", "utf8");
const mark = svg.match(/<g[\s\S]*<\/g>/)?.[0];
if (!mark) throw new Error("public/icon.svg has no <g> mark");

// The mark is centred on (256, 264); a maskable icon keeps it inside the central 80 % circle.
const square = (scale: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="#2f6b5e"/><g transform="translate(256 256) scale(${scale}) translate(-256 -264)">${mark}</g></svg>`;

const outputs: { file: string; size: number; source: string }[] = [
  { file: "public/icon-192.png", size: 192, source: svg },
  { file: "public/icon-512.png", size: 512, source: svg },
  { file: "public/icon-maskable-512.png", size: 512, source: square(0.7) },
  { file: "public/apple-touch-icon.png", size: 180, source: square(0.85) },
];

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
try {
  for (const { file, size, source } of outputs) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const sized = source.replace("<svg ", `<svg width="${size}" height="${size}" `);
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${sized}</body></html>`,
    );
    await page.screenshot({ path: file, omitBackground: true });
    await page.close();
    console.log(`wrote ${file} (${size}px)`);
  }
} finally {
  await browser.close();
}
