import { readFile } from "node:fs/promises";
import { strFromU8, unzipSync } from "fflate";
import { expect, test } from "./fixtures";
import { DEMO, signIn, sql } from "./helpers";

test.describe("export all my data", () => {
  test("the demo member asks for an export, watches it, is emailed, and downloads the ZIP", async ({
    page,
    request,
  }, testInfo) => {
    await signIn(page, DEMO.member.email);
    await page.goto("/settings");
    const section = page.getByRole("region", { name: "Your data" });
    // The journal download stays where it was.
    await expect(section.getByRole("link", { name: "Download your journal" })).toBeVisible();
    const start = section.getByRole("button", { name: "Export all my data" });
    await expect(start).toBeVisible();

    await start.click();
    // The job runs in the launcher's worker: the page shows it on its way, then the link.
    const status = section.getByRole("status");
    await expect(status).toHaveText(/Preparing your export… \d+%|Your export is ready\./);
    const download = section.getByRole("link", { name: /^Download \(ZIP, [\d.]+ (kB|MB)\)$/ });
    await expect(download).toBeVisible({ timeout: 60_000 });
    await expect(status).toHaveText("Your export is ready.");
    await expect(section.getByText(/available until \d{1,2} \w+ \d{4}/)).toBeVisible();

    await section.screenshot({ path: testInfo.outputPath("export-1280.png") });
    await page.setViewportSize({ width: 360, height: 800 });
    await section.screenshot({ path: testInfo.outputPath("export-360.png") });
    await page.setViewportSize({ width: 1280, height: 800 });

    const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^kindred-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const bytes = new Uint8Array(await readFile((await file.path())!));
    expect(bytes.byteLength).toBeGreaterThan(1000);
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(["README.md", "journal.md", "tables/User.json"]),
    );
    expect(strFromU8(files["tables/User.json"]!)).toContain(DEMO.member.email);

    // Announced once by email, with the signed link.
    const mail = await sql<{ html: string }>(
      `SELECT html FROM "OutboxMessage" WHERE $1 = ANY("toAddresses") AND subject = $2`,
      [DEMO.member.email, "Your Kindred export is ready"],
    );
    expect(mail).toHaveLength(1);
    expect(mail[0]!.html).toContain("/api/export/account/");

    // Someone signed out (no cookies) gets no file from the same link.
    const href = (await download.getAttribute("href"))!;
    const anonymous = await request.get(href, { failOnStatusCode: false });
    expect(anonymous.status()).toBe(401);
    const forged = await page.request.get(`${href.slice(0, -3)}AAA`, { failOnStatusCode: false });
    expect(forged.status()).toBe(404);
  });
});
