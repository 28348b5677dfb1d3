import { readFile } from "node:fs/promises";
import path from "node:path";
import { LINK_TOKEN_DAYS, signLinkToken } from "../src/server/nudges/tokens";
import { E2E } from "./config";
import { expect, test } from "./fixtures";
import { DEMO, signIn, sql } from "./helpers";

/**
 * Email nudges in a real browser, on their real schedule: the worker's planner runs each minute
 * and the emails land in the demo outbox (the built-in Resend emulator). A member sets a reminder
 * time, the nudge arrives when the clock reaches it; its footer link stops that category in one
 * click, and the preference page works from the email's link without signing in.
 */

const DEMO_TITLE = "Community, on purpose";

type Outbox = { id: string; html: string; headers: Record<string, string>; subject: string };

async function reminderFor(email: string): Promise<Outbox | undefined> {
  const [row] = await sql<Outbox>(
    `SELECT id, html, headers, subject FROM "OutboxMessage"
      WHERE $1 = ANY("toAddresses") AND subject LIKE 'A few quiet minutes%'
      ORDER BY "createdAt" DESC LIMIT 1`,
    [email],
  );
  return row;
}

/** "HH:MM" a couple of minutes from now in UTC (a new member's zone until they change it). */
function utcTimeIn(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  return `${String(at.getUTCHours()).padStart(2, "0")}:${String(at.getUTCMinutes()).padStart(2, "0")}`;
}

test("a member sets a reminder time, the nudge arrives then, and one click stops that kind", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const email = `nudged-${Date.now()}@example.org`;
  await signIn(page, email, "form");
  await page.goto("/app/programs");
  await page
    .getByRole("list", { name: "Programs" })
    .getByRole("button", { name: `Start “${DEMO_TITLE}”` })
    .click();
  await expect(page).toHaveURL(/\/steps\/[^/]+$/);

  // Settings → Email preferences: bad input is refused at the field, then a time is saved.
  await page.goto("/settings");
  await page.getByRole("link", { name: "Email preferences" }).click();
  await expect(page.getByRole("heading", { name: "Email preferences" })).toBeVisible();
  const form = page.getByRole("form", { name: "Email preferences" });
  await form.getByLabel("Time zone").fill("Mars/Olympus");
  await form.getByRole("button", { name: "Save preferences" }).click();
  await expect(form.getByText("Choose a time zone from the list")).toBeVisible();
  await form.getByLabel("Time zone").fill("UTC");
  // Two minutes ahead: the planner (each minute) sees it due within a minute after that.
  const time = utcTimeIn(2);
  await form.getByLabel("Reminder time").fill(time);
  await form.getByRole("button", { name: "Save preferences" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
  await expect(page.getByTestId("next-reminder")).toContainText(time);
  await page.screenshot({ path: "test-results/screens/nudges-preferences.png", fullPage: true });

  // The clock reaches it: the reminder lands in the outbox, once.
  await expect
    .poll(() => reminderFor(email), { timeout: 200_000, intervals: [2_000] })
    .toBeTruthy();
  const message = (await reminderFor(email)) as Outbox;
  expect(message.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  const [count] = await sql<{ n: string }>(
    `SELECT count(*) AS n FROM "Email" WHERE "toAddress" = $1 AND category = 'reflection'`,
    [email],
  );
  expect(Number(count?.n)).toBe(1);

  // Its footer link, in a browser with no session: a page that asks, then stops the kind.
  const stopLink = /href="([^"]*\/api\/email\/unsubscribe\?t=[^"]+)"/.exec(message.html)?.[1];
  expect(stopLink).toBeTruthy();
  const stranger = await browser.newContext();
  const visitor = await stranger.newPage();
  await visitor.goto((stopLink ?? "").replaceAll("&amp;", "&"));
  await expect(visitor.getByRole("heading", { name: "Stop these emails" })).toBeVisible();
  await visitor.getByRole("button", { name: "Stop reflection reminders" }).click();
  await expect(visitor.getByRole("status")).toContainText("no more reflection reminders");
  await visitor.screenshot({ path: "test-results/screens/nudges-unsubscribed.png" });
  const [settings] = await sql<{ categories: Record<string, boolean> }>(
    `SELECT n.categories FROM "NudgeSettings" n
       JOIN "User" u ON u.id = n."userId" WHERE u.email = $1`,
    [email],
  );
  expect(settings?.categories.reflection).toBe(false);
  // Only that kind: the others still come.
  expect(
    Object.entries(settings?.categories ?? {}).filter(([k, on]) => k !== "reflection" && !on),
  ).toEqual([]);

  // The preference page from the email's link works without signing in.
  await visitor.getByRole("link", { name: "your email preferences" }).click();
  await expect(visitor.getByRole("heading", { name: "Email preferences" })).toBeVisible();
  const linked = visitor.getByRole("form", { name: "Email preferences" });
  await expect(linked.getByLabel("Reflection reminders")).not.toBeChecked();
  await linked.getByLabel("Sunday").uncheck();
  await linked.getByRole("button", { name: "Save preferences" }).click();
  await expect(linked.getByRole("status")).toHaveText("Saved.");
  await visitor.setViewportSize({ width: 360, height: 800 });
  await visitor.screenshot({ path: "test-results/screens/nudges-link-360.png", fullPage: true });
  const [days] = await sql<{ days: number[] }>(
    `SELECT n."reminderDays" AS days FROM "NudgeSettings" n JOIN "User" u ON u.id = n."userId" WHERE u.email = $1`,
    [email],
  );
  expect(days?.days).toEqual([1, 2, 3, 4, 5, 6]);

  // A link more than a year old stops nothing and says why, with a way to sign in instead.
  const secret = (await readFile(path.join(E2E.dataDir, "auth-secret"), "utf8")).trim();
  const [member] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [email]);
  const longAgo = new Date(Date.now() - (LINK_TOKEN_DAYS + 2) * 86_400_000);
  const old = (link: Parameters<typeof signLinkToken>[1]) =>
    encodeURIComponent(signLinkToken(secret, link, longAgo));
  await visitor.goto(
    `/email/unsubscribe?t=${old({ purpose: "unsubscribe", userId: member!.id, category: "commitment" })}`,
  );
  const expiredNotice = visitor.getByRole("main").getByRole("alert");
  await expect(expiredNotice).toContainText("This link has expired.");
  await expect(visitor.getByRole("button", { name: /^Stop/ })).toHaveCount(0);
  await expect(expiredNotice.getByRole("link", { name: "Sign in" })).toHaveAttribute(
    "href",
    "/signin?callbackUrl=/settings/notifications",
  );
  await visitor.screenshot({ path: "test-results/screens/nudges-link-expired-360.png" });
  await visitor.goto(`/email/preferences?t=${old({ purpose: "preferences", userId: member!.id })}`);
  await expect(visitor.getByRole("main").getByRole("alert")).toContainText("more than a year old");
  await expect(visitor.getByRole("form", { name: "Email preferences" })).toHaveCount(0);
  await stranger.close();
});

/** What each daily kind is called on the preference page. */
const LABELS: Record<string, string> = {
  commitment: "Commitment check-ins",
  "reach-out": "Reach-out reminders",
  "answer-again": "Answer again",
  reflection: "Reflection reminders",
  "re-engagement": "Notes after a quiet spell",
};

test("the demo member's first daily nudge arrives within a minute or two of the first start, with one-click unsubscribe", async ({
  page,
}) => {
  test.setTimeout(200_000);
  type Sent = { category: string; headers: Record<string, string> };
  // Whichever kind her day calls for (the seed gives her a commitment, people, answers, a step).
  const daily = async () => {
    const [row] = await sql<Sent>(
      `SELECT e.category, o.headers FROM "Email" e JOIN "OutboxMessage" o ON o.id = e."providerId"
        WHERE e."toAddress" = $1 AND e.category = ANY($2) AND e.status = 'SENT'
        ORDER BY e."sentAt" DESC LIMIT 1`,
      [DEMO.member.email, Object.keys(LABELS)],
    );
    return row;
  };
  await expect.poll(daily, { timeout: 180_000, intervals: [2_000] }).toBeTruthy();
  const message = (await daily()) as Sent;
  const target = message.headers["List-Unsubscribe"]?.slice(1, -1) ?? "";
  // The mail client's one-click POST: no session, no page, 200.
  const response = await page.request.post(target, {
    form: { "List-Unsubscribe": "One-Click" },
  });
  expect(response.status()).toBe(200);
  // A forged one is refused.
  const forged = await page.request.post(`${target.slice(0, -3)}abc`, {
    form: { "List-Unsubscribe": "One-Click" },
  });
  expect(forged.status()).toBe(400);
  await signIn(page, DEMO.member.email);
  await page.goto("/settings/notifications");
  // That kind is off; the others stay on.
  for (const [category, label] of Object.entries(LABELS)) {
    const box = page.getByLabel(label, { exact: true });
    if (category === message.category) await expect(box).not.toBeChecked();
    else await expect(box).toBeChecked();
  }
});
