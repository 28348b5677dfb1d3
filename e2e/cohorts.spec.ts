import { expect, test } from "./fixtures";
import { DEMO, signIn, sql } from "./helpers";

/**
 * A coach opens a cohort with one seat and shares its invite link; the first member takes the
 * seat, the second joins the waitlist, and when the first leaves the second gets the seat and an
 * email saying so.
 */
test("a cohort fills, waitlists and promotes through the browser", async ({ browser }) => {
  const stamp = Date.now();
  const coachContext = await browser.newContext();
  const coach = await coachContext.newPage();
  await signIn(coach, DEMO.coach.email);
  await coach.goto("/coach/cohorts");
  const form = coach.getByRole("form", { name: "New cohort" });
  await form.getByLabel("Name").fill(`Evening circle ${stamp}`);
  await form.getByLabel("Seats").fill("0");
  await form.getByRole("button", { name: "Create cohort" }).click();
  await expect(form.getByLabel("Seats")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByText("A cohort needs at least 1 seat.")).toBeVisible();
  await form.getByLabel("Start date").fill("2020-01-01");
  await form.getByLabel("Seats").fill("1");
  await form.getByRole("button", { name: "Create cohort" }).click();
  await expect(form.getByText("a cohort cannot start in the past")).toBeVisible();
  const today = new Date().toISOString().slice(0, 10);
  await form.getByLabel("Start date").fill(today);
  await form.getByLabel("The cohort's time zone").fill("UTC");
  await form.getByRole("button", { name: "Create cohort" }).click();
  await expect(
    coach.getByRole("heading", { level: 1, name: `Evening circle ${stamp}` }),
  ).toBeVisible();
  await coach.getByRole("button", { name: "Make an invite link" }).click();
  const link = coach.getByLabel("Invite link");
  await expect(link).toBeVisible();
  const invite = new URL(await link.inputValue());

  const first = await (await browser.newContext()).newPage();
  const firstEmail = `cohort-a-${stamp}@example.org`;
  await signIn(first, firstEmail, "form");
  await first.goto(invite.pathname);
  await first.getByRole("button", { name: /^Join/ }).click();
  await expect(
    first.getByRole("heading", { level: 1, name: `Evening circle ${stamp}` }),
  ).toBeVisible();
  await expect(first.getByRole("heading", { name: "Schedule" })).toBeVisible();

  const second = await (await browser.newContext()).newPage();
  const secondEmail = `cohort-b-${stamp}@example.org`;
  await signIn(second, secondEmail, "form");
  await second.goto(invite.pathname);
  await expect(second.getByText("None: you would join the waitlist")).toBeVisible();
  await second.getByRole("button", { name: /^Join the waitlist/ }).click();
  await expect(second.getByText("You are number 1 on the waitlist.")).toBeVisible();

  await first.getByRole("button", { name: "Leave this cohort" }).click();
  await first.getByRole("button", { name: "Yes" }).click();
  await expect(first).toHaveURL(/\/app\/cohorts$/);

  await second.goto(invite.pathname);
  await expect(second.getByRole("link", { name: "You are in: open the cohort" })).toBeVisible();
  // The seat email is sent by the worker; it arrives in the outbox once.
  await expect
    .poll(
      async () =>
        (
          await sql<{ n: string }>(
            `SELECT count(*) AS n FROM "OutboxMessage" WHERE $1 = ANY("toAddresses") AND subject LIKE 'You have a seat%'`,
            [secondEmail],
          )
        )[0]?.n,
      { timeout: 30_000 },
    )
    .toBe("1");

  // The coach sees the second member on the roster, the first gone.
  await coach.reload();
  const roster = coach.getByRole("table");
  await expect(roster.getByText(secondEmail)).toBeVisible();
  await expect(roster.getByText(firstEmail)).toHaveCount(0);
  await coachContext.close();
});

/**
 * The space is live: a post and a comment written in one browser appear in another that has the
 * page open, without reloading it; a coach hides a post and it leaves the member's page.
 */
test("the cohort space updates live in another browser", async ({ browser }) => {
  const stamp = Date.now();
  const mayaContext = await browser.newContext();
  const maya = await mayaContext.newPage();
  await signIn(maya, DEMO.member.email);
  await maya.goto("/app/cohorts/winter-circle");
  await expect(maya.locator("[data-live=live]")).toBeVisible({ timeout: 15_000 });
  // A mark on this document: a reload would lose it, updating in place keeps it.
  await maya.evaluate(() => {
    (window as unknown as { keptAlive: boolean }).keptAlive = true;
  });

  const coachContext = await browser.newContext();
  const coach = await coachContext.newPage();
  await signIn(coach, DEMO.coach.email);
  await coach.goto("/app/cohorts/winter-circle");
  const composer = coach.getByRole("form", { name: "Write a post" });
  await composer.getByLabel("Share with the group").fill(`Tonight's question ${stamp}`);
  await composer.getByRole("button", { name: "Post" }).click();

  const post = maya.getByRole("article").filter({ hasText: `Tonight's question ${stamp}` });
  await expect(post).toBeVisible({ timeout: 15_000 });
  await post.getByLabel("Your comment").fill(`An answer ${stamp}`);
  await post.getByRole("button", { name: "Comment" }).click();

  const coachPost = coach.getByRole("article").filter({ hasText: `Tonight's question ${stamp}` });
  await expect(coachPost.getByText(`An answer ${stamp}`)).toBeVisible({ timeout: 15_000 });
  await coachPost.getByRole("button", { name: "Hide" }).click();
  await expect(post).toHaveCount(0, { timeout: 15_000 });
  expect(await maya.evaluate(() => (window as unknown as { keptAlive?: boolean }).keptAlive)).toBe(
    true,
  );
  await mayaContext.close();
  await coachContext.close();
});
