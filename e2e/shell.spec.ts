import type { Page } from "@playwright/test";
import { inSignedInArea } from "../src/lib/signed-in-areas";
import { axeViolations, check, overflow } from "./check";
import { expect, test } from "./fixtures";
import { DEMO, signIn } from "./helpers";

/**
 * The frame around every page (issue 11: phone navigation, typefaces, installable app): the
 * phone's bottom bar and its More sheet, the one-line demo banner, the journal's entries
 * first, the manifest, icons and robots rules of public/, and the service worker's offline page.
 */
const PHONE = { width: 390, height: 844 };

const bar = (page: Page) => page.getByRole("navigation", { name: "Sections" });
const more = (page: Page) => bar(page).getByRole("button", { name: /^More/ });
const sheet = (page: Page) => page.getByRole("dialog", { name: "More" });

test("a member reaches every section from a phone, by touch and by keyboard", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await signIn(page, DEMO.member.email);
  await page.goto("/app");

  // Four sections and More under the thumb; nothing off screen, no sideways scroll.
  const links = bar(page).getByRole("link");
  await expect(links).toHaveText(["Today", "Programs", "Cohorts", "Journal"]);
  await expect(bar(page).getByRole("link", { name: "Today" })).toHaveAttribute(
    "aria-current",
    "page",
  );
  for (const item of [...(await links.all()), more(page)]) {
    const box = (await item.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    expect(box.height).toBeGreaterThanOrEqual(44);
  }
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  // The header keeps only the brand: sign-out lives in the sheet on a phone.
  await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeHidden();

  // Touch: More opens a labelled sheet with the rest; a section closes it and is marked.
  await more(page).click();
  await expect(sheet(page)).toBeVisible();
  await expect(sheet(page).getByRole("link")).toHaveText(["Community", "Commitments", "Settings"]);
  await expect(sheet(page).getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/shell-more-sheet-390.png" });
  expect(await axeViolations(page), "the open sheet").toEqual([]);
  await sheet(page).getByRole("link", { name: "Commitments" }).click();
  await expect(page).toHaveURL(/\/app\/commitments$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(sheet(page)).toBeHidden();
  await expect(more(page)).toHaveAccessibleName(/current page: Commitments/);

  // Keyboard: Enter opens it with focus inside, Escape closes it and focus returns to More.
  await more(page).focus();
  await page.keyboard.press("Enter");
  await expect(sheet(page)).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => Boolean(document.activeElement?.closest("dialog"))))
    .toBe(true);
  await page.keyboard.press("Escape");
  await expect(sheet(page)).toBeHidden();
  await expect(more(page)).toBeFocused();

  // Tab reaches Settings inside the sheet, Enter follows it.
  await page.keyboard.press("Enter");
  await expect(sheet(page)).toBeVisible();
  const settings = sheet(page).getByRole("link", { name: "Settings" });
  for (let i = 0; i < 10 && !(await settings.evaluate((el) => el === document.activeElement)); i++)
    await page.keyboard.press("Tab");
  await expect(settings).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/settings$/);
  await expect(sheet(page)).toBeHidden();

  // The bar never covers the page: at the very bottom, the last of the content is above it.
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const barTop = (await bar(page).boundingBox())!.y;
  await expect
    .poll(() =>
      page.evaluate(() => {
        window.scrollTo(0, document.documentElement.scrollHeight);
        const main = document.getElementById("main")!;
        return Math.max(...[...main.children].map((c) => c.getBoundingClientRect().bottom));
      }),
    )
    .toBeLessThanOrEqual(barTop);
});

test("on a desktop the sections are a header tab row and the phone bar is gone", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, DEMO.member.email);
  await page.goto("/app/journal");
  const tabs = bar(page);
  await expect(tabs).toHaveCount(1);
  await expect(tabs.getByRole("link")).toHaveText([
    "Today",
    "Programs",
    "Cohorts",
    "Journal",
    "Community",
    "Commitments",
    "Settings",
  ]);
  await expect(tabs.getByRole("link", { name: "Journal" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("button", { name: /^More/ })).toHaveCount(0);
  await expect(page.getByRole("banner").getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("signed-in pages come whole in the first HTML; a slow click shows progress", async ({
  page,
  browser,
  baseURL,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, DEMO.member.email);

  // Without JavaScript: the pages themselves, not a skeleton waiting for a script to reveal them.
  const noScript = await browser.newContext({ javaScriptEnabled: false, baseURL });
  await noScript.addCookies(await page.context().cookies());
  const plain = await noScript.newPage();
  await plain.goto("/app/journal");
  await expect(plain.getByRole("heading", { level: 1, name: "Journal" })).toBeVisible();
  await expect(plain.getByRole("list", { name: "Prompts you answered" })).toBeVisible();
  await plain.goto("/app/programs");
  await expect(plain.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(plain.getByText("Loading…")).toHaveCount(0);
  await noScript.close();

  // A client navigation whose page is slow to come: the old page stays, a bar and a status say
  // it is loading, and both go once the new page has rendered.
  await page.goto("/app");
  const progress = page.getByTestId("navigation-progress");
  const status = page.getByRole("status").filter({ hasText: "Loading…" });
  await expect(progress).toHaveCount(0);
  await page.route("**/*", async (route) => {
    if (route.request().headers().rsc === "1") await new Promise((r) => setTimeout(r, 1_500));
    await route.continue();
  });
  await bar(page).getByRole("link", { name: "Journal" }).click();
  await expect(progress).toBeVisible();
  await expect(status).toHaveCount(1);
  await expect(page).toHaveURL(/\/app$/);
  await expect(page.getByRole("heading", { level: 1, name: "Journal" })).toBeVisible();
  await expect(progress).toHaveCount(0);
  await expect(status).toHaveCount(0);
  await page.unroute("**/*");
});

test("links into signed-in areas are not prefetched; public pages' links are", async ({ page }) => {
  // Next marks its prefetches with this header; the route tree of a page rendered per request is
  // all such a prefetch can fetch, so a page of links would send one request per link for nothing.
  const prefetched: string[] = [];
  page.on("request", (request) => {
    if (request.headers()["next-router-prefetch"]) prefetched.push(new URL(request.url()).pathname);
  });
  await page.goto("/");
  await expect
    .poll(() => prefetched, { message: "the public header's links" })
    .toContain("/signin");

  await signIn(page, DEMO.member.email);
  for (const path of ["/app", "/app/journal", "/search?q=friend"]) {
    prefetched.length = 0;
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await page.mouse.wheel(0, 5_000);
    await page.waitForTimeout(500);
    await page.waitForLoadState("networkidle");
    expect(
      prefetched.filter((p) => inSignedInArea(p)),
      path,
    ).toEqual([]);
  }
  // Links still navigate on the client, and still show where they lead.
  await page.goto("/app/journal");
  const timeline = page.getByRole("link", { name: /^Timeline:/ }).first();
  await expect(timeline).toHaveAttribute("href", /^\/app\/journal\/[^/]+$/);
  await timeline.click();
  await expect(page).toHaveURL(/\/app\/journal\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("a coach and an admin find their sections and the other areas in More", async ({
  page,
  browser,
}) => {
  await page.setViewportSize(PHONE);
  await signIn(page, DEMO.coach.email);
  await page.goto("/coach");
  await expect(bar(page).getByRole("link")).toHaveText([
    "Overview",
    "Programs",
    "Cohorts",
    "Settings",
  ]);
  await more(page).click();
  await expect(sheet(page).getByRole("link")).toHaveText(["My space", "Coach"]);
  await sheet(page).getByRole("link", { name: "My space" }).click();
  await expect(page).toHaveURL(/\/app$/);

  const admin = await browser.newPage({ viewport: PHONE });
  try {
    await signIn(admin, DEMO.admin.email, "demo", { fresh: true });
    await admin.goto("/admin");
    await expect(bar(admin).getByRole("link")).toHaveText([
      "Users",
      "Audit log",
      "Health",
      "Billing",
    ]);
    await more(admin).click();
    await expect(sheet(admin).getByRole("link")).toHaveText([
      "Plans",
      "Emails",
      "Programs",
      "Cohorts",
      "Mailbox",
      "Settings",
      "My space",
      "Coach",
      "Admin",
    ]);
    await sheet(admin).getByRole("link", { name: "Plans" }).click();
    await expect(admin).toHaveURL(/\/admin\/billing\/plans$/);
    await expect(more(admin)).toHaveAccessibleName(/current page: Plans/);
    expect(await overflow(admin)).toBeLessThanOrEqual(0);
  } finally {
    await admin.close();
  }
});

test("the demo banner is one line on a phone", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  for (const path of ["/", "/app"]) {
    if (path === "/app") await signIn(page, DEMO.member.email);
    await page.goto(path);
    const line = page.getByText(/^Demo: emails go to the/);
    await expect(line).toBeVisible();
    const box = (await line.boundingBox())!;
    const lineHeight = await line.evaluate((el) =>
      Number.parseFloat(getComputedStyle(el).lineHeight),
    );
    expect(box.height, `${path}: the banner wraps`).toBeLessThan(lineHeight * 1.5);
    // Nothing of it is cut off either.
    expect(await line.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await expect(line.getByRole("link", { name: "mailbox" })).toBeVisible();
  }
});

test("the journal shows entries first on a phone; filters wait behind a disclosure", async ({
  page,
}) => {
  await page.setViewportSize(PHONE);
  await signIn(page, DEMO.member.email);
  await page.goto("/app/journal");
  const first = page
    .getByRole("list", { name: "Prompts you answered" })
    .getByRole("listitem")
    .first();
  await expect(first).toBeVisible();
  const barTop = (await bar(page).boundingBox())!.y;
  const entryTop = (await first.boundingBox())!.y;
  expect(entryTop, "the first entry starts above the bottom bar").toBeLessThan(barTop - 80);

  const form = page.getByRole("form", { name: "Filter your journal" });
  await expect(form).toBeHidden();
  const disclosure = page.locator("summary", { hasText: "Filter your journal" });
  await disclosure.click();
  await expect(form).toBeVisible();
  const program = form.getByLabel("Program", { exact: true });
  const firstProgram = await program.locator("option").nth(1).getAttribute("value");
  await program.selectOption(firstProgram!);
  await form.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/program=/);
  // Closed again after the reload, and saying that one filter applies.
  await expect(form).toBeHidden();
  await expect(disclosure).toContainText("1 filter on");
});

test("public/ holds a valid manifest, loadable icons and robots rules, without sign-in", async ({
  page,
  request,
}) => {
  await page.goto("/");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(href).toBe("/manifest.webmanifest");
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute("content", "#2f6b5e");
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute(
    "href",
    "/apple-touch-icon.png",
  );

  const response = await request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/application\/(manifest\+)?json/);
  const manifest = JSON.parse(await response.text());
  expect(manifest.name).toBe("Kindred");
  expect(manifest.short_name).toBeTruthy();
  expect(manifest.start_url).toBe("/dashboard");
  expect(manifest.display).toBe("standalone");
  const icons = manifest.icons as { src: string; sizes: string; type: string; purpose: string }[];
  for (const size of ["192x192", "512x512"]) {
    expect(icons.some((i) => i.sizes === size && i.type === "image/png")).toBe(true);
  }
  expect(icons.some((i) => i.purpose === "maskable")).toBe(true);
  for (const icon of [...icons, { src: "/apple-touch-icon.png", type: "image/png" }]) {
    const image = await request.get(icon.src);
    expect(image.status(), icon.src).toBe(200);
    expect(image.headers()["content-type"], icon.src).toContain(icon.type);
  }

  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  const rules = await robots.text();
  for (const path of [
    "/app",
    "/coach",
    "/admin",
    "/api",
    "/settings",
    "/mailbox",
    "/email",
    "/account",
  ]) {
    expect(rules).toMatch(new RegExp(`^Disallow: ${path}$`, "m"));
  }

  // The worker and its offline page are public, never behind sign-in, and the worker is
  // re-checked on each visit.
  const worker = await request.get("/sw.js");
  expect(worker.status()).toBe(200);
  expect(worker.headers()["content-type"]).toContain("javascript");
  expect(worker.headers()["cache-control"]).toContain("no-cache");
  const offline = await request.get("/offline.html");
  expect(offline.status()).toBe(200);
  expect(await offline.text()).toContain("You are offline");
});

test.describe("offline", () => {
  test.use({ serviceWorkers: "allow" });

  test("with the network gone a page shows the offline page, and nothing private is cached", async ({
    page,
    context,
  }) => {
    await page.setViewportSize(PHONE);
    await signIn(page, DEMO.member.email);
    await page.goto("/app/journal");
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // A page whose load raced the worker's activation may stay uncontrolled; the next is not.
    await page.reload();
    await expect
      .poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)))
      .toBe(true);
    // Signed-in pages went through the worker: none of them is in a cache.
    const cached = async () =>
      page.evaluate(async () => {
        const urls: string[] = [];
        for (const key of await caches.keys()) {
          for (const request of await (await caches.open(key)).keys())
            urls.push(new URL(request.url).pathname);
        }
        return urls;
      });
    await page.goto("/app");
    await page.goto("/app/journal");
    expect(await cached()).toEqual(["/offline.html"]);

    await context.setOffline(true);
    await page.goto("/app/commitments");
    await expect(page.getByRole("heading", { level: 1, name: "You are offline" })).toBeVisible();
    await expect(page.getByText("Kindred keeps no copy of your pages")).toBeVisible();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: "test-results/screens/offline-390.png", fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // Try again while still offline: the page reloads, into the offline page again.
    await page.evaluate(() => {
      (window as unknown as { before?: boolean }).before = true;
    });
    await page.getByRole("button", { name: "Try again" }).click();
    await expect
      // While the reload is under way there is no page to ask: that counts as not yet reloaded.
      .poll(() =>
        page.evaluate(() => (window as unknown as { before?: boolean }).before).catch(() => true),
      )
      .toBeUndefined();
    await expect(page.getByRole("heading", { level: 1, name: "You are offline" })).toBeVisible();
    // Back online, the page goes on by itself to the page that was asked for.
    await context.setOffline(false);
    await expect(page).toHaveURL(/\/app\/commitments$/);
    await expect(page.getByRole("heading", { level: 1, name: "You are offline" })).toHaveCount(0);
    await expect(bar(page)).toBeVisible();
  });
});

test("changed pages are accessible at both widths", async ({ page }) => {
  await check(page, "/", "shell-home");
  await check(page, "/offline.html", "offline");
  await signIn(page, DEMO.member.email);
  await check(page, "/app", "shell-member-today");
  await check(page, "/app/journal", "shell-journal");
  await check(page, "/app/commitments", "shell-commitments");
  await check(page, "/settings", "shell-settings");
});

test("coach and admin pages are accessible at both widths", async ({ page, browser }) => {
  await signIn(page, DEMO.coach.email);
  await check(page, "/coach", "shell-coach-home");
  const admin = await browser.newPage();
  try {
    await signIn(admin, DEMO.admin.email, "demo", { fresh: true });
    await check(admin, "/admin", "shell-admin-users");
  } finally {
    await admin.close();
  }
});
