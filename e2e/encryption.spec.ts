import { execFileSync } from "node:child_process";
import { E2E } from "./config";
import { expect, test } from "./fixtures";
import { signIn, sqlOpened, untilLive } from "./helpers";

/**
 * Issue 12, part 1, in a browser: a new member writes an answer and puts someone on their map;
 * the pages show what they wrote, and a `pg_dump` of the app's database right after (demo data
 * and every earlier spec's journeys included) holds none of it. Reading the same rows with the
 * app's master key gives it back.
 */
const stamp = Date.now().toString(36);
const ANSWER = `Marker answer ${stamp}: the choir on Thursdays`;
const PERSON = `Marker person ${stamp}`;

test("what a member writes is shown to them and absent from a database dump", async ({ page }) => {
  test.setTimeout(120_000);
  const email = `sealed-${stamp}@example.org`;
  await signIn(page, email, "form");
  await expect(page).toHaveURL(/\/app$/);
  await page.goto("/app/programs");
  // The demo program by name: earlier specs add others (a cohort-paced one among them).
  await page
    .getByRole("list", { name: "Programs" })
    .getByRole("button", { name: "Start “Community, on purpose”" })
    .click();
  await expect(page).toHaveURL(/\/app\/programs\/community-on-purpose\/steps\/[^/]+$/);
  const box = page.getByLabel("Your answer").first();
  await untilLive(box);
  await box.fill(ANSWER);
  await page.getByRole("button", { name: "Submit answer" }).first().click();
  await expect(page.getByText("Answered — pass 1.").first()).toBeVisible({ timeout: 15_000 });

  await page.goto("/app/journal");
  await expect(page.getByText(ANSWER).first()).toBeVisible();

  await page.goto("/app/community");
  const add = page.getByRole("region", { name: "Add someone" });
  await add.getByLabel("Name").fill(PERSON);
  await add.getByLabel("Circle").fill("Choir");
  await add.getByRole("button", { name: "Add to my map" }).click();
  await expect(page.getByText(PERSON).first()).toBeVisible({ timeout: 15_000 });

  const dump = execFileSync("pg_dump", ["--no-owner", E2E.databaseUrl()], {
    maxBuffer: 512 * 1024 * 1024,
  }).toString("utf8");
  expect(dump).toContain(`sealed-${stamp}@example.org`); // the dump is this app's database
  expect(dump).not.toContain(ANSWER);
  expect(dump).not.toContain(PERSON);

  const [pass] = await sqlOpened<{ content: { text: string } }>(
    `SELECT p.content FROM "AnswerPass" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1`,
    [email],
  );
  expect(pass?.content.text).toBe(ANSWER);
  const [person] = await sqlOpened<{ name: string }>(
    `SELECT p.name FROM "Person" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1`,
    [email],
  );
  expect(person?.name).toBe(PERSON);
});
