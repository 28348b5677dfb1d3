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

  // The filters: coaches only finds them now; members only does not.
  await admin.goto(`/admin?q=${encodeURIComponent(email)}&role=MEMBER`);
  await expect(admin.getByText("No users match")).toBeVisible();
  await admin.getByLabel("Role").selectOption("COACH");
  await admin.getByRole("button", { name: "Show" }).click();
  await expect(admin).toHaveURL(/role=COACH/);
  await expect(row).toContainText(/Coach · joined .+ · last active /);

  // Deactivating asks first, naming who; dismissing it changes nothing.
  let asked = "";
  admin.once("dialog", (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await row.getByRole("button", { name: `Deactivate ${email}` }).click();
  await expect.poll(() => asked).toContain(`Deactivate ${email}?`);
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  admin.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: `Deactivate ${email}` }).click();
  await expect(row.getByRole("status")).toHaveText("Deactivated and signed out.");
  await expect(row.getByText("Deactivated", { exact: true })).toBeVisible();
  await admin.goto(`/admin?q=${encodeURIComponent(email)}&status=deactivated`);
  await expect(row).toHaveCount(1);

  await memberPage.goto("/app");
  await expect(memberPage).toHaveURL(/\/signin/);

  const audit = await sql<{ action: string }>(
    `SELECT a.action FROM "AuditLog" a JOIN "User" u ON u.id = a."targetUserId" WHERE u.email = $1 ORDER BY a."createdAt"`,
    [email],
  );
  expect(audit.map((a) => a.action)).toEqual(["user.role_changed", "user.deactivated"]);
  // The audit log says it in sentences, and its Accounts filter keeps them.
  await admin.goto("/admin/audit");
  await admin
    .getByRole("navigation", { name: "Show entries about" })
    .getByRole("link", { name: "Accounts" })
    .click();
  await expect(admin).toHaveURL(/area=users/);
  const entries = admin.getByRole("list", { name: "Audit entries" }).getByRole("listitem");
  await expect(entries.filter({ hasText: email }).first()).toContainText(`Priya Raman deactivated`);
  await expect(
    entries.filter({ hasText: "role from member to coach" }).filter({ hasText: email }),
  ).toHaveCount(1);
  await expect(admin.getByText(/[{}]/)).toHaveCount(0);
  await memberContext.close();
  await adminContext.close();
});
