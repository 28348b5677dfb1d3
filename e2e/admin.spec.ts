import { expect, test } from "./fixtures";
import { DEMO, signIn, sql } from "./helpers";

test("an admin makes a member a coach and deactivates them; their session ends at once", async ({
  browser,
}) => {
  const email = `target-${Date.now()}@example.org`;
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await signIn(memberPage, email, "form");
  await expect(memberPage).toHaveURL(/\/app$/);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, DEMO.admin.email);
  await admin.goto(`/admin?q=${encodeURIComponent(email)}`);
  const row = admin
    .getByRole("list", { name: "Users" })
    .getByRole("listitem")
    .filter({ hasText: email });
  await row.getByLabel(`Role of ${email}`).selectOption("COACH");
  await row.getByRole("button", { name: "Save role" }).click();
  await expect(row.getByRole("status")).toHaveText("Role changed to coach.");

  // The role change is effective on the member's next request.
  expect((await memberPage.goto("/coach"))?.status()).toBe(200);

  admin.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: "Deactivate" }).click();
  await expect(row.getByRole("status")).toHaveText("Deactivated and signed out.");
  await expect(row.getByText("Deactivated", { exact: true })).toBeVisible();

  await memberPage.goto("/app");
  await expect(memberPage).toHaveURL(/\/signin/);

  const audit = await sql<{ action: string }>(
    `SELECT a.action FROM "AuditLog" a JOIN "User" u ON u.id = a."targetUserId" WHERE u.email = $1 ORDER BY a."createdAt"`,
    [email],
  );
  expect(audit.map((a) => a.action)).toEqual(["user.role_changed", "user.deactivated"]);
  await admin.goto("/admin/audit");
  await expect(admin.getByText(email).first()).toBeVisible();
  await memberContext.close();
  await adminContext.close();
});
