import { check } from "./check";
import { expect, test } from "./fixtures";
import { DEMO, signIn, untilLive } from "./helpers";

/**
 * Search from the header and the results page: the demo member finds a word of their own journal
 * with the keyboard shortcut, opens the result, and the results page (results, empty, too short)
 * is accessible and fits at 1280 and 390 px.
 */

test("the member searches their journal from the header with the keyboard", async ({ page }) => {
  await signIn(page, DEMO.member.email);
  await page.goto("/search");
  const field = page
    .getByRole("search", { name: "Search Kindred" })
    .getByLabel("Search", { exact: true });

  // "/" typed into another field is a character there, not the shortcut.
  const other = page.getByLabel("Search for");
  await other.focus();
  await page.keyboard.press("/");
  await expect(other).toHaveValue("/");
  await expect(field).not.toBeFocused();

  // The shortcut is a listener added once the page is live; a key pressed before that is lost.
  await page.goto("/app");
  await untilLive(field);
  await page.keyboard.press("/");
  await expect(field).toBeFocused();
  await page.keyboard.type("neighbour");

  const results = page.getByRole("search", { name: "Search Kindred" });
  const hit = results.getByRole("list", { name: "Journal" }).getByRole("link").first();
  await expect(hit).toBeVisible();
  await expect(hit.locator("mark")).toHaveText(/neighbour/i);

  // Escape leaves the field and closes the results; Ctrl+K brings it back.
  await page.keyboard.press("Escape");
  await expect(field).not.toBeFocused();
  await expect(hit).toBeHidden();
  await page.keyboard.press("Control+k");
  await expect(field).toBeFocused();
  await expect(hit).toBeVisible();

  // Arrow down reaches the first result; Enter opens the pass in the journal.
  await page.keyboard.press("ArrowDown");
  await expect(hit).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/app\/journal\/[^/#]+#pass-/);
  await expect(page.getByRole("main")).toContainText("neighbour Tom");

  // Enter in the field goes to the results page (a plain GET form).
  await field.fill("neighbour");
  await field.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=neighbour/);
  await expect(page.getByRole("heading", { level: 2, name: /Journal/ })).toBeVisible();
});

test("the results page works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    // Sign in with a script-enabled page of another context, then carry the cookies over.
    const helper = await browser.newContext();
    const helperPage = await helper.newPage();
    await signIn(helperPage, DEMO.member.email);
    await context.addCookies(await helper.cookies());
    await helper.close();
    await page.goto("/app");
    await page
      .getByRole("search", { name: "Search Kindred" })
      .getByLabel("Search", { exact: true })
      .fill("running");
    await page
      .getByRole("search", { name: "Search Kindred" })
      .getByLabel("Search", { exact: true })
      .press("Enter");
    await expect(page).toHaveURL(/\/search\?q=running/);
    const journal = page.getByRole("region", { name: /Journal/ });
    await expect(journal.getByRole("link").first()).toBeVisible();
    await expect(journal.locator("mark").first()).toHaveText(/running/i);
  } finally {
    await context.close();
  }
});

test("search results, no results and a too short search are accessible at both widths", async ({
  page,
}) => {
  await signIn(page, DEMO.member.email);
  await check(page, "/search?q=running", "search-results");
  await expect(page.getByRole("main").getByRole("status")).toContainText("for “running”");
  // A word of the demo program's title and of the member's prompts: several groups at once.
  await check(page, "/search?q=community", "search-groups");
  await expect(page.getByRole("region", { name: /Programs/ })).toContainText(
    "Community, on purpose",
  );
  await expect(page.getByRole("region", { name: /Journal/ })).toBeVisible();
  await check(page, "/search?q=zzqxnothing", "search-empty");
  await expect(page.getByRole("main")).toContainText("No results for “zzqxnothing”");
  await check(page, "/search?q=a", "search-too-short");
  await expect(page.getByRole("main")).toContainText("Type at least 2 characters to search.");
  await check(page, "/search", "search-start");
  // A search's words are text, never markup.
  await page.goto(`/search?q=${encodeURIComponent("<b>running</b>")}`);
  await expect(page.getByRole("main").locator("b")).toHaveCount(0);
  await expect(page.getByRole("main")).toContainText("No results for “<b>running</b>”");
});

test("the header's live results, looked at on a phone", async ({ page }) => {
  await signIn(page, DEMO.member.email);
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto("/app");
  const field = page
    .getByRole("search", { name: "Search Kindred" })
    .getByLabel("Search", { exact: true });
  await field.fill("running");
  await expect(
    page.getByRole("search", { name: "Search Kindred" }).getByRole("link", { name: /See all/ }),
  ).toBeVisible();
  await expect(
    page.getByRole("search", { name: "Search Kindred" }).locator("mark").first(),
  ).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/screens/search-header-390.png" });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: "test-results/screens/search-header-1280.png" });
});
