import { type Cookie, expect, type Locator, type Page } from "@playwright/test";
import pg from "pg";
import { isEnvelope, openWith, parseEnvelope } from "../src/server/crypto/envelope";
import { configuredMasterKeys, LocalKeyProvider } from "../src/server/crypto/master-keys";
import { E2E } from "./config";

export const DEMO = {
  member: { email: "maya@demo.kindred.local", name: "Maya Okafor", home: "/app" },
  coach: { email: "coach@demo.kindred.local", name: "Jonas Lind", home: "/coach" },
  admin: { email: "admin@demo.kindred.local", name: "Priya Raman", home: "/admin" },
} as const;

/** Runs SQL against the app's database: only for what a browser cannot do (ageing a link). */
export async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: E2E.databaseUrl() });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * `sql`, with the private columns it reads opened as the app opens them: the rows hold sealed
 * text (src/server/crypto), and the app's master key is in the e2e data folder.
 */
export async function sqlOpened<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
  const rows = await sql<T>(text, values);
  const provider = new LocalKeyProvider(
    configuredMasterKeys({ NODE_ENV: "test", KINDRED_DATA_DIR: E2E.dataDir }),
  );
  for (const row of rows) {
    for (const [column, value] of Object.entries(row)) {
      if (!isEnvelope(value)) continue;
      const envelope = parseEnvelope(value);
      const [key] = await sql<{ kek_id: string; wrapped: Buffer }>(
        "SELECT kek_id, wrapped FROM kindred_keys.data_key WHERE owner = $1",
        [envelope.owner],
      );
      if (!key) throw new Error(`No data key for ${envelope.owner}`);
      const plain = openWith(
        await provider.unwrap(envelope.owner, key.kek_id, key.wrapped),
        envelope,
      );
      (row as Record<string, unknown>)[column] = envelope.kind === "j" ? JSON.parse(plain) : plain;
    }
  }
  return rows;
}

function randomIp(): string {
  const byte = () => Math.floor(Math.random() * 254) + 1;
  return `10.${byte()}.${byte()}.${byte()}`;
}

/** Sign-in emails only: a reminder landing meanwhile (the demo member gets one) is not one. */
const SIGN_IN_SUBJECT = "Your Kindred sign-in link";

async function mailCount(address: string): Promise<number> {
  const rows = await sql<{ n: string }>(
    `SELECT count(*) AS n FROM "OutboxMessage" WHERE $1 = ANY("toAddresses") AND subject = $2`,
    [address, SIGN_IN_SUBJECT],
  );
  return Number(rows[0]?.n ?? 0);
}

/** The newest sign-in email's link to this address, as the mailbox page shows it. */
async function newestSignInLink(address: string): Promise<string | undefined> {
  const [row] = await sql<{ html: string }>(
    `SELECT html FROM "OutboxMessage" WHERE $1 = ANY("toAddresses") AND subject = $2
      ORDER BY "createdAt" DESC LIMIT 1`,
    [address, SIGN_IN_SUBJECT],
  );
  const href = /href="([^"]*\/signin\/confirm\?[^"]*)"/.exec(row?.html ?? "")?.[1];
  return href?.replaceAll("&amp;", "&");
}

/**
 * Requests a sign-in link through the sign-in page (the demo button or the form), waits in the
 * mailbox for the new email and returns the link without following it.
 */
export async function requestLink(page: Page, email: string, via: "demo" | "form" = "form") {
  // Each request comes from its own address, so the per-IP sign-in limit (which the rate-limit
  // tests exercise on purpose) does not trip over the suite's many sign-ins. The app under test
  // trusts one proxy hop (TRUSTED_PROXIES=1 in e2e/server.ts); the browser plays that proxy.
  await page.context().setExtraHTTPHeaders({ "x-forwarded-for": randomIp() });
  const before = await mailCount(email);
  await page.goto("/signin");
  if (via === "demo") {
    await page
      .getByRole("button", { name: /Sign in as .*\(/ })
      .first()
      .waitFor();
    const name = Object.values(DEMO).find((d) => d.email === email)?.name;
    await page.getByRole("button", { name: new RegExp(`Sign in as ${name}`) }).click();
    await expect(page).toHaveURL(/\/mailbox\?to=/);
  } else {
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    await page.goto(`/mailbox?to=${encodeURIComponent(email)}`);
  }
  // The worker delivers within a second or two; the mailbox page refreshes itself meanwhile.
  await expect(page.getByRole("list", { name: "Emails" })).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => mailCount(email), { timeout: 20_000 }).toBe(before + 1);
  // The page shows the newest email's link once it has refreshed; another email (the demo
  // member's reminder) may be newer, so the link is read from the newest sign-in email itself.
  await expect(page.getByRole("link", { name: "Open the link in this email" })).toBeVisible();
  const href = await newestSignInLink(email);
  expect(href).toContain("/signin/confirm?");
  return href!;
}

/**
 * Opens an emailed sign-in link in the browser that asked for it and presses its "Sign in"
 * button (the click spends the token).
 */
export async function followLink(page: Page, href: string) {
  await page.goto(href);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin/confirm"));
}

/** Answers the first-sign-in step with a name and goes on to where the member was headed. */
export async function completeWelcome(page: Page, name: string) {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((url) => url.pathname !== "/settings/welcome");
}

/**
 * Opens a sign-in link in a browser that did not ask for it: the page names the account and
 * warns, and only the explicit confirmation signs in.
 */
export async function confirmElsewhere(page: Page, href: string, email: string) {
  await page.goto(href);
  await expect(page.getByRole("heading", { name: "Check before you sign in" })).toBeVisible();
  await page.getByRole("button", { name: `Yes, sign in as ${email} here` }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin/confirm"));
}

// Sessions by address, reused across tests of this worker: the suite signs the demo accounts in
// many times, and the real limit (5 links per address per minute) applies to it too.
const sessions = new Map<string, Cookie[]>();

/**
 * Signs in through the real magic link, or reuses this worker's still-valid session for the
 * address (checked against the server). `fresh: true` always goes through the mailbox.
 */
export async function signIn(
  page: Page,
  email: string,
  via: "demo" | "form" = "demo",
  options: { fresh?: boolean; welcome?: "manual" } = {},
) {
  const cached = sessions.get(email);
  if (cached && !options.fresh) {
    await page.context().addCookies(cached);
    await page.goto("/dashboard");
    if (!new URL(page.url()).pathname.startsWith("/signin")) return null;
    await page.context().clearCookies();
  }
  const href = await requestLink(page, email, via);
  await followLink(page, href);
  // A new member is asked for their name first (the first-sign-in step); tests that are not
  // about that step answer it and go on.
  if (new URL(page.url()).pathname === "/settings/welcome" && options.welcome !== "manual") {
    await completeWelcome(page, email.split("@")[0]!);
  }
  const cookies = (await page.context().cookies()).filter((c) => c.name.endsWith("session-token"));
  if (cookies.length) sessions.set(email, cookies);
  return href;
}

/**
 * Cuts or restores the app's link to PostgreSQL (the proxy e2e/server.ts puts between them):
 * "cut" is the database stopped (connections dropped, new ones refused), "restore" brings it
 * back. The tests' own `sql` helper is not affected.
 */
export async function databaseLink(action: "cut" | "restore"): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${E2E.faultPort}/${action}`, { method: "POST" });
  const state = (await response.json()) as { cut: boolean };
  expect(state.cut, `the database link after ${action}`).toBe(action === "cut");
}

/**
 * Waits until React has hydrated `control` and run the mount effects (the answer box's reads
 * the device copy). A server-rendered page already shows the same text, status and buttons, so
 * without this a test could type or press Enter in a page that is not live yet, or race its
 * restore of the device copy.
 */
export async function untilLive(control: Locator) {
  await expect
    .poll(() => control.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactProps"))))
    .toBe(true);
  // Passive effects run after the hydration commit: let a frame and a task go by.
  await control.evaluate(
    () => new Promise<void>((done) => requestAnimationFrame(() => setTimeout(done))),
  );
}
