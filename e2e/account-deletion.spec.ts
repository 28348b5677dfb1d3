import { check } from "./check";
import { expect, test } from "./fixtures";
import { signIn, sql } from "./helpers";

/**
 * Issue 12, part 3: a member deletes their account from settings, through the link emailed to
 * them; the pages on the way are accessible at both widths, and a bad link gets a clear page.
 */
test("a new member deletes their account through the emailed link, and can start afresh", async ({
  page,
}) => {
  // Two sign-ins and five pages checked at two widths, on a machine that may be busy.
  test.setTimeout(240_000);
  const email = `delete-${Date.now()}@example.org`;
  await signIn(page, email, "form", { fresh: true });
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Delete your account" });
  await expect(section.getByText("What stays:")).toBeVisible();

  // Asking without the tick is refused at the field.
  const ask = section.getByRole("button", { name: "Email me a link to delete my account" });
  await ask.click();
  await expect(
    section.getByText("Tick the box to say you understand that this cannot be undone."),
  ).toBeVisible();
  await expect(section.getByLabel(/cannot be undone/)).toHaveAttribute("aria-invalid", "true");
  await section.getByLabel(/cannot be undone/).check();
  await ask.click();
  await expect(
    section.getByRole("status").filter({ hasText: `We emailed a link to ${email}` }),
  ).toBeVisible();
  await check(page, "/settings", "settings-deletion-pending");

  // The link, from the demo mailbox.
  let href: string | undefined;
  await expect
    .poll(
      async () => {
        const [row] = await sql<{ html: string }>(
          `SELECT html FROM "OutboxMessage" WHERE $1 = ANY("toAddresses")
            AND subject = 'Confirm deleting your Kindred account' ORDER BY "createdAt" DESC LIMIT 1`,
          [email],
        );
        href = /href="([^"]*\/account\/delete\?[^"]*)"/.exec(row?.html ?? "")?.[1];
        return href;
      },
      { timeout: 20_000 },
    )
    .toBeTruthy();
  const link = new URL(href!.replaceAll("&amp;", "&"));
  const path = `${link.pathname}${link.search}`;

  // A bad link: a clear page, nothing deleted.
  await check(page, "/account/delete?token=not-a-link", "account-delete-dead");
  await expect(page.getByText("This link has expired or was already used")).toBeVisible();
  // Refused by the link's own check (too long, wrong characters, repeated, missing): the same
  // clear page, never an error.
  for (const bad of [`token=${"x".repeat(300)}`, "token=a%20b&token=c", ""]) {
    const response = await page.goto(`/account/delete${bad ? `?${bad}` : ""}`);
    expect(response?.status(), bad).toBe(200);
    await expect(page.getByText("This link has expired or was already used")).toBeVisible();
  }
  await check(page, path, "account-delete-confirm");

  await page.goto(path);
  await expect(page.getByRole("heading", { name: "Delete your account" })).toBeVisible();
  await page.getByRole("button", { name: "Delete my account" }).click();
  await page.waitForURL("**/account/deleted");
  await expect(page.getByRole("heading", { name: "Your account was deleted" })).toBeVisible();
  await check(page, "/account/deleted", "account-deleted");

  // Signed out; the account and its mail are gone; the link does nothing any more.
  expect(await sql(`SELECT 1 FROM "User" WHERE email = $1`, [email])).toEqual([]);
  expect(await sql(`SELECT 1 FROM "OutboxMessage" WHERE $1 = ANY("toAddresses")`, [email])).toEqual(
    [],
  );
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/signin/);

  // Signing in again with the address starts a new, empty account.
  await signIn(page, email, "form", { fresh: true });
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
  await page.goto(path);
  await expect(page.getByText("This link has expired or was already used")).toBeVisible();
});
