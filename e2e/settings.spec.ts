import { expect, test } from "./fixtures";
import { signIn } from "./helpers";

test.describe("profile settings", () => {
  test("a member changes name and time zone; bad input is refused at the field and changes nothing", async ({
    page,
  }) => {
    await signIn(page, `settings-${Date.now()}@example.org`, "form");
    await page.goto("/settings");
    const name = page.getByLabel("Name", { exact: true });
    const zone = page.getByLabel("Time zone");

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
});
