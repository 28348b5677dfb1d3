import { expect, test } from "./fixtures";
import { DEMO, signIn, sql } from "./helpers";

/**
 * A coach opens a cohort with one seat and shares its invite link; the first member takes the
 * seat, the second joins the waitlist, and when the first leaves the second gets the seat and an
 * email saying so.
 */
const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

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

  // The first member is new: the first-sign-in step asks for a name and offers a picture.
  const first = await (await browser.newContext()).newPage();
  const firstEmail = `cohort-a-${stamp}@example.org`;
  await signIn(first, firstEmail, "form", { welcome: "manual" });
  await expect(first).toHaveURL(/\/settings\/welcome/);
  await first.getByLabel("Name", { exact: true }).fill(`Rosa ${stamp}`);
  await first.locator("input[type=file]").setInputFiles({
    name: "me.png",
    mimeType: "image/png",
    buffer: Buffer.from(PNG_1X1, "base64"),
  });
  await expect(first.getByRole("button", { name: "Change picture" })).toBeVisible();
  await first.getByRole("button", { name: "Continue" }).click();
  await first.waitForURL((url) => url.pathname !== "/settings/welcome");
  await first.goto(invite.pathname);
  await first.getByRole("button", { name: /^Join/ }).click();
  await expect(
    first.getByRole("heading", { level: 1, name: `Evening circle ${stamp}` }),
  ).toBeVisible();
  await expect(first.getByRole("heading", { name: "Schedule" })).toBeVisible();
  // Day 0 is today: the first module is open, the later ones say when they open.
  const schedule = first.getByRole("region", { name: "Schedule" });
  await expect(schedule.getByText("Open", { exact: true })).toHaveCount(1);
  await expect(schedule.getByText(/^Opens /)).toHaveCount(2);
  // The other members see the name and the picture, never the email address.
  await first.getByRole("link", { name: "See everyone" }).click();
  await expect(first).toHaveURL(/\/people$/);
  const me = first.getByRole("listitem").filter({ hasText: `Rosa ${stamp}` });
  await expect(me.locator("img")).toHaveAttribute("src", /^\/api\/uploads\/[a-f0-9]{32}\.png$/);
  await expect(first.getByText(firstEmail)).toHaveCount(0);
  await first.getByRole("link", { name: `Evening circle ${stamp}` }).click();
  await expect(first.getByRole("button", { name: "Leave this cohort" })).toBeVisible();

  const second = await (await browser.newContext()).newPage();
  const secondEmail = `cohort-b-${stamp}@example.org`;
  await signIn(second, secondEmail, "form");
  await second.goto(invite.pathname);
  await expect(second.getByText("None: you would join the waitlist")).toBeVisible();
  await second.getByRole("button", { name: /^Join the waitlist/ }).click();
  await expect(second.getByText("You are number 1 in line.")).toBeVisible();

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

/** A coach adds a live session; a member sees it in their zone and subscribes to the feed. */
test("live sessions reach a member's calendar feed", async ({ browser }) => {
  const stamp = Date.now();
  const [cohort] = await sql<{ id: string }>(
    `SELECT id FROM "Cohort" WHERE slug = 'winter-circle'`,
  );
  const coachContext = await browser.newContext();
  const coach = await coachContext.newPage();
  await signIn(coach, DEMO.coach.email);
  await coach.goto(`/coach/cohorts/${cohort!.id}`);
  const form = coach.getByRole("form", { name: "Add a live session" });
  await form.getByLabel("Title").fill(`Kick-off ${stamp}`);
  await form.getByLabel("Join link").fill("http://insecure.example.org");
  await form.getByRole("button", { name: "Add session" }).click();
  await expect(form.getByText("Paste the meeting's https:// link.")).toBeVisible();
  await form.getByLabel("Join link").fill("https://meet.example.org/kick-off");
  await form.getByLabel("Date").fill(new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
  await form.getByRole("button", { name: "Add session" }).click();
  await expect(coach.getByRole("listitem").filter({ hasText: `Kick-off ${stamp}` })).toBeVisible();
  await coachContext.close();

  const memberContext = await browser.newContext();
  const maya = await memberContext.newPage();
  await signIn(maya, DEMO.member.email);
  await maya.goto("/app/cohorts/winter-circle");
  await expect(maya.getByText(`Kick-off ${stamp}`, { exact: true })).toBeVisible();
  const make = maya.getByRole("button", { name: "Get my calendar link" });
  if (await make.isVisible()) await make.click();
  const address = maya.getByLabel("Or paste this address into your calendar app");
  await expect(address).toBeVisible();
  const ics = await maya.request.get(new URL(await address.inputValue()).pathname);
  expect(ics.headers()["content-type"]).toContain("text/calendar");
  const body = (await ics.text()).replace(/\r\n /g, "");
  expect(body).toContain(`SUMMARY:Kick-off ${stamp} (Winter circle)`);
  expect(body).toContain("STATUS:CONFIRMED");
  await memberContext.close();
});

/**
 * Maya shares one journal answer into her cohort (after ticking the consent box); the coach
 * finds a drifting member on the roster and nudges them: two clicks, one email.
 */
test("a shared answer, and a nudge that is sent once", async ({ browser }) => {
  const mayaContext = await browser.newContext();
  const maya = await mayaContext.newPage();
  await signIn(maya, DEMO.member.email);
  const [scale] = await sql<{ id: string }>(
    `SELECT x.id FROM "Exercise" x JOIN "Step" s ON s.id = x."stepId" JOIN "Module" m ON m.id = s."moduleId"
     JOIN "Program" p ON p.id = m."programId" WHERE p.slug = 'community-on-purpose' AND x.kind = 'SCALE'`,
  );
  await maya.goto(`/app/journal/${scale!.id}`);
  await maya.getByRole("button", { name: /^Share pass 1 with Winter circle/ }).click();
  const form = maya.getByRole("form", { name: "Share pass 1 with Winter circle" });
  await form.getByLabel("A note for the group").fill("My first score.");
  await form.getByRole("button", { name: "Share" }).click();
  // Nothing leaves the journal without the box ticked.
  await expect(form.getByText("Tick the box to confirm")).toBeVisible();
  await form.getByLabel(/Everyone in Winter circle may read this answer/).check();
  await form.getByRole("button", { name: "Share" }).click();
  await expect(maya.getByText("Shared in")).toBeVisible();
  await maya.goto("/app/cohorts/winter-circle");
  const shared = maya.getByRole("article").filter({ hasText: "My first score." });
  await expect(shared.getByText("/ 10")).toBeVisible();
  await mayaContext.close();

  const coachContext = await browser.newContext();
  const coach = await coachContext.newPage();
  await signIn(coach, DEMO.coach.email);
  const [cohort] = await sql<{ id: string }>(
    `SELECT id FROM "Cohort" WHERE slug = 'winter-circle'`,
  );
  await coach.goto(`/coach/cohorts/${cohort!.id}?filter=drifting`);
  const row = coach.getByRole("row").filter({ hasText: "Lena Berg" });
  await expect(row.getByText(/Drifting/)).toBeVisible();
  await row.getByRole("button", { name: "Nudge Lena Berg" }).click();
  await expect(row.getByText(/Nudge sent|Nudged today/)).toBeVisible();
  await row.getByRole("button", { name: "Nudge Lena Berg" }).click();
  await expect(row.getByText("Already nudged today")).toBeVisible();
  await expect
    .poll(
      async () =>
        (
          await sql<{ n: string }>(
            `SELECT count(*) AS n FROM "OutboxMessage" WHERE 'lena@demo.kindred.local' = ANY("toAddresses") AND subject LIKE '%thinking of you'`,
          )
        )[0]?.n,
      { timeout: 30_000 },
    )
    .toBe("1");
  await coachContext.close();
});
