import { check } from "./check";
import { expect, test } from "./fixtures";
import { DEMO, requestLink, signIn, sql } from "./helpers";

/**
 * Every main page, through check(): no axe violations and no sideways scrolling, at 1280 and
 * 390 px; screenshots of both are kept under test-results/screens for people to look at.
 */

test("public pages are accessible and responsive", async ({ page, browser }) => {
  await check(page, "/", "home");
  await check(page, "/signin", "signin");
  await check(page, "/signin/check-email?email=someone%40example.org", "check-email");
  await check(page, "/signin/error?error=Verification", "signin-error");
  // A live link, in the browser that asked for it and in another one (which is warned).
  const href = await requestLink(page, `pages-${Date.now()}@example.org`);
  await check(page, href, "signin-confirm");
  const other = await browser.newContext();
  try {
    await check(await other.newPage(), href, "signin-confirm-other-browser");
  } finally {
    await other.close();
  }
  await check(page, "/signin/confirm?token=abc&email=someone%40example.org", "signin-confirm-dead");
  await check(page, "/signin/confirm", "signin-confirm-incomplete");
  await check(page, "/mailbox", "mailbox");
  await check(page, "/pricing", "pricing");
  await check(page, "/privacy", "privacy");
  // The goodbye after deleting an account (e2e/account-deletion.spec.ts walks the whole way).
  await check(page, "/account/deleted", "account-deleted");
  // An email's links opened with a link that is not (or no longer) valid.
  await check(page, "/email/preferences?t=not-a-link", "email-preferences-invalid");
  await check(page, "/email/unsubscribe?t=not-a-link", "email-unsubscribe-invalid");
});

test("member pages are accessible and responsive", async ({ page }) => {
  await signIn(page, DEMO.member.email);
  await check(page, "/app", "member-today");
  await check(page, "/settings", "settings");
  await check(page, "/settings/notifications", "settings-notifications");
  await check(page, "/app/settings/billing", "member-billing");
  await check(page, "/app/programs/reaching-out-again", "program-for-members");
  const first = page.getByRole("list", { name: "Emails" });
  await page.goto("/mailbox");
  const href = await first.getByRole("link").first().getAttribute("href");
  await check(page, href!, "mailbox-message");
});

async function demoIds() {
  const [program] = await sql<{ id: string }>(
    `SELECT id FROM "Program" WHERE slug = 'community-on-purpose'`,
  );
  const exercises = await sql<{ id: string; kind: string; stepId: string }>(
    `SELECT e.id, e.kind, e."stepId" FROM "Exercise" e JOIN "Step" s ON s.id = e."stepId" JOIN "Module" m ON m.id = s."moduleId"
     WHERE m."programId" = $1 ORDER BY m.position, s.position`,
    [program!.id],
  );
  const byKind = (kind: string) => exercises.find((e) => e.kind === kind)!;
  const passes = await sql<{ id: string }>(
    `SELECT p.id FROM "AnswerPass" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1 AND p."exerciseId" = $2 ORDER BY p."passNumber"`,
    [DEMO.member.email, exercises[0]!.id],
  );
  return { programId: program!.id, exercises, byKind, passes };
}

// Split in three so each stays well inside the time limit on a busy machine (axe at two widths
// per page is the slow part).
test("program pages and every kind of step are accessible and responsive", async ({ page }) => {
  const ids = await demoIds();
  await signIn(page, DEMO.member.email);
  await check(page, "/app/programs", "programs-catalog");
  await check(page, "/app/programs/community-on-purpose", "program-overview");
  for (const kind of ["REFLECTION", "LENSES", "SCALE", "PEOPLE", "COMMITMENT", "PRACTICE"]) {
    await check(
      page,
      `/app/programs/community-on-purpose/steps/${ids.byKind(kind).stepId}`,
      `player-${kind.toLowerCase()}`,
    );
  }
});

test("journal pages are accessible and responsive", async ({ page }) => {
  const ids = await demoIds();
  await signIn(page, DEMO.member.email);
  await check(page, "/app/journal", "journal");
  await check(page, `/app/journal/${ids.byKind("SCALE").id}`, "journal-scale");
  await check(page, `/app/journal/${ids.byKind("LENSES").id}`, "journal-lenses");
  await check(
    page,
    `/app/journal/${ids.exercises[0]!.id}/compare?a=${ids.passes[0]!.id}&b=${ids.passes[1]!.id}`,
    "journal-compare",
  );
  // The demo's second pass says its second sentence differently: it is shown whole, struck
  // through then new, not as interleaved words; the comparison comes before the full passes.
  const answer = page.getByRole("region", { name: "Answer", exact: true });
  await expect(answer.getByRole("deletion")).toContainText([
    "They gave me a sense that someone would notice if I disappeared.",
  ]);
  await expect(answer.getByRole("insertion")).toContainText([
    "They gave me a sense that people would notice — and lately that I can ask, not only give.",
  ]);
  const order = await answer.evaluate((section) =>
    [...section.querySelectorAll("h3, summary")].map((el) => el.textContent?.trim()),
  );
  expect(order[0]).toBe("What changed");
  expect(order[1]).toBe("Both passes in full");
});

test("community and commitments pages are accessible and responsive", async ({ page }) => {
  await signIn(page, DEMO.member.email);
  await check(page, "/app/community", "community");
  await check(page, "/app/commitments", "commitments");
});

test("coach authoring pages are accessible and responsive", async ({ page }) => {
  const ids = await demoIds();
  await signIn(page, DEMO.coach.email);
  await check(page, "/coach/programs", "coach-programs");
  await check(page, `/coach/programs/${ids.programId}`, "coach-editor");
  await check(page, `/coach/programs/${ids.programId}/preview`, "coach-preview");
  await check(page, `/coach/progress/${ids.programId}`, "coach-progress");
});

test("coach and admin pages are accessible and responsive", async ({ page, context }) => {
  await signIn(page, DEMO.coach.email);
  await check(page, "/coach", "coach-home");
  await context.clearCookies();
  await signIn(page, DEMO.admin.email);
  await check(page, "/admin", "admin-users");
  await check(page, "/admin/audit", "admin-audit");
  await check(page, "/admin/health", "admin-health");
});

test("billing admin pages are accessible and responsive", async ({ page }) => {
  await signIn(page, DEMO.admin.email);
  await check(page, "/admin/billing", "admin-billing");
  await check(page, "/admin/billing/plans", "admin-billing-plans");
  await check(page, "/admin/emails", "admin-emails");
});

test("cohort pages are accessible and responsive", async ({ page, context }) => {
  const [cohort] = await sql<{ id: string }>(
    `SELECT id FROM "Cohort" WHERE slug = 'winter-circle'`,
  );
  await sql(
    `UPDATE "Cohort" SET "inviteToken" = 'pages-spec-invite-token-0123456789' WHERE slug = 'spring-circle'`,
  );
  await signIn(page, DEMO.member.email);
  await check(page, "/app/cohorts", "member-cohorts");
  await check(page, "/app/cohorts/winter-circle", "member-cohort");
  await check(page, "/app/cohorts/winter-circle/people", "member-cohort-people");
  const [post] = await sql<{ id: string }>(
    `SELECT p.id FROM "CohortPost" p JOIN "Cohort" c ON c.id = p."cohortId"
     WHERE c.slug = 'winter-circle' ORDER BY p."commentCount" DESC LIMIT 1`,
  );
  await check(page, `/app/cohorts/winter-circle/posts/${post!.id}`, "member-cohort-comments");
  await check(page, "/settings/welcome?next=%2Fapp", "welcome");
  await check(page, "/app/join/pages-spec-invite-token-0123456789", "cohort-invite");
  await check(page, "/app/join/no-such-invite-token-at-all-000", "cohort-invite-dead");
  await context.clearCookies();
  await signIn(page, DEMO.coach.email);
  await check(page, "/coach/cohorts", "coach-cohorts");
  await check(page, `/coach/cohorts/${cohort!.id}`, "coach-cohort");
});

test("the 404 page is helpful", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "We could not find that page" })).toBeVisible();
});

test("every response carries the security headers", async ({ request }) => {
  for (const path of ["/", "/signin", "/api/health"]) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers["content-security-policy"], path).toContain("object-src 'none'");
    expect(headers["content-security-policy"], path).toContain("base-uri 'none'");
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"], path).toContain("max-age=");
  }
  // Anonymous callers learn up or down, nothing about the database or the queue.
  const health = await (await request.get("/api/health")).json();
  expect(health).toEqual({ status: "ok" });
});
