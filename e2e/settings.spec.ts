import { expect, test } from "./fixtures";
import { signIn, sql } from "./helpers";

test.describe("profile settings", () => {
  test("a member changes name and time zone; bad input is refused at the field and changes nothing", async ({
    page,
  }) => {
    await signIn(page, `settings-${Date.now()}@example.org`, "form");
    await page.goto("/settings");
    const name = page.getByLabel("Name", { exact: true });
    const zone = page.getByLabel("Time zone");

    // The zone suggestions come from the browser's own list, filled when the field gets focus.
    const suggestions = page.locator(`[id="${await zone.getAttribute("list")}"] option`);
    await expect(suggestions).toHaveCount(0);
    await zone.focus();
    await expect(suggestions.first()).toHaveAttribute("value", "UTC");
    expect(await suggestions.count()).toBeGreaterThan(300);

    await name.fill("Rosa Park");
    await zone.fill("America/Chicago");
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

    await zone.fill("Atlantis/Lost_City");
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(zone).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Choose a time zone from the list")).toBeVisible();

    await zone.fill("America/Chicago");
    await name.fill("R".repeat(81));
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(name).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Your name can be at most 80 characters.")).toBeVisible();

    await page.reload();
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Rosa Park");
    await expect(page.getByLabel("Time zone")).toHaveValue("America/Chicago");
    await page.goto("/app");
    await expect(page.getByText("days follow your time zone, America/Chicago")).toBeVisible();
  });

  test("the device's own zone is one click away when it differs", async ({ browser }) => {
    const context = await browser.newContext({ timezoneId: "Asia/Tokyo" });
    const page = await context.newPage();
    await signIn(page, `zone-${Date.now()}@example.org`, "form");
    await page.goto("/settings");
    const zone = page.getByLabel("Time zone");
    await expect(zone).not.toHaveValue("Asia/Tokyo");
    await page.getByRole("button", { name: "Use this device's zone: Asia/Tokyo" }).click();
    await expect(zone).toHaveValue("Asia/Tokyo");
    // The same zone as the device: nothing to offer.
    await expect(page.getByRole("button", { name: /^Use this device's zone/ })).toHaveCount(0);
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await context.close();
  });

  test("a member signs out their other devices, then everywhere", async ({ browser }) => {
    const email = `devices-${Date.now()}@example.org`;
    const laptop = await browser.newContext();
    const phone = await browser.newContext();
    const here = await laptop.newPage();
    const there = await phone.newPage();
    await signIn(here, email, "form");
    // Its own sign-in link, so its own session (the helper would reuse the first one's cookie).
    await signIn(there, email, "form", { fresh: true });

    await here.goto("/settings");
    here.once("dialog", (dialog) => void dialog.accept());
    await here.getByRole("button", { name: "Sign out other devices" }).click();
    await expect(
      here.getByRole("status").filter({ hasText: "Signed out on 1 other device." }),
    ).toBeVisible();
    // The phone is signed out on its next request; this device is not.
    await there.goto("/app");
    await expect(there).toHaveURL(/\/signin/);
    await here.goto("/app");
    await expect(here).toHaveURL(/\/app$/);

    await here.goto("/settings");
    here.once("dialog", (dialog) => void dialog.accept());
    await here.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(here).toHaveURL(/\/signin/);
    await here.goto("/app");
    await expect(here).toHaveURL(/\/signin/);
    await laptop.close();
    await phone.close();
  });

  test("a member changes their sign-in address through a link to the new one", async ({
    page,
    browser,
  }) => {
    const stamp = Date.now();
    const oldEmail = `old-${stamp}@example.org`;
    const newEmail = `new-${stamp}@example.org`;
    await signIn(page, oldEmail, "form");
    await page.goto("/settings");
    const field = page.getByLabel("New email address");
    // Bad input is refused at the field.
    await field.fill(oldEmail);
    await page.getByRole("button", { name: "Send a confirmation link" }).click();
    await expect(page.getByText("That is already the address you sign in with.")).toBeVisible();
    await expect(field).toHaveAttribute("aria-invalid", "true");

    await field.fill(newEmail);
    await page.getByRole("button", { name: "Send a confirmation link" }).click();
    await expect(
      page
        .getByRole("status")
        .filter({ hasText: `Waiting for you to open the link we sent to ${newEmail}` }),
    ).toBeVisible();
    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({
      path: "test-results/screens/settings-email-change-390.png",
      fullPage: true,
    });
    await page.setViewportSize({ width: 1280, height: 900 });

    // The link, opened on another device where nobody is signed in.
    let href: string | undefined;
    await expect
      .poll(
        async () => {
          const [row] = await sql<{ html: string }>(
            `SELECT html FROM "OutboxMessage" WHERE $1 = ANY("toAddresses") ORDER BY "createdAt" DESC LIMIT 1`,
            [newEmail],
          );
          href = /href="([^"]*\/email\/change\?[^"]*)"/.exec(row?.html ?? "")?.[1];
          return href;
        },
        { timeout: 20_000 },
      )
      .toBeTruthy();
    const phone = await browser.newContext({ viewport: { width: 390, height: 800 } });
    try {
      const there = await phone.newPage();
      await there.goto(href!.replaceAll("&amp;", "&"));
      await expect(
        there.getByRole("heading", { name: "Confirm your new email address" }),
      ).toBeVisible();
      await there.screenshot({
        path: "test-results/screens/email-change-confirm-390.png",
        fullPage: true,
      });
      await there.getByRole("button", { name: "Use this address from now on" }).click();
      await expect(
        there.getByRole("status").filter({ hasText: `You now sign in with ${newEmail}` }),
      ).toBeVisible();
      // Opened again, the link is dead.
      await there.reload();
      await expect(there.getByRole("main").getByRole("alert")).toContainText(
        "expired or was already used",
      );
    } finally {
      await phone.close();
    }

    await page.goto("/settings");
    await expect(page.getByText(`You sign in with ${newEmail}`)).toBeVisible();
    // The old address heard about it.
    await expect
      .poll(
        async () => {
          const rows = await sql<{ subject: string }>(
            `SELECT subject FROM "OutboxMessage" WHERE $1 = ANY("toAddresses")`,
            [oldEmail],
          );
          return rows.map((r) => r.subject);
        },
        { timeout: 20_000 },
      )
      .toContain("Your Kindred email address was changed");
  });
});
