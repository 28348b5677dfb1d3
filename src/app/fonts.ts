import localFont from "next/font/local";

/**
 * The typefaces, self-hosted from their npm packages (@fontsource-variable, SIL Open Font
 * License): Inter for text, Fraunces for headings. next/font copies the files into the build
 * (served from this origin, so `font-src 'self'` holds), preloads them, sets font-display swap
 * and a size-adjusted local fallback so the swap does not shift the page. Only the Latin subset
 * is here (the preloaded ~85 kB of both); Latin Extended comes from globals.css, fetched only by
 * a page that has such a character. Nothing is downloaded from a font service at run time.
 */
export const inter = localFont({
  src: "../../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  weight: "100 900",
  style: "normal",
  display: "swap",
  variable: "--font-inter",
  fallback: ["ui-sans-serif", "system-ui", "Arial"],
});

export const fraunces = localFont({
  src: "../../node_modules/@fontsource-variable/fraunces/files/fraunces-latin-wght-normal.woff2",
  weight: "100 900",
  style: "normal",
  display: "swap",
  variable: "--font-fraunces",
  fallback: ["Georgia", "serif"],
});
