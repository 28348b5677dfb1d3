import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO, signIn, sql } from "./helpers";

/**
 * Memberships in a real browser against the built-in Stripe emulator: the pages a member sees
 * are Kindred's and the emulator's hosted Checkout and portal, and every state change arrives
 * through signed webhooks, as with Stripe.
 */

const PROGRAM = "/app/programs/reaching-out-again";

async function subscriptionOf(email: string) {
  const [row] = await sql<{ id: string; status: string; cancelAtPeriodEnd: boolean }>(
    `SELECT s.id, s.status, s."cancelAtPeriodEnd" FROM "Subscription" s JOIN "User" u ON u.id = s."userId"
     WHERE u.email = $1 ORDER BY s."startedAt" DESC LIMIT 1`,
    [email],
  );
  return row;
}

/** Moves the emulator's clock to this subscription's next event (trial end, renewal, end). */
async function advance(page: Page, subscription: string) {
  const response = await page.request.post("/api/emulators/stripe/clock", {
    data: { to: "subscription", subscription },
  });
  expect(response.status()).toBe(200);
}

test("a member subscribes, a renewal fails and is recovered, then they cancel and keep their journal", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const email = `buyer-${Date.now()}@example.org`;
  await signIn(page, email, "form");

  // Not a member yet: the program says so and offers the plans.
  await page.goto(PROGRAM);
  await expect(
    page.getByText("Not available: This program is included in a membership"),
  ).toBeVisible();
  await expect(page.getByRole("heading", { name: "Ways to open it" })).toBeVisible();

  await page.goto("/pricing");
  await expect(page.getByText("Payments on this deployment are simulated")).toBeVisible();
  const monthly = page.getByRole("article", { name: "Membership, monthly" });
  await monthly.getByRole("button", { name: "Start free trial" }).click();

  // The emulator's hosted Checkout: a declined card first, then the card that works for a trial
  // and declines later (so the renewal fails).
  await expect(page.getByRole("heading", { level: 1, name: /Subscribe to/ })).toBeVisible();
  await expect(page.getByText(/simulated/i).first()).toBeVisible();
  await page.getByLabel("Card number").fill("4000 0000 0000 0002");
  await page.getByRole("button", { name: "Start free trial" }).click();
  await expect(page.getByRole("alert")).toContainText(/declined/i);
  await page.getByLabel("Card number").fill("4000 0000 0000 0341");
  await page.getByRole("button", { name: "Start free trial" }).click();

  // Back on Kindred: the success page waits for the webhook, then opens access.
  await expect(page).toHaveURL(/\/app\/billing\/success\?session=cs_/);
  await expect(page.getByRole("heading", { level: 1, name: "You are in" })).toBeVisible({
    timeout: 30_000,
  });
  await page.goto(PROGRAM);
  await expect(page.getByText("Not available")).toHaveCount(0);
  await page.getByRole("button", { name: /^Start/ }).click();
  await page.getByLabel("Your answer").fill("My brother, and the Sunday calls we used to have.");
  await page.getByRole("button", { name: "Submit answer" }).click();
  await expect(page.getByText(/Saved to your journal|Answered/i).first()).toBeVisible();

  // The trial ends and the card declines: past due, a banner, one email, access kept.
  const sub = await subscriptionOf(email);
  expect(sub?.status).toBe("TRIALING");
  await advance(page, sub!.id);
  await expect
    .poll(async () => (await subscriptionOf(email))?.status, { timeout: 30_000 })
    .toBe("PAST_DUE");
  await page.goto("/app");
  await expect(page.getByRole("alert").filter({ hasText: "did not go through" })).toBeVisible();
  await expect
    .poll(
      async () =>
        (
          await sql<{ n: string }>(
            `SELECT count(*) AS n FROM "Email" WHERE "toAddress" = $1 AND category = 'billing'`,
            [email],
          )
        )[0]?.n,
      { timeout: 30_000 },
    )
    .toBe("1");
  await page.goto(PROGRAM);
  await expect(page.getByText("Not available")).toHaveCount(0);

  // The card is updated in the portal: the overdue invoice is paid, the banner goes.
  await page.goto("/app/settings/billing");
  await expect(page.getByRole("alert").filter({ hasText: "did not go through" })).toBeVisible();
  await page.getByRole("button", { name: "Manage billing" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Manage your billing" })).toBeVisible();
  await page.getByLabel("New card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Update card" }).click();
  await expect
    .poll(async () => (await subscriptionOf(email))?.status, { timeout: 30_000 })
    .toBe("ACTIVE");

  // Cancel at the end of the period: access until then.
  await page.getByRole("button", { name: "Cancel at period end" }).click();
  await expect
    .poll(async () => (await subscriptionOf(email))?.cancelAtPeriodEnd, { timeout: 30_000 })
    .toBe(true);
  await page.getByRole("link", { name: "Return to the site" }).click();
  await expect(page).toHaveURL(/\/app\/settings\/billing/);
  await expect(page.getByText(/you keep access until then/)).toBeVisible();
  await expect(page.getByRole("link", { name: /View/ }).first()).toBeVisible();

  // The period ends: no access, the program is read-only, the journal stays.
  await advance(page, sub!.id);
  await expect
    .poll(async () => (await subscriptionOf(email))?.status, { timeout: 30_000 })
    .toBe("CANCELED");
  await page.goto(PROGRAM);
  await expect(page.getByText(/Read-only: .*Everything you wrote here stays yours/)).toBeVisible();
  await page.goto("/app/journal");
  await expect(page.getByRole("heading", { level: 1, name: "Journal" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Export/ }).first()).toBeVisible();
});

test("the admin refunds a one-time purchase and grants a comp; the console matches the data", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO.admin.email);
  await page.goto("/admin/billing");
  await expect(page.getByRole("heading", { level: 1, name: "Billing" })).toBeVisible();

  // MRR and counts are what the subscriptions say.
  const subs = await sql<{
    status: string;
    amount: number;
    interval: string;
    currency: string;
    paused: boolean;
  }>(`SELECT status, amount, interval, currency, paused FROM "Subscription"`);
  const mrr = subs
    .filter(
      (s) =>
        (s.status === "ACTIVE" || s.status === "PAST_DUE") && !s.paused && s.currency === "gbp",
    )
    .reduce((sum, s) => sum + (s.interval === "YEAR" ? s.amount / 12 : s.amount), 0);
  const summary = page.getByRole("region", { name: "Summary" });
  const pounds = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" }).format(
    Math.round(mrr) / 100,
  );
  await expect(summary).toContainText(pounds);
  const active = subs.filter((s) => s.status === "ACTIVE").length;
  await expect(summary.getByText("Active", { exact: true }).locator("..")).toContainText(
    String(active),
  );

  // Refund Lena's purchase in full, with a reason.
  const [lena] = await sql<{ id: string; amount: number }>(
    `SELECT p.id, p.amount FROM "Purchase" p JOIN "User" u ON u.id = p."userId" WHERE u.email = 'lena@demo.kindred.local'`,
  );
  const refund = page.getByRole("form", { name: /Refund .*lena@demo\.kindred\.local/ });
  await page.locator("summary", { hasText: /Refund .*lena@demo\.kindred\.local/ }).click();
  await refund.getByLabel("Reason").fill("Bought by mistake");
  await refund.getByRole("button", { name: "Refund all that is left" }).click();
  await expect
    .poll(
      async () =>
        (
          await sql<{ r: number }>(`SELECT "amountRefunded" AS r FROM "Purchase" WHERE id = $1`, [
            lena!.id,
          ])
        )[0]?.r,
      {
        timeout: 30_000,
      },
    )
    .toBe(lena!.amount);
  const [audit] = await sql<{ n: string }>(
    `SELECT count(*) AS n FROM "AuditLog" WHERE action = 'billing.refund' AND "targetId" = $1`,
    [lena!.id],
  );
  expect(audit?.n).toBe("1");

  // A comp for Maya to the members' program, until a date.
  const comp = page.getByRole("form", { name: "Grant free access" });
  await comp.getByLabel("Member's email").fill("nobody@example.org");
  await comp.getByRole("button", { name: "Grant access" }).click();
  await expect(comp.getByText("No member has that email address.").first()).toBeVisible();
  await comp.getByLabel("Member's email").fill(DEMO.member.email);
  await comp.getByLabel("Access to").selectOption({ label: "Reaching out, again" });
  const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await comp.getByLabel("Ends on (optional)").fill(until);
  await comp.getByLabel("Reason (optional)").fill("Scholarship");
  await comp.getByRole("button", { name: "Grant access" }).click();
  await expect
    .poll(
      async () =>
        (
          await sql<{ n: string }>(
            `SELECT count(*) AS n FROM "Comp" c JOIN "User" u ON u.id = c."userId" WHERE u.email = $1`,
            [DEMO.member.email],
          )
        )[0]?.n,
      { timeout: 15_000 },
    )
    .toBe("1");
  await page.reload();
  await expect(page.getByText("Scholarship").first()).toBeVisible();
});

async function checkoutSessions() {
  const [row] = await sql<{ n: string }>(
    `SELECT count(*) AS n FROM "StripeEmuObject" WHERE data->>'object' = 'checkout.session'`,
  );
  return Number(row?.n);
}

test("the buy and portal forms refuse another site's form and send a visitor to sign in first", async ({
  page,
}) => {
  const [plan] = await sql<{ id: string }>(
    `SELECT id FROM "Plan" WHERE active ORDER BY "createdAt" LIMIT 1`,
  );
  expect(plan).toBeDefined();
  const form = { planId: plan?.id ?? "" };
  // Another site's form (its Origin) is refused before anything else, signed in or not.
  for (const path of ["/api/billing/checkout", "/api/billing/portal"]) {
    const refused = await page.request.post(path, {
      form,
      headers: { origin: "https://elsewhere.example" },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain("Cross-site form refused");
  }
  // A visitor without a session is sent to sign in, and back to where they were buying.
  const checkout = await page.request.post("/api/billing/checkout", { form, maxRedirects: 0 });
  expect(checkout.status()).toBe(303);
  const toSignIn = new URL(checkout.headers().location ?? "", "http://x");
  expect(toSignIn.pathname).toBe("/signin");
  expect(toSignIn.searchParams.get("callbackUrl")).toBe("/pricing");
  const portal = await page.request.post("/api/billing/portal", { form, maxRedirects: 0 });
  expect(portal.status()).toBe(303);
  expect(new URL(portal.headers().location ?? "", "http://x").searchParams.get("callbackUrl")).toBe(
    "/app/settings/billing",
  );

  // Signed in, a same-origin form for a plan that does not exist comes back with a message.
  await signIn(page, DEMO.member.email, "form");
  const sessionsBefore = await checkoutSessions();
  const unknown = await page.request.post("/api/billing/checkout", {
    form: { planId: "no-such-plan" },
    maxRedirects: 0,
  });
  expect(unknown.status()).toBe(303);
  const back = new URL(unknown.headers().location ?? "", "http://x");
  expect(back.pathname).toBe("/pricing");
  expect(back.searchParams.get("problem")).toBeTruthy();
  // Nothing was sent to Stripe for it: no new Checkout Session.
  expect(await checkoutSessions()).toBe(sessionsBefore);
});
