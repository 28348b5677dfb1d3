import type { Locator, Page } from "@playwright/test";
import { E2E } from "./config";
import { expect, test } from "./fixtures";
import { DEMO, signIn, sql } from "./helpers";

/**
 * Issue 3's journey end to end: the coach writes a program with one exercise of every kind,
 * previews and publishes it; a brand-new member enrols, answers every kind (a reflection draft
 * survives a reload), answers again after the revisit period (the clock is moved through the
 * database), sees the word diff and the scale trend, exports the journal; the coach sees
 * progress but never the private text, except the one pass the member shares, until it is
 * un-shared. The tests run in order and share the program and the member.
 */
test.describe.configure({ mode: "serial" });
// A missing control fails within half a minute instead of using up the whole test.
test.use({ actionTimeout: 30_000 });

const stamp = Date.now();
const title = `Friends on purpose ${stamp}`;
const memberEmail = `e2e-member-${stamp}@example.org`;
// The name the first-sign-in step is given (signIn answers it with the address's local part).
const memberName = `e2e-member-${stamp}`;
const moduleTitle = "Looking around";
const stepTitle = "Who is here";
const REVISIT_DAYS = 3;

const prompt = {
  reflection: "What does community mean to you right now?",
  lenses: "What is missing in your life at the moment?",
  scale: "How easy is it for you to ask for support?",
  people: "Who have you lost touch with?",
  commitment: "What is one first step you can take today?",
  practice: "Which practices did you try this week?",
};
const probe = "Why does that matter to you?";
const followUp = "What would make it a 10?";

// The member's private words: the coach must never see them unless one pass is shared.
const answer = {
  first: "Right now my community is a few friends and my sister.",
  again: "Right now my community is a few neighbours and my sister.",
  probe: "Because I feel less alone when I know who to call.",
  lensWork: "Colleagues I can talk to about more than deadlines.",
  lensFriends: "Someone nearby for a walk on a weekday evening.",
  scaleFollowUp: "Knowing they would say yes without keeping score.",
  scaleFollowUpAgain: "One more person I could call at night.",
  scaleWhy: "I asked a neighbour for help and it went well.",
  person: "Ada Quill",
  personWhy: "We laughed a lot at university.",
  commitment: "Send Ada a message about a walk.",
  practiceNote: "Said hello to the neighbours twice.",
};
const privateTexts = [
  answer.first,
  answer.again,
  answer.probe,
  answer.lensWork,
  answer.lensFriends,
  answer.scaleFollowUp,
  answer.scaleFollowUpAgain,
  answer.scaleWhy,
  answer.personWhy,
  answer.commitment,
  answer.practiceNote,
];

/** Set by the first test, used by the later ones. */
let programId = "";

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A journal link such as "Timeline: <prompt>" (the prompt part is visually hidden). */
const journalLink = (action: string, text: string) =>
  new RegExp(`^${action}\\s*: ${escapeRe(text)}$`);

/** One exercise on the member's step page: a section named by its prompt. */
const card = (page: Page, text: string) => page.getByRole("region", { name: text, exact: true });

async function submitAndExpectPass(region: Locator, pass: number) {
  await region.getByRole("button", { name: "Submit answer" }).click();
  await expect(region.getByText(`Answered — pass ${pass}.`)).toBeVisible();
}

async function openStep(page: Page) {
  await page.goto("/app/programs");
  const item = page
    .getByRole("list", { name: "Programs" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: title }) });
  // Every step is done, so the catalog calls the program completed.
  await expect(item).toContainText("Completed");
  await item.getByRole("link", { name: title, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("You completed this program.")).toBeVisible();
  await page.getByRole("link", { name: stepTitle, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: stepTitle })).toBeVisible();
}

test("the coach writes a program with every exercise kind, previews and publishes it", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page, DEMO.coach.email, "demo");
  await expect(page).toHaveURL(/\/coach$/);

  await page.goto("/coach/programs");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Create program" }).click();
  await expect(page).toHaveURL(/\/coach\/programs\/[^/]+$/);
  programId = new URL(page.url()).pathname.split("/").at(-1)!;
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("Draft", { exact: true })).toBeVisible();

  await page.getByLabel("New module title").fill(moduleTitle);
  await page.getByRole("button", { name: "Add module" }).click();
  await expect(page.getByRole("heading", { name: `Module 1: ${moduleTitle}` })).toBeVisible();

  await page.getByLabel("New step title").fill(stepTitle);
  await page.getByRole("button", { name: "Add step" }).click();
  // The new step is selected in the outline, its editor beside it.
  await expect(page.getByRole("heading", { level: 2, name: stepTitle, exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: `Step 1: ${stepTitle}` })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByText("0 exercises · no body")).toBeVisible();

  // The step body, in Markdown, rendered on the server once saved.
  await page
    .getByLabel("Body (Markdown)")
    .fill("## Before you begin\n\nTake a **quiet** moment and answer honestly.");
  await page.getByRole("button", { name: "Save step" }).click();
  await expect(page.getByText("Step saved.")).toBeVisible();
  await expect(page.getByText("0 exercises · has a body")).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Body preview" }).getByRole("heading", {
      name: "Before you begin",
    }),
  ).toBeVisible();

  // One exercise of every kind through the "Add an exercise" form of the step.
  const adder = page
    .locator("details")
    .filter({ has: page.getByText("Add an exercise", { exact: true }) });
  await adder.getByText("Add an exercise", { exact: true }).click();
  let added = 0;
  async function addExercise(kind: string, text: string, settings: () => Promise<void>) {
    await adder.getByLabel("Kind").selectOption({ label: kind });
    await adder.getByLabel("Prompt").fill(text);
    await settings();
    await adder.getByLabel("Ask again after (days)").fill(String(REVISIT_DAYS));
    await adder.getByRole("button", { name: "Add exercise" }).click();
    added += 1;
    await expect(
      page.getByText(`${added} ${added === 1 ? "exercise" : "exercises"} · has a body`),
    ).toBeVisible();
    // The prompt shows in the outline (its edit form stays folded away).
    await expect(
      page
        .getByRole("list", { name: `Exercises of ${stepTitle}` })
        .getByRole("paragraph")
        .filter({ hasText: text }),
    ).toBeVisible();
  }

  await addExercise("Reflection", prompt.reflection, async () => {
    await adder.getByRole("button", { name: /^Add follow-up/ }).click();
    await adder.getByLabel(/^Follow-up .why\?. question 1$/).fill(probe);
  });
  await addExercise("Lenses", prompt.lenses, async () => {
    // All four preset lenses start ticked: keep two of them.
    await adder.getByLabel("Career", { exact: true }).uncheck();
    await adder.getByLabel("Family", { exact: true }).uncheck();
    await expect(adder.getByLabel("Work", { exact: true })).toBeChecked();
    await expect(adder.getByLabel("Friendships", { exact: true })).toBeChecked();
  });
  await addExercise("Scale 1–10", prompt.scale, async () => {
    await adder.getByLabel("Label of 1", { exact: true }).fill("Very hard");
    await adder.getByLabel("Label of 10", { exact: true }).fill("Very easy");
    await adder.getByLabel("Follow-up question").fill(followUp);
  });
  await addExercise("People", prompt.people, async () => {
    await adder.getByRole("button", { name: "Add circle" }).click();
    await adder.getByLabel("Circle 4", { exact: true }).fill("University");
  });
  await addExercise("Commitment", prompt.commitment, async () => {
    await adder.getByLabel("Due in days (0 = today)").fill("2");
  });
  await addExercise("Practice", prompt.practice, async () => {
    await adder.getByRole("button", { name: "Add practice" }).click();
    await adder.getByLabel("Practice 3", { exact: true }).fill("Make the first move");
  });
  await expect(page.getByText(`asked again after ${REVISIT_DAYS} days`)).toHaveCount(6);

  // Preview as a member: the body and every prompt, nothing answerable.
  await page.getByRole("link", { name: "Preview as a member" }).click();
  // It opens at the step selected in the editor.
  await expect(page).toHaveURL(new RegExp(`/coach/programs/${programId}/preview\\?step=\\w+$`));
  await expect(page.getByText("Preview — answers are not saved.")).toBeVisible();
  // One step at a time, as the player shows it.
  await expect(page.getByRole("heading", { level: 1, name: stepTitle })).toBeVisible();
  await expect(page.getByText("Step 1 of 1", { exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Before you begin" })).toBeVisible();
  for (const text of Object.values(prompt)) {
    await expect(page.getByRole("group", { name: text, exact: true })).toBeVisible();
  }
  await expect(page.getByLabel(probe)).toBeDisabled();
  await expect(page.getByText("Make the first move")).toBeVisible();
  await expect(page.getByText(`You will be asked again after ${REVISIT_DAYS} days.`)).toHaveCount(
    6,
  );

  // Publish: the checks pass and the program becomes Published.
  await page.getByRole("link", { name: "Back to the editor" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Published." })).toBeVisible();
  await expect(page.getByRole("button", { name: "Check and republish" })).toBeVisible();
  await expect(page.getByText("Published: members can open it.")).toBeVisible();
  await page.goto("/coach/programs");
  await expect(
    page.getByRole("listitem").filter({ has: page.getByRole("link", { name: title }) }),
  ).toContainText("Published");
  const [row] = await sql<{ status: string }>(`SELECT status FROM "Program" WHERE id = $1`, [
    programId,
  ]);
  expect(row?.status).toBe("PUBLISHED");
});

test("a new member enrols, answers every kind and finds a draft after reloading", async ({
  page,
}) => {
  test.setTimeout(240_000);
  expect(programId, "the program from the first test").not.toBe("");
  await signIn(page, memberEmail, "form");
  await expect(page).toHaveURL(/\/app$/);

  await page.goto("/app/programs");
  const item = page
    .getByRole("list", { name: "Programs" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: title }) });
  await item.getByRole("button", { name: `Start “${title}”` }).click();
  await expect(page).toHaveURL(/\/app\/programs\/[^/]+\/steps\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name: stepTitle })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Before you begin" })).toBeVisible();
  for (const text of Object.values(prompt)) await expect(card(page, text)).toBeVisible();
  // One count in the progress row: where you are, and how many are done.
  await expect(page.getByText("Step 1 of 1", { exact: true })).toBeVisible();
  await expect(page.getByText("0 done", { exact: true })).toBeVisible();

  // Reflection: the draft autosaves, survives a reload (read back from the server: the local
  // copy is cleared first), then is submitted.
  let reflection = card(page, prompt.reflection);
  await reflection.getByLabel("Your answer").fill(answer.first);
  await reflection.getByLabel(probe).fill(answer.probe);
  await expect(reflection.getByRole("status")).toHaveText("Saved", { timeout: 15_000 });
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  reflection = card(page, prompt.reflection);
  await expect(reflection.getByLabel("Your answer")).toHaveValue(answer.first);
  await expect(reflection.getByLabel(probe)).toHaveValue(answer.probe);
  await expect(reflection.getByRole("status")).toHaveText("Saved");
  await submitAndExpectPass(reflection, 1);

  const lenses = card(page, prompt.lenses);
  await lenses.getByLabel("Through the lens of work").fill(answer.lensWork);
  await lenses.getByLabel("Through the lens of friendships").fill(answer.lensFriends);
  await submitAndExpectPass(lenses, 1);

  const scale = card(page, prompt.scale);
  await expect(
    scale.getByRole("group", { name: "Your rating from 1 (Very hard) to 10 (Very easy)" }),
  ).toBeVisible();
  await scale.getByText("4", { exact: true }).click();
  await expect(scale.getByRole("radio", { name: "4", exact: true })).toBeChecked();
  await scale.getByLabel(followUp).fill(answer.scaleFollowUp);
  // A first rating has nothing to have moved from: no "why did it move" yet.
  await expect(scale.getByLabel("Why did it move?")).toHaveCount(0);
  await submitAndExpectPass(scale, 1);
  // When it can be answered again is said once, in the confirmation.
  await expect(scale.getByText(/You can answer again on /)).toHaveCount(1);

  const people = card(page, prompt.people);
  await people.getByLabel("Name").fill(answer.person);
  await people.getByLabel("Circle").selectOption("University");
  await people.getByLabel("What you want").selectOption({ label: "Reconnect" });
  await people.getByLabel("Why").fill(answer.personWhy);
  await submitAndExpectPass(people, 1);

  const commitment = card(page, prompt.commitment);
  await commitment.getByLabel("The first step I will take").fill(answer.commitment);
  await expect(commitment.getByLabel("By")).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await submitAndExpectPass(commitment, 1);

  const practice = card(page, prompt.practice);
  await practice.getByLabel("Start where you are").check();
  await practice.getByLabel("Make the first move").check();
  await practice.getByLabel("A note (optional)").fill(answer.practiceNote);
  await submitAndExpectPass(practice, 1);

  // Every exercise answered: the step is done, and after a reload nothing is offered again yet.
  await page.reload();
  await expect(page.getByText("Done — well done.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Answer again" })).toHaveCount(0);
  await expect(page.getByText(/^You can answer again on /)).toHaveCount(6);
  await expect(card(page, prompt.reflection)).toContainText(answer.first);
  const [passes] = await sql<{ n: string }>(
    `SELECT count(*) AS n FROM "AnswerPass" WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`,
    [memberEmail],
  );
  expect(Number(passes?.n)).toBe(6);
});

test("after the revisit period the member answers again, compares, sees the trend and exports", async ({
  page,
}) => {
  test.setTimeout(240_000);
  // The controlled clock: every pass of this member moves back past the revisit period.
  await sql(
    `UPDATE "AnswerPass" SET "createdAt" = "createdAt" - interval '${REVISIT_DAYS + 1} days' WHERE "userId" = (SELECT id FROM "User" WHERE email = $1)`,
    [memberEmail],
  );
  await signIn(page, memberEmail, "form");
  await expect(page).toHaveURL(/\/app$/);
  await openStep(page);
  await expect(page.getByRole("button", { name: "Answer again" })).toHaveCount(6);

  const reflection = card(page, prompt.reflection);
  await reflection.getByRole("button", { name: "Answer again" }).click();
  await expect(reflection.getByText(/^Your previous answer — pass 1/)).toBeVisible();
  await expect(reflection.getByLabel("Your answer")).toHaveValue("");
  await reflection.getByLabel("Your answer").fill(answer.again);
  await reflection.getByLabel(probe).fill(answer.probe);
  await submitAndExpectPass(reflection, 2);

  const scale = card(page, prompt.scale);
  await scale.getByRole("button", { name: "Answer again" }).click();
  await scale.getByText("7", { exact: true }).click();
  await expect(scale.getByRole("radio", { name: "7", exact: true })).toBeChecked();
  await scale.getByLabel(followUp).fill(answer.scaleFollowUpAgain);
  await scale.getByLabel("Why did it move?").fill(answer.scaleWhy);
  await submitAndExpectPass(scale, 2);

  // The journal lists every prompt; the reflection and the scale have two passes now.
  await page.goto("/app/journal");
  const prompts = page.getByRole("list", { name: "Prompts you answered" });
  await expect(prompts.getByRole("listitem")).toHaveCount(6);
  for (const text of Object.values(prompt)) {
    await expect(prompts.getByRole("heading", { name: text, exact: true })).toBeVisible();
  }
  await expect(prompts.getByRole("listitem").filter({ hasText: prompt.scale })).toContainText(
    "2 passes",
  );
  await expect(prompts.getByRole("listitem").filter({ hasText: prompt.scale })).toContainText(
    "now 7 / 10",
  );

  // Compare: the word diff shows "friends" removed and "neighbours" added.
  await prompts
    .getByRole("link", { name: journalLink("Compare passes", prompt.reflection) })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Compare passes" })).toBeVisible();
  const yourAnswer = page.getByRole("region", { name: "Answer", exact: true });
  await expect(yourAnswer.getByRole("deletion")).toHaveText(["friends"]);
  await expect(yourAnswer.getByRole("insertion")).toHaveText(["neighbours"]);
  await expect(yourAnswer).toContainText(answer.first);
  await expect(yourAnswer).toContainText(answer.again);
  await expect(
    page.getByRole("region", { name: new RegExp(`^${escapeRe(probe)}\\s*\\(unchanged\\)$`) }),
  ).toBeVisible();

  // The scale's timeline: the trend holds 4 then 7, with the "why it moved" note.
  await page.goto("/app/journal");
  await page
    .getByRole("list", { name: "Prompts you answered" })
    .getByRole("link", { name: journalLink("Timeline", prompt.scale) })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: prompt.scale })).toBeVisible();
  const trend = page.getByRole("region", { name: "How it moved" });
  await expect(trend.getByRole("img")).toHaveAccessibleName(
    /^Your answers on a scale from 1 to 10 over time .+: 4; .+: 7$/,
  );
  const rows = trend.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText("4 / 10");
  await expect(rows.nth(1)).toContainText("No note");
  await expect(rows.nth(2)).toContainText("7 / 10");
  await expect(rows.nth(2)).toContainText("+3");
  await expect(rows.nth(2)).toContainText(answer.scaleWhy);

  // Export: the signed-in member downloads everything as JSON and as Markdown.
  const json = await page.request.get("/api/export/journal?format=json");
  expect(json.status()).toBe(200);
  expect(json.headers()["content-type"]).toContain("application/json");
  expect(json.headers()["content-disposition"]).toMatch(
    /^attachment; filename="kindred-journal-\d{4}-\d{2}-\d{2}\.json"$/,
  );
  const data = (await json.json()) as {
    profile: { email: string };
    passes: { kind: string; passNumber: number; scaleValue: number | null; content: unknown }[];
  };
  expect(data.profile.email).toBe(memberEmail);
  expect(data.passes).toHaveLength(8);
  const reflections = data.passes.filter((p) => p.kind === "REFLECTION");
  expect(reflections.map((p) => (p.content as { text: string }).text)).toEqual([
    answer.first,
    answer.again,
  ]);
  expect(data.passes.filter((p) => p.kind === "SCALE").map((p) => p.scaleValue)).toEqual([4, 7]);

  const md = await page.request.get("/api/export/journal?format=md");
  expect(md.status()).toBe(200);
  expect(md.headers()["content-type"]).toContain("text/markdown");
  expect(md.headers()["content-disposition"]).toMatch(
    /^attachment; filename="kindred-journal-\d{4}-\d{2}-\d{2}\.md"$/,
  );
  const text = await md.text();
  expect(text).toContain(`## ${title}`);
  expect(text).toContain(`### ${prompt.reflection}`);
  expect(text).toContain(`> ${answer.first}`);
  expect(text).toContain(`> ${answer.again}`);
  expect(text).toContain("**Scale:** 7 / 10");
});

test("the coach sees progress but no private text, then only the one pass shared", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  expect(programId, "the program from the first test").not.toBe("");
  const coachContext = await browser.newContext({ baseURL: E2E.baseUrl });
  const coach = await coachContext.newPage();
  try {
    await signIn(coach, DEMO.coach.email, "demo");
    await expect(coach).toHaveURL(/\/coach$/);
    await coach.goto(`/coach/progress/${programId}`);
    await expect(coach.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const row = coach
      .getByRole("row")
      .filter({ has: coach.getByRole("rowheader", { name: memberName }) });
    await expect(row).toContainText("1/1 steps");
    await expect(row.getByRole("cell").nth(1)).toHaveText("8");
    await expect(coach.getByText("Nothing shared yet")).toBeVisible();
    const body = coach.locator("body");
    for (const t of privateTexts) await expect(body).not.toContainText(t);

    // The member shares pass 2 of the reflection from the journal.
    await signIn(page, memberEmail, "form");
    await expect(page).toHaveURL(/\/app$/);
    await page.goto("/app/journal");
    await page
      .getByRole("list", { name: "Prompts you answered" })
      .getByRole("link", { name: journalLink("Timeline", prompt.reflection) })
      .click();
    await expect(page.getByRole("heading", { level: 1, name: prompt.reflection })).toBeVisible();
    const pass2 = page.getByRole("article", { name: "Pass 2" });
    await expect(pass2).toContainText(answer.again);
    await expect(pass2.getByText("Private — only you can read this.")).toBeVisible();
    await pass2.getByRole("button", { name: "Share pass 2 with my coach" }).click();
    await expect(
      pass2.getByText("Shared with your coach — they see this snapshot only"),
    ).toBeVisible();
    await expect(pass2.getByRole("button", { name: "Stop sharing pass 2" })).toBeVisible();
    await expect(
      page.getByRole("article", { name: "Pass 1" }).getByText("Private — only you can read this."),
    ).toBeVisible();

    // The coach now sees that snapshot, and still nothing else the member wrote.
    await coach.reload();
    const shared = coach.getByRole("region", { name: "Shared with you" });
    const snapshot = shared.getByRole("article", { name: prompt.reflection });
    await expect(snapshot).toContainText(`${memberName} shared pass 2`);
    await expect(snapshot).toContainText(answer.again);
    await expect(snapshot).toContainText(answer.probe);
    await expect(shared.getByRole("article")).toHaveCount(1);
    // Pass 2 holds the new answer and the unchanged follow-up; nothing else may show.
    for (const t of privateTexts.filter((t) => t !== answer.again && t !== answer.probe)) {
      await expect(body).not.toContainText(t);
    }

    // The member stops sharing; the coach's page loses the text again.
    await pass2.getByRole("button", { name: "Stop sharing pass 2" }).click();
    await expect(pass2.getByRole("button", { name: "Share pass 2 with my coach" })).toBeVisible();
    await expect(pass2.getByText("Private — only you can read this.")).toBeVisible();
    await coach.reload();
    await expect(coach.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(coach.getByText("Nothing shared yet")).toBeVisible();
    for (const t of privateTexts) await expect(body).not.toContainText(t);
  } finally {
    await coachContext.close();
  }
});
