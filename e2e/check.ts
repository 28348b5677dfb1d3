import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures";

/**
 * The one page check every spec uses: at 1280 and 390 px the page answers under 400, has an h1,
 * does not scroll sideways and has no axe violation (WCAG 2.1 A and AA); a full-page screenshot
 * of each width goes to test-results/screens/<name>-<width>.png for people to look at.
 * Iframes are left out of axe: the email preview is sandboxed without scripts (axe would wait
 * for it forever) and video embeds are another site's page.
 */
export const WIDTHS = [1280, 390];

/** How far the document is wider than the viewport (0: no sideways scrolling). */
export async function overflow(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

export async function axeViolations(page: Page): Promise<string[]> {
  const axe = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21aa"])
    .exclude("iframe")
    .setLegacyMode(true)
    .analyze();
  return axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

export async function check(page: Page, path: string, name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    const response = await page.goto(path);
    expect(response?.status(), `${path} status`).toBeLessThan(400);
    await expect(page.locator("h1").first()).toBeVisible();
    expect(await overflow(page), `${path} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/screens/${name}-${width}.png`, fullPage: true });
    expect(await axeViolations(page), `${path} at ${width}px accessibility`).toEqual([]);
  }
}
