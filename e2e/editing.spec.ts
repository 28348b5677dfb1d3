import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO, signIn, sql, sqlOpened, untilLive } from "./helpers";

/**
 * Editing under real conditions: two tabs on one draft (the stale one is told and never
 * overwrites), a draft typed offline kept on the device and synced, a submit while a save is on
 * its way (the save lands first, none follows the pass), reordering the outline with
 * the keyboard, and the cover image upload (a real PNG is stored and served, a disguised text
 * file is refused). The coach tests run in order and share one program.
 */
test.describe.configure({ mode: "serial" });
test.use({ actionTimeout: 30_000 });

const stamp = Date.now();
const DEMO_TITLE = "Community, on purpose";
const DEMO_PROMPT =
  "When you picture “your community”, who and what do you see? What has it given you that you could not have found alone?";
const SAVED = "Saved";
const CONFLICT = "Changed in another tab — reload to see it";
const OFFLINE = "Offline — kept on this device";
const PAUSED =
  "Saving paused — your text is kept on this device and will be saved when we're back.";

const programTitle = `Keyboard and covers ${stamp}`;
/** Set by the reordering test, used by the cover test. */
let programId = "";

// A real 1×1 PNG, and a text file that only pretends to be one.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
const FAKE = Buffer.from("I am not an image, only named like one.\n");

type Draft = { content: { text?: string }; version: number };

async function draftOf(email: string) {
  return sqlOpened<Draft>(
    `SELECT d.content, d.version FROM "AnswerDraft" d JOIN "User" u ON u.id = d."userId"
     WHERE u.email = $1`,
    [email],
  );
}

/** The demo program's first exercise (a reflection) on the member's step page. */
const reflection = (page: Page) => page.getByRole("region", { name: DEMO_PROMPT, exact: true });
const answerBox = (page: Page) => reflection(page).getByLabel("Your answer");
const statusOf = (page: Page) => reflection(page).locator('[role="status"][aria-live="polite"]');

/** The device copy of the (only) draft the page keeps in localStorage, or null. */
async function localCopy(page: Page) {
  return page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("kindred:draft:"));
    return key ? (JSON.parse(localStorage.getItem(key) ?? "null") as unknown) : null;
  });
}

/** A brand-new member starts the demo program; returns the URL of its first step. */
async function enrolInDemo(page: Page, email: string) {
  await signIn(page, email, "form");
  await expect(page).toHaveURL(/\/app$/);
  await page.goto("/app/programs");
  await page
    .getByRole("list", { name: "Programs" })
    .getByRole("button", { name: `Start “${DEMO_TITLE}”` })
    .click();
  await expect(page).toHaveURL(/\/app\/programs\/community-on-purpose\/steps\/[^/]+$/);
  await untilLive(answerBox(page));
  await expect(answerBox(page)).toHaveValue("");
  return page.url();
}

test("a stale second tab is told about the newer draft and does not overwrite it", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const email = `tabs-${stamp}@example.org`;
  const stepUrl = await enrolInDemo(page, email);
  const textA = "Tab A: my neighbours, the choir, and my sister.";
  const textB = "Tab B: typed on an old copy of the page.";

  // Both tabs hold the same (empty) version of the draft.
  const tabB = await context.newPage();
  await tabB.goto(stepUrl);
  await untilLive(answerBox(tabB));
  await expect(answerBox(tabB)).toHaveValue("");

  await answerBox(page).fill(textA);
  await expect(statusOf(page)).toHaveText(SAVED, { timeout: 15_000 });
  expect(await draftOf(email)).toEqual([
    { content: expect.objectContaining({ text: textA }), version: 1 },
  ]);

  // Tab B still has version 0: its save is refused and it says so.
  await tabB.bringToFront();
  await answerBox(tabB).fill(textB);
  await expect(statusOf(tabB)).toHaveText(CONFLICT, { timeout: 15_000 });
  await expect(reflection(tabB).getByRole("alert")).toContainText(
    "This answer was changed in another tab.",
  );
  await expect(reflection(tabB).getByRole("button", { name: "Submit answer" })).toBeDisabled();
  // What tab B typed is not lost: it is offered to copy from.
  await reflection(tabB).getByText("What you typed in this tab").click();
  await expect(reflection(tabB).getByRole("alert")).toContainText(textB);

  // The server kept tab A's version; nothing from tab B landed.
  let rows = await draftOf(email);
  expect(rows).toHaveLength(1);
  expect(rows[0]?.content.text).toBe(textA);
  expect(rows[0]?.version).toBe(1);

  // Tab A, reloaded, shows what the server has: tab B's refused copy on the device (typed on
  // version 0) is dropped, not restored over it. The copy's removal shows the page has mounted
  // (the server-rendered value alone would pass before that).
  expect(await localCopy(page)).toMatchObject({ content: { text: textB }, synced: false });
  await page.bringToFront();
  await page.reload();
  await expect.poll(() => localCopy(page)).toBeNull();
  await expect(answerBox(page)).toHaveValue(textA);
  await expect(statusOf(page)).toHaveText(SAVED);
  await expect(reflection(page).getByRole("alert")).toHaveCount(0);
  expect((await draftOf(email))[0]).toMatchObject({ content: { text: textA }, version: 1 });

  // Tab B takes the saved version and can go on from there.
  await tabB.bringToFront();
  await reflection(tabB).getByRole("button", { name: "Reload the saved answer" }).click();
  await expect(answerBox(tabB)).toHaveValue(textA);
  await expect(statusOf(tabB)).toHaveText(SAVED);
  const textB2 = `${textA} And the people at the allotment.`;
  await answerBox(tabB).fill(textB2);
  await expect(statusOf(tabB)).toHaveText(SAVED, { timeout: 15_000 });
  rows = await draftOf(email);
  expect(rows[0]?.content.text).toBe(textB2);
  expect(rows[0]?.version).toBe(2);
  await tabB.close();
});

test("a draft typed offline is kept on the device and restored after a reload", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const email = `offline-${stamp}@example.org`;
  await enrolInDemo(page, email);
  const first = "On the train: my running club.";
  const more = `${first} And the family WhatsApp group, written offline.`;
  const later = `${more} Then the signal dropped again before it synced.`;

  await answerBox(page).fill(first);
  await expect(statusOf(page)).toHaveText(SAVED, { timeout: 15_000 });

  // Offline: the status says so and the newer text is on the device, not yet synced.
  await context.setOffline(true);
  await answerBox(page).fill(more);
  await expect(statusOf(page)).toHaveText(OFFLINE, { timeout: 15_000 });
  expect(await localCopy(page)).toMatchObject({
    content: { text: more },
    synced: false,
    baseVersion: 1,
  });
  expect((await draftOf(email))[0]?.content.text).toBe(first);

  // Back online, the page syncs on its own; a reload shows the newer text.
  await context.setOffline(false);
  await expect(statusOf(page)).toHaveText(SAVED, { timeout: 15_000 });
  await expect.poll(async () => (await draftOf(email))[0]?.content.text).toBe(more);
  await page.reload();
  await untilLive(answerBox(page));
  await expect(answerBox(page)).toHaveValue(more);
  await expect(statusOf(page)).toHaveText(SAVED);

  // A reload before the copy could sync: the save fails (as with a dropped connection), the
  // reload restores the text from the device copy, and it syncs once saving works again.
  const saves = "**/api/trpc/player.saveDraft*";
  await page.route(saves, (route) => route.abort("internetdisconnected"));
  await answerBox(page).fill(later);
  // The browser believes it is online: a save with no answer is a pause, retried by itself.
  await expect(statusOf(page)).toHaveText(PAUSED, { timeout: 15_000 });
  await page.reload();
  await expect(answerBox(page)).toHaveValue(later);
  expect((await draftOf(email))[0]?.content.text).toBe(more);
  await page.unroute(saves);
  // The page retries on its own every few seconds.
  await expect(statusOf(page)).toHaveText(SAVED, { timeout: 20_000 });
  await expect.poll(async () => (await draftOf(email))[0]?.content.text).toBe(later);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(answerBox(page)).toHaveValue(later);
});

test("a save on its way when the member submits lands first, and no save follows the pass", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const email = `submit-${stamp}@example.org`;
  await enrolInDemo(page, email);
  const first = "Before submitting: the choir.";
  const more = `${first} And the neighbours, typed while it saved.`;

  // Every tRPC request in the order the page sends it (a batch names all its procedures). The
  // first save is held until the test lets it go, so the order is the test's, not the clock's.
  const sent: string[][] = [];
  let letGo = () => {};
  const held = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  let holdNext = true;
  let onHold = () => {};
  const holding = new Promise<void>((resolve) => {
    onHold = resolve;
  });
  await page.route("**/api/trpc/**", async (route) => {
    const path = new URL(route.request().url()).pathname.replace("/api/trpc/", "");
    const procedures = decodeURIComponent(path).split(",");
    sent.push(procedures);
    if (holdNext && procedures.includes("player.saveDraft")) {
      holdNext = false;
      onHold();
      await held;
    }
    await route.continue();
  });

  await answerBox(page).fill(first);
  await holding;
  // Typed while the first save travels: the old code queued a follow-up save for it.
  await answerBox(page).fill(more);
  await reflection(page).getByRole("button", { name: "Submit answer" }).click();
  // The submit waits for the save on its way (and says so) before it is sent.
  await expect.soft(reflection(page).getByRole("button", { name: "Submitting…" })).toBeDisabled();
  expect.soft(sent.flat()).not.toContain("player.submit");
  letGo();
  await expect(reflection(page).getByText("Answered — pass 1.")).toBeVisible();

  // Nothing was saved at or after the submit, and the draft and the device copy are gone.
  const submitAt = sent.findIndex((procedures) => procedures.includes("player.submit"));
  expect(submitAt).toBeGreaterThan(0);
  expect(sent.slice(submitAt).flat()).not.toContain("player.saveDraft");
  expect(await draftOf(email)).toEqual([]);
  expect(await localCopy(page)).toBeNull();
  const passes = await sqlOpened<{ content: { text: string } }>(
    `SELECT p.content FROM "AnswerPass" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1`,
    [email],
  );
  expect(passes.map((p) => p.content.text)).toEqual([more]);
  await page.unroute("**/api/trpc/**");
});

async function moduleOrder(page: Page) {
  return page
    .getByRole("list", { name: "Modules" })
    .getByRole("heading", { level: 3 })
    .allInnerTexts();
}

async function dbModuleOrder() {
  const rows = await sql<{ title: string; position: number }>(
    `SELECT title, position FROM "Module" WHERE "programId" = $1 ORDER BY position`,
    [programId],
  );
  return rows.map((r) => `${r.position}:${r.title}`);
}

test("the coach reorders modules with the keyboard and the order persists", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO.coach.email, "demo");
  await expect(page).toHaveURL(/\/coach$/);

  await page.goto("/coach/programs");
  await untilLive(page.getByLabel("Title"));
  await page.getByLabel("Title").fill(programTitle);
  await page.getByRole("button", { name: "Create program" }).click();
  await expect(page).toHaveURL(/\/coach\/programs\/[^/]+$/);
  programId = new URL(page.url()).pathname.split("/").at(-1)!;
  await expect(page.getByRole("heading", { level: 1, name: programTitle })).toBeVisible();

  for (const [i, name] of ["First", "Second"].entries()) {
    await page.getByLabel("New module title").fill(name);
    await page.getByRole("button", { name: "Add module" }).click();
    await expect(page.getByRole("heading", { name: `Module ${i + 1}: ${name}` })).toBeVisible();
  }
  expect(await moduleOrder(page)).toEqual(["Module 1: First", "Module 2: Second"]);
  expect(await dbModuleOrder()).toEqual(["0:First", "1:Second"]);
  await expect(page.getByRole("button", { name: "Move up: First" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Move down: Second" })).toBeDisabled();

  // Keyboard only: focus "Move down" of First and press Enter.
  await page.getByRole("button", { name: "Move down: First" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "moved to position" })).toHaveText(
    "“First” moved to position 2 of 2.",
  );
  // The keyboard stays on First: at the bottom, its "Move up" is the button left.
  await expect(page.getByRole("button", { name: "Move up: First" })).toBeFocused();
  await expect.poll(dbModuleOrder).toEqual(["0:Second", "1:First"]);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: programTitle })).toBeVisible();
  expect(await moduleOrder(page)).toEqual(["Module 1: Second", "Module 2: First"]);

  // And back up with "Move up" of First (once the reloaded page is live).
  await untilLive(page.getByRole("button", { name: "Move up: First" }));
  await page.getByRole("button", { name: "Move up: First" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Move down: First" })).toBeFocused();
  await expect.poll(dbModuleOrder).toEqual(["0:First", "1:Second"]);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: programTitle })).toBeVisible();
  expect(await moduleOrder(page)).toEqual(["Module 1: First", "Module 2: Second"]);
});

async function coverOf(id: string) {
  const [row] = await sql<{ coverImage: string | null }>(
    `SELECT "coverImage" FROM "Program" WHERE id = $1`,
    [id],
  );
  return row?.coverImage;
}

async function uploadCount() {
  const [row] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "Upload"`);
  return row?.n ?? 0;
}

test("the coach uploads a PNG cover; a text file named .png is refused", async ({ page }) => {
  test.setTimeout(120_000);
  expect(programId, "the program from the reordering test").not.toBe("");
  await signIn(page, DEMO.coach.email, "demo");
  await page.goto(`/coach/programs/${programId}`);
  await expect(page.getByRole("heading", { level: 1, name: programTitle })).toBeVisible();
  await expect(page.getByRole("img", { name: "Current cover" })).toHaveCount(0);

  const cover = page.getByLabel("Cover image");
  await untilLive(cover);
  await cover.setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: PNG });
  const image = page.getByRole("img", { name: "Current cover" });
  await expect(image).toHaveAttribute("src", /^\/api\/uploads\/[a-f0-9]{32}\.png$/);
  const src = (await image.getAttribute("src"))!;
  // Not stored on the program until the details are saved.
  expect(await coverOf(programId)).toBeNull();

  await page.getByRole("button", { name: "Save details" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Details saved." })).toBeVisible();
  expect(await coverOf(programId)).toBe(src);

  const served = await page.request.get(src);
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toBe("image/png");
  expect(Buffer.compare(await served.body(), PNG)).toBe(0);
  // The browser shows it too (the image decoded).
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(1);

  // A text file with an image name and type: the content decides, and it is refused.
  const files = await uploadCount();
  await cover.setInputFiles({ name: "fake.png", mimeType: "image/png", buffer: FAKE });
  await expect(page.getByText("Use a PNG, JPEG or WebP image.")).toBeVisible();
  await expect(cover).toHaveAttribute("aria-invalid", "true");
  await expect(cover).toHaveAccessibleDescription(/Use a PNG, JPEG or WebP image\./);
  await expect(image).toHaveAttribute("src", src);
  expect(await uploadCount()).toBe(files);

  // Saving now keeps the earlier cover; after a reload it is still the PNG.
  const saved = page.waitForResponse((r) => r.url().includes("programs.update"));
  await page.getByRole("button", { name: "Save details" }).click();
  expect((await saved).ok()).toBe(true);
  await expect(page.getByRole("status").filter({ hasText: "Details saved." })).toBeVisible();
  expect(await coverOf(programId)).toBe(src);
  await page.reload();
  await expect(page.getByRole("img", { name: "Current cover" })).toHaveAttribute("src", src);
  await expect(page.getByText("Use a PNG, JPEG or WebP image.")).toHaveCount(0);
});
