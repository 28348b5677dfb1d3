import { E2E } from "./config";
import { expect, test } from "./fixtures";
import { completeWelcome, confirmElsewhere, DEMO, requestLink, signIn, sql } from "./helpers";

test.describe("signing in through the real magic link", () => {
  for (const [role, account] of Object.entries(DEMO)) {
    test(`the demo ${role} signs in from the mailbox and lands in their area`, async ({ page }) => {
      await signIn(page, account.email, "demo", { fresh: true });
      await expect(page).toHaveURL(new RegExp(`${account.home}$`));
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
    });
  }

  test("two visitors sign in as the same demo account at once, each through their own email, and stay on 127.0.0.1", async ({
    browser,
  }) => {
    const origin = `http://127.0.0.1:${new URL(E2E.baseUrl).port}`;
    for (const account of Object.values(DEMO)) {
      const visitors = await Promise.all([browser.newContext(), browser.newContext()]);
      try {
        const pages = await Promise.all(visitors.map((v) => v.newPage()));
        // Both ask before either opens anything: the second email is the newest to the address.
        for (const [i, page] of pages.entries()) {
          await page
            .context()
            .setExtraHTTPHeaders({ "x-forwarded-for": `10.9.${i}.${Date.now() % 250}` });
          await page.goto(`${origin}/signin`);
          await page
            .getByRole("button", { name: new RegExp(`Sign in as ${account.name}`) })
            .click();
          await expect(page).toHaveURL(/\/mailbox\?to=.*&message=/);
        }
        const links = await Promise.all(
          pages.map(async (page) => {
            const open = page.getByRole("link", { name: "Open the link in this email" });
            await expect(open).toBeVisible({ timeout: 20_000 });
            await expect(
              page.getByRole("heading", { name: `Your email to ${account.email}` }),
            ).toBeVisible();
            return open.getAttribute("href");
          }),
        );
        expect(links[0]).not.toBe(links[1]);
        for (const [i, page] of pages.entries()) {
          expect(new URL(links[i]!).origin).toBe(origin);
          await page.goto(links[i]!);
          // Each link was asked for in this very browser: no "another browser" warning.
          await expect(page.getByRole("heading", { name: "Sign in to Kindred" })).toBeVisible();
          await page.getByRole("button", { name: "Sign in", exact: true }).click();
          await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
          if (new URL(page.url()).pathname === "/settings/welcome") {
            await completeWelcome(page, account.name);
          }
          expect(new URL(page.url()).origin).toBe(origin);
          await expect(page).toHaveURL(new RegExp(`${account.home}$`));
          await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
        }
      } finally {
        await Promise.all(visitors.map((v) => v.close()));
      }
    }
  });

  test("a member is refused /coach and /admin on the server", async ({ page }) => {
    await signIn(page, DEMO.member.email);
    for (const path of ["/coach", "/admin", "/admin/audit"]) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(404);
      await expect(
        page.getByRole("heading", { name: "We could not find that page" }),
      ).toBeVisible();
      await expect(page.getByText("Users")).toHaveCount(0);
    }
  });

  test("a coach is refused /admin but opens /coach", async ({ page }) => {
    await signIn(page, DEMO.coach.email);
    expect((await page.goto("/admin"))?.status()).toBe(404);
    expect((await page.goto("/coach"))?.status()).toBe(200);
  });

  test("signing out ends the session, even for a copied cookie", async ({ page, context }) => {
    await signIn(page, DEMO.member.email);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
    expect(session).toBeDefined();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByText("You are signed out")).toBeVisible();
    await page.goto("/app");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fapp/);
    // Put the old cookie back: the session row is gone, so it opens nothing.
    await context.addCookies([session!]);
    await page.goto("/app");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a used link is refused with a clear page", async ({ page, context }) => {
    const href = (await signIn(page, DEMO.member.email, "demo", { fresh: true }))!;
    await expect(page).toHaveURL(/\/app$/);
    await context.clearCookies();
    await page.goto(href);
    await expect(page).toHaveURL(/\/signin\/error\?error=Verification/);
    await expect(
      page.getByRole("heading", { name: "This sign-in link no longer works" }),
    ).toBeVisible();
  });

  test("opening the link without pressing Sign in spends nothing (mail scanners)", async ({
    page,
    browser,
  }) => {
    const email = `scanned-${Date.now()}@example.org`;
    const href = await requestLink(page, email);
    // A scanner fetches the page (twice, even) but never submits its form.
    for (let i = 0; i < 2; i++) {
      const scan = await page.request.get(href);
      expect(scan.status()).toBe(200);
    }
    expect(
      await sql(`SELECT 1 FROM "VerificationToken" WHERE identifier = $1`, [email]),
    ).toHaveLength(1);
    // The person reads the mail on another device: they confirm, then they are in.
    const person = await browser.newContext();
    const personPage = await person.newPage();
    await confirmElsewhere(personPage, href, email);
    // A new member: the first stop is the step that asks for their name.
    await expect(personPage).toHaveURL(/\/settings\/welcome\?next=%2Fdashboard$/);
    await person.close();
  });

  test("an expired link is refused with a clear page", async ({ page }) => {
    const email = `late-${Date.now()}@example.org`;
    const href = await requestLink(page, email);
    // 31 minutes later: age the stored token instead of waiting.
    await sql(
      `UPDATE "VerificationToken" SET expires = now() - interval '1 minute' WHERE identifier = $1`,
      [email],
    );
    await page.goto(href);
    await expect(
      page.getByRole("heading", { name: "This sign-in link no longer works" }),
    ).toBeVisible();
    await page.goto("/app");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a new address becomes a member, says what to call them, and gets one welcome email", async ({
    page,
  }) => {
    const email = `new-${Date.now()}@example.org`;
    await signIn(page, email, "form", { welcome: "manual" });
    await expect(page).toHaveURL(/\/settings\/welcome/);
    await expect(page.getByRole("heading", { name: "Welcome to Kindred" })).toBeVisible();
    // The member area asks again until a name is given.
    await page.goto("/app/journal");
    await expect(page).toHaveURL(/\/settings\/welcome\?next=%2Fapp%2Fjournal$/);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText("Enter your name.")).toBeVisible();
    await completeWelcome(page, "Ada Lovelace");
    await expect(page).toHaveURL(/\/app\/journal$/);
    await page.goto("/app");
    await expect(page.getByRole("heading", { level: 1 })).toContainText(", Ada");
    await page.goto(`/mailbox?to=${encodeURIComponent(email)}`);
    await expect(
      page.getByRole("list", { name: "Emails" }).getByText("Welcome to Kindred"),
    ).toHaveCount(1, {
      timeout: 20_000,
    });
    const rows = await sql<{ role: string }>(`SELECT role FROM "User" WHERE email = $1`, [email]);
    expect(rows).toEqual([{ role: "MEMBER" }]);
  });

  test("the 6th sign-in request for one address within a minute is refused clearly", async ({
    page,
  }) => {
    const email = `eager-${Date.now()}@example.org`;
    await page.context().setExtraHTTPHeaders({ "x-forwarded-for": "10.200.0.1" });
    for (let i = 0; i < 5; i++) {
      await page.goto("/signin");
      await page.getByLabel("Email address").fill(email);
      await page.getByRole("button", { name: "Email me a sign-in link" }).click();
      await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    }
    await page.goto("/signin");
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Too many" })).toContainText(
      `Too many sign-in links were requested for ${email}`,
    );
    await expect(page).toHaveURL(/\/signin$/);
  });

  test("a malformed address gets a message at the field", async ({ page }) => {
    await page.goto("/signin");
    await page.getByLabel("Email address").fill("maya@@example");
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    const field = page.getByLabel("Email address");
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Enter a valid email address")).toBeVisible();
  });
});
