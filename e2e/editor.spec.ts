import type { BrowserContext, Locator, Page } from "@playwright/test";
import { check } from "./check";
import { expect, test } from "./fixtures";
import { DEMO, signIn, sql } from "./helpers";

/** A member of its own: the demo member's Today and catalog stay as other specs expect them. */
const READER = `embed-reader-${Date.now()}@example.org`;

/**
 * Editor outline and embeds: the coach's outline beside the selected step, a Markdown body with a
 * heading, a list and a YouTube link, and that link as a privacy-friendly embed in the editor's
 * body preview, the coach's preview (the player's own parts, one step at a time) and the member's
 * player — allowed by the CSP (the suite's fixtures fail any test that causes a violation).
 */
test.describe.configure({ mode: "serial" });

const stamp = Date.now();
const title = `Watching together ${stamp}`;
const VIDEO = "dQw4w9WgXcQ";
const NOCOOKIE = `https://www.youtube-nocookie.com/embed/${VIDEO}`;
const BODY = [
  "# Before we watch",
  "",
  "- Find a quiet place",
  "- Keep a notebook near",
  "",
  `https://www.youtube.com/watch?v=${VIDEO}`,
  "",
  "Then write one line about it.",
].join("\n");

let programId = "";
let welcomeId = "";
let slug = "";

async function untilLive(control: Locator) {
  await expect
    .poll(() => control.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactProps"))))
    .toBe(true);
  await control.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => setTimeout(done))),
  );
}

/** The video sites are not on this machine's network: their frames get a stand-in page. */
async function standInVideos(context: BrowserContext) {
  for (const origin of ["https://www.youtube-nocookie.com", "https://player.vimeo.com"])
    await context.route(`${origin}/**`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<title>Video</title>" }),
    );
}

const outline = (page: Page) => page.getByRole("navigation", { name: "Outline" });
const paneHeading = (page: Page) => page.locator("#pane-heading");

async function stepOrder() {
  const rows = await sql<{ title: string }>(
    `SELECT s.title FROM "Step" s JOIN "Module" m ON m.id = s."moduleId"
     WHERE m."programId" = $1 ORDER BY s.position`,
    [programId],
  );
  return rows.map((r) => r.title);
}

async function expectEmbed(scope: Locator) {
  const frame = scope.locator(`iframe[src="${NOCOOKIE}"]`);
  await expect(frame).toHaveCount(1);
  await expect(frame).toHaveAttribute("title", "YouTube video");
  await expect(frame).toHaveAttribute("loading", "lazy");
  await expect(frame).toHaveAttribute(
    "sandbox",
    "allow-scripts allow-same-origin allow-popups allow-presentation",
  );
  // Responsive 16:9.
  await frame.scrollIntoViewIfNeeded();
  const box = (await frame.boundingBox())!;
  expect(Math.abs(box.width / box.height - 16 / 9)).toBeLessThan(0.05);
  // No iframe other than the embed, and no raw YouTube address in a frame.
  await expect(scope.locator('iframe:not([src^="https://www.youtube-nocookie.com/"])')).toHaveCount(
    0,
  );
}

test("editor outline and embeds: the coach selects a step in the outline, embeds a video, and members see it", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await standInVideos(page.context());
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, DEMO.coach.email, "demo");
  await expect(page).toHaveURL(/\/coach$/);

  await page.goto("/coach/programs");
  await untilLive(page.getByLabel("Title"));
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create program" }).click();
  await expect(page).toHaveURL(/\/coach\/programs\/[^/?]+$/);
  programId = new URL(page.url()).pathname.split("/").at(-1)!;
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // Nothing selected: the program's details beside the outline; publishing is in the header.
  await expect(page.getByRole("heading", { level: 2, name: "Program details" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Publish", exact: true })).toBeVisible();

  // A module and two steps; each new one is selected at once.
  await outline(page).getByLabel("New module title").fill("Watching");
  await outline(page).getByRole("button", { name: "Add module" }).click();
  await expect(paneHeading(page)).toHaveText("Watching");
  for (const name of ["Welcome", "The talk"]) {
    await outline(page).getByRole("link", { name: "Module 1: Watching" }).click();
    await expect(paneHeading(page)).toHaveText("Watching");
    await page.getByLabel("New step title").fill(name);
    await page.getByRole("button", { name: "Add step" }).click();
    await expect(paneHeading(page)).toHaveText(name);
  }
  expect(await stepOrder()).toEqual(["Welcome", "The talk"]);

  // The outline sits beside the content at desktop width.
  const nav = (await outline(page).boundingBox())!;
  const pane = (await paneHeading(page).boundingBox())!;
  expect(nav.x + nav.width).toBeLessThanOrEqual(pane.x);
  expect(pane.y).toBeLessThan(nav.y + nav.height);

  // Select the first step from the outline: it is marked current and its editor opens.
  const welcome = outline(page).getByRole("link", { name: "Step 1: Welcome" });
  welcomeId = new URL((await welcome.getAttribute("href"))!, page.url()).searchParams.get("step")!;
  await welcome.click();
  await expect(page).toHaveURL(new RegExp(`\\?step=${welcomeId}$`));
  await expect(welcome).toHaveAttribute("aria-current", "page");
  await expect(outline(page).getByRole("link", { name: "Step 2: The talk" })).not.toHaveAttribute(
    "aria-current",
  );
  await expect(paneHeading(page)).toHaveText("Welcome");

  const body = page.getByLabel("Body (Markdown)");
  await untilLive(body);
  await body.fill(BODY);
  await page.getByRole("button", { name: "Save step" }).click();
  await expect(page.getByText("Step saved.")).toBeVisible();
  const preview = page.getByRole("region", { name: "Body preview" });
  await expect(preview.getByRole("heading", { level: 2, name: "Before we watch" })).toBeVisible();
  await expect(preview.getByRole("listitem")).toHaveText([
    "Find a quiet place",
    "Keep a notebook near",
  ]);
  await expectEmbed(preview);
  const [stored] = await sql<{ body: string }>(`SELECT body FROM "Step" WHERE id = $1`, [
    welcomeId,
  ]);
  expect(stored!.body).toBe(BODY);

  // The second step needs a body to publish.
  await outline(page).getByRole("link", { name: "Step 2: The talk" }).click();
  await expect(paneHeading(page)).toHaveText("The talk");
  await untilLive(page.getByLabel("Body (Markdown)"));
  await page.getByLabel("Body (Markdown)").fill("A short talk, then a question.");
  await page.getByRole("button", { name: "Save step" }).click();
  await expect(page.getByText("Step saved.")).toBeVisible();

  // Reordering in the outline still works (keyboard): The talk first.
  const up = outline(page).getByRole("button", { name: "Move up: The talk" });
  await untilLive(up);
  await up.focus();
  await page.keyboard.press("Enter");
  await expect.poll(stepOrder).toEqual(["The talk", "Welcome"]);
  await expect(outline(page).getByRole("link", { name: "Step 2: Welcome" })).toBeVisible();

  // The coach's preview: one step at a time, the player's progress row and step navigation.
  await outline(page).getByRole("link", { name: "Step 2: Welcome" }).click();
  // The step's own pane, not the one still on screen while it loads, holds the link to use.
  await expect(page).toHaveURL(new RegExp(`\\?step=${welcomeId}$`));
  await expect(paneHeading(page)).toHaveText("Welcome");
  await page.getByRole("link", { name: "Preview this step as a member" }).click();
  await expect(page).toHaveURL(
    new RegExp(`/coach/programs/${programId}/preview\\?step=${welcomeId}$`),
  );
  await expect(page.getByRole("heading", { level: 1, name: "Welcome" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  await expect(page.getByText("Step 2 of 2", { exact: true })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Step 2 of 2" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Before we watch" })).toBeVisible();
  await expect(page.getByText("A short talk, then a question.")).toHaveCount(0);
  await expectEmbed(page.locator("main"));
  const steps = page.getByRole("navigation", { name: "Steps" });
  await steps.getByRole("link", { name: "← Previous step" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "The talk" })).toBeVisible();
  await expect(page.getByText("Step 1 of 2", { exact: true })).toBeVisible();
  await expect(page.locator("main iframe")).toHaveCount(0);
  await page.getByRole("link", { name: "Back to the editor" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Published." })).toBeVisible();
  const [program] = await sql<{ slug: string }>(`SELECT slug FROM "Program" WHERE id = $1`, [
    programId,
  ]);
  slug = program!.slug;

  // The member's player shows the same embed, under the signed-in pages' nonce CSP.
  const member = await browser.newContext();
  try {
    await standInVideos(member);
    const mp = await member.newPage();
    await mp.setViewportSize({ width: 1280, height: 900 });
    await signIn(mp, READER, "form");
    await mp.goto("/app/programs");
    await mp
      .getByRole("list", { name: "Programs" })
      .getByRole("button", { name: `Start “${title}”` })
      .click();
    await expect(mp.getByRole("heading", { level: 1, name: "The talk" })).toBeVisible();
    const response = await mp.goto(`/app/programs/${slug}/steps/${welcomeId}`);
    expect(response?.headers()["content-security-policy"]).toContain(
      "frame-src https://www.youtube-nocookie.com https://player.vimeo.com;",
    );
    await expect(mp.getByRole("heading", { level: 1, name: "Welcome" })).toBeVisible();
    await expect(mp.getByRole("heading", { level: 2, name: "Before we watch" })).toBeVisible();
    await expectEmbed(mp.locator("main"));
    // The frame really loads (a CSP block would fail this test through the fixtures' guard).
    await expect.poll(() => mp.frames().some((f) => f.url().startsWith(NOCOOKIE))).toBe(true);
  } finally {
    await member.close();
  }
});

test("editor outline and embeds: accessible and responsive at 1280 and 390 px", async ({
  page,
}) => {
  test.setTimeout(180_000);
  expect(programId && welcomeId, "the first test made the program").toBeTruthy();
  await standInVideos(page.context());
  await signIn(page, DEMO.coach.email, "demo");
  await check(page, `/coach/programs/${programId}`, "editor-details");
  await check(page, `/coach/programs/${programId}?step=${welcomeId}`, "editor-step");
  // On a phone the outline comes first, above the selected step, never beside it.
  const nav = (await outline(page).boundingBox())!;
  const pane = (await paneHeading(page).boundingBox())!;
  expect(nav.y + nav.height).toBeLessThanOrEqual(pane.y);
  await check(page, `/coach/programs/${programId}?module=${await moduleId()}`, "editor-module");
  await check(page, `/coach/programs/${programId}/preview?step=${welcomeId}`, "editor-preview");
  await signIn(page, READER, "form");
  await check(page, `/app/programs/${slug}/steps/${welcomeId}`, "player-step-embed");
});

async function moduleId() {
  const [row] = await sql<{ id: string }>(`SELECT id FROM "Module" WHERE "programId" = $1`, [
    programId,
  ]);
  return row!.id;
}
