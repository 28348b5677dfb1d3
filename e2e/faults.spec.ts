import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { databaseLink, signIn, sql, sqlOpened } from "./helpers";

/**
 * Issue 13: the database stops while a member is typing. The page says calmly that saving is
 * paused and the text is kept, and saves it by itself once the database is back, with no
 * reload; a submit pressed meanwhile is recorded once.
 */
const PROGRAM = "Community, on purpose";
const PROMPT = /When you picture “your community”/;
const PAUSED =
  "Saving paused — your text is kept on this device and will be saved when we're back.";
const RESENDING =
  "Saving paused — Kindred can't reach its database for a moment. What you entered is kept and will be saved by itself when we're back.";
const SUBMIT_PAUSED =
  "Submitting paused — your answer is kept on this device and will be sent when we're back.";

// Whatever happens in a test, the next one (and the next spec) gets its database back.
test.afterEach(async () => {
  await databaseLink("restore");
});

/** A member of its own, enrolled, on the first step: its reflection's card. */
async function firstReflection(
  page: Page,
  name: string,
): Promise<{ card: Locator; email: string }> {
  const email = `faults-${name}-${Date.now()}@example.org`;
  await signIn(page, email, "form");
  await page.goto("/app/programs");
  await page
    .getByRole("list", { name: "Programs" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: PROGRAM, exact: true }) })
    .getByRole("button", { name: `Start “${PROGRAM}”` })
    .click();
  await expect(page).toHaveURL(/\/steps\//);
  const card = page
    .getByRole("region")
    .filter({ has: page.getByRole("heading", { name: PROMPT }) });
  await expect(card.getByLabel("Your answer")).toBeVisible();
  // Proof at the end that the page was never reloaded: this mark lives only in this document.
  await page.evaluate(() => {
    (window as unknown as { faultsMark: string }).faultsMark = "same page";
  });
  return { card, email };
}

async function noReload(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { faultsMark?: string }).faultsMark)).toBe(
    "same page",
  );
}

async function draftText(email: string): Promise<string | null> {
  const [row] = await sqlOpened<{ content: { text?: string } }>(
    `SELECT d.content FROM "AnswerDraft" d JOIN "User" u ON u.id = d."userId" WHERE u.email = $1`,
    [email],
  );
  return row?.content.text ?? null;
}

async function passes(email: string) {
  const rows = await sqlOpened<{
    passNumber: number;
    content: { text: string };
    submissionId: string | null;
  }>(
    `SELECT p."passNumber", p.content, p."submissionId"
       FROM "AnswerPass" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1`,
    [email],
  );
  return rows.map(({ content, ...p }) => ({ ...p, text: content.text }));
}

/** The calm state: what it says, and that it looks like neither an error nor a warning. */
async function expectCalm(status: Locator, text: string) {
  await expect(status).toHaveText(text, { timeout: 30_000 });
  await expect(status).toHaveAttribute("data-status", "paused");
  await expect(status).not.toHaveClass(/text-danger|text-warn/);
}

test("typing while the database is away: paused and kept, then saved when it is back, with no reload", async ({
  page,
}) => {
  const { card, email } = await firstReflection(page, "typing");
  const answer = card.getByLabel("Your answer");
  const status = card.getByRole("status");
  await answer.fill("What I see first: my neighbours.");
  await expect(status).toHaveText("Saved", { timeout: 15_000 });

  await databaseLink("cut");
  const full =
    "What I see first: my neighbours. And, typed while the database was away, the choir on Thursdays.";
  await answer.fill(full);
  await expectCalm(status, PAUSED);
  await expect(card.getByRole("alert")).toHaveCount(0);
  await expect(answer).toHaveValue(full);
  await expect(answer).toBeEnabled();
  expect(await draftText(email)).toBe("What I see first: my neighbours.");
  const kept = await page.evaluate(() =>
    Object.entries(localStorage)
      .filter(([key]) => key.startsWith("kindred:draft:"))
      .map(([, value]) => JSON.parse(value) as { content: { text: string }; synced: boolean }),
  );
  expect(kept).toEqual([
    expect.objectContaining({ content: expect.objectContaining({ text: full }), synced: false }),
  ]);

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await status.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screens/faults-paused-${width}.png` });
  }

  await databaseLink("restore");
  // Retried by itself (the server asks for 5 s between tries), no reload, no click.
  await expect(status).toHaveText("Saved", { timeout: 60_000 });
  await expect.poll(() => draftText(email), { timeout: 10_000 }).toBe(full);
  await expect(answer).toHaveValue(full);
  await noReload(page);
});

test("a submit pressed while the database is away is kept, sent by itself when it is back, and recorded once", async ({
  page,
}) => {
  const { card, email } = await firstReflection(page, "submit");
  const answer = card.getByLabel("Your answer");
  const status = card.getByRole("status");
  const text = "Submitted during the outage: the people who ask how I am, and wait for the answer.";
  await answer.fill(text);
  await expect(status).toHaveText("Saved", { timeout: 15_000 });

  await databaseLink("cut");
  await card.getByRole("button", { name: "Submit answer" }).click();
  await expectCalm(status, SUBMIT_PAUSED);
  await expect(card.getByRole("button", { name: "Waiting to submit…" })).toBeDisabled();
  await expect(answer).toHaveValue(text);
  await expect(card.getByRole("alert")).toHaveCount(0);
  await page.setViewportSize({ width: 390, height: 900 });
  await status.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screens/faults-submit-paused-390.png" });
  expect(await passes(email)).toEqual([]);

  await databaseLink("restore");
  await expect(card.getByText("Answered — pass 1.")).toBeVisible({ timeout: 60_000 });
  const recorded = await passes(email);
  expect(recorded).toEqual([
    { passNumber: 1, text, submissionId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
  ]);
  await noReload(page);
});

test("a check-in saved while the database is away keeps its note, says so calmly, and is saved once by itself when it is back", async ({
  page,
}) => {
  const email = `faults-checkin-${Date.now()}@example.org`;
  await signIn(page, email, "form");
  const [commitment] = await sql<{ id: string }>(
    `INSERT INTO "Commitment" (id, "userId", text, "dueOn", "updatedAt")
     SELECT 'faults-' || md5(random()::text), id, 'Call Ana', CURRENT_DATE + 3, now()
       FROM "User" WHERE email = $1 RETURNING id`,
    [email],
  );
  await page.goto(`/app/commitments/${commitment!.id}`);
  const form = page.getByRole("form", { name: "Check in: Call Ana" });
  const note = "Called her on Sunday; we laughed about the old flat.";
  await form.getByLabel("Note").fill(note);

  await databaseLink("cut");
  await form.getByRole("button", { name: "Save check-in" }).click();
  const paused = form.getByText(RESENDING);
  await expect(paused).toBeVisible({ timeout: 30_000 });
  await expect(paused).toHaveAttribute("role", "status");
  await expect(paused).not.toHaveClass(/text-danger|text-warn/);
  await expect(form.getByRole("alert")).toHaveCount(0);
  await expect(form.getByLabel("Note")).toHaveValue(note);
  await page.setViewportSize({ width: 390, height: 900 });
  await paused.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screens/faults-checkin-paused-390.png" });

  await expect(form.getByRole("button", { name: "Waiting to save…" })).toBeDisabled();

  await databaseLink("restore");
  // Sent again by itself (same request id) once Kindred answers: no click, no reload. The
  // commitment is then done, so the page refreshes to its history (the form is gone).
  await expect(
    page.getByRole("region", { name: "Check-ins" }).getByText(note, { exact: true }),
  ).toBeVisible({ timeout: 60_000 });
  const rows = await sqlOpened<{ note: string }>(
    `SELECT note FROM "CommitmentCheckIn" WHERE "commitmentId" = $1`,
    [commitment!.id],
  );
  expect(rows).toEqual([{ note }]);
});
