import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingCsv, EXPORT_HEADER, exportBilling, majorUnits } from "@/server/billing/export";
import { createTestApp, type TestApp } from "../helpers/app";
import { countingDb } from "../helpers/statements";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app?.close());

/** The CSV back into rows (every cell is quoted by the writer; quotes inside are doubled). */
function parse(text: string): string[][] {
  expect(text.endsWith("\r\n")).toBe(true);
  return text
    .slice(0, -2)
    .split("\r\n")
    .map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"')));
}

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const chunk of lines) out += chunk;
  return out;
}

const at = (iso: string) => new Date(iso);

async function seed() {
  const ada = await app.createUser("MEMBER", { name: "=cmd()", email: "ada@example.test" });
  const bo = await app.createUser("MEMBER", { name: 'Bo "the bold"', email: "bo@example.test" });
  const monthly = await app.db.plan.create({
    data: {
      name: "Monthly, with care",
      kind: "RECURRING",
      interval: "MONTH",
      amount: 1250,
      currency: "gbp",
      scope: "ALL_PROGRAMS",
    },
  });
  const seat = await app.db.plan.create({
    data: {
      name: "+Seat",
      kind: "ONE_TIME",
      amount: 1200,
      currency: "jpy",
      scope: "SOME_PROGRAMS",
    },
  });
  await app.db.subscription.create({
    data: {
      id: "sub_export1",
      userId: ada.id,
      planId: monthly.id,
      stripePriceId: "price_export1",
      status: "ACTIVE",
      amount: 1250,
      currency: "gbp",
      interval: "MONTH",
      startedAt: at("2026-01-01T10:00:00Z"),
    },
  });
  await app.db.invoice.createMany({
    data: [
      {
        id: "in_export1",
        userId: ada.id,
        subscriptionId: "sub_export1",
        status: "paid",
        amountDue: 1250,
        amountPaid: 1250,
        currency: "gbp",
        issuedAt: at("2026-01-01T10:00:00Z"),
        paidAt: at("2026-01-01T10:00:05Z"),
      },
      {
        id: "in_export2",
        userId: ada.id,
        subscriptionId: "sub_export1",
        status: "open",
        amountDue: 1250,
        amountPaid: 0,
        currency: "gbp",
        attemptCount: 2,
        issuedAt: at("2026-02-01T10:00:00Z"),
      },
    ],
  });
  const bought = await app.db.purchase.create({
    data: {
      userId: bo.id,
      planId: seat.id,
      checkoutSessionId: "cs_export1",
      chargeId: "ch_export1",
      amount: 1200,
      amountRefunded: 500,
      currency: "jpy",
      paidAt: at("2026-01-15T09:00:00Z"),
    },
  });
  await app.db.refund.createMany({
    data: [
      // Linked to its purchase, and one Stripe reported with only the charge.
      {
        id: "re_export1",
        chargeId: "ch_export1",
        purchaseId: bought.id,
        amount: 300,
        currency: "jpy",
        createdAt: at("2026-01-20T12:00:00Z"),
      },
      {
        id: "re_export2",
        chargeId: "ch_export1",
        amount: 200,
        currency: "jpy",
        createdAt: at("2026-01-21T12:00:00Z"),
      },
      // A charge Kindred has no purchase for: still exported, without a member.
      {
        id: "re_export3",
        chargeId: "ch_unknown",
        amount: 99,
        currency: "usd",
        createdAt: at("2026-03-01T00:00:00Z"),
      },
    ],
  });
  return { ada, bo, bought };
}

describe("billing CSV export on a fresh deployment", () => {
  it("is the header alone", async () => {
    expect(await collect(billingCsv(app.db))).toBe(
      `${EXPORT_HEADER.map((h) => `"${h}"`).join(",")}\r\n`,
    );
  });
});

describe("billing CSV export", () => {
  let seeded: Awaited<ReturnType<typeof seed>>;
  beforeAll(async () => {
    seeded = await seed();
  });

  it("writes one row per money movement, oldest first, formula-safe", async () => {
    const rows = parse(await collect(billingCsv(app.db)));
    expect(rows[0]).toEqual([...EXPORT_HEADER]);
    expect(rows.slice(1)).toEqual([
      [
        "2026-01-01T10:00:00.000Z",
        "invoice",
        "in_export1",
        "'=cmd()",
        "ada@example.test",
        "Monthly, with care",
        "12.50",
        "GBP",
        "paid",
      ],
      [
        "2026-01-15T09:00:00.000Z",
        "purchase",
        seeded.bought.id,
        'Bo "the bold"',
        "bo@example.test",
        "'+Seat",
        "1200",
        "JPY",
        "partly refunded",
      ],
      [
        "2026-01-20T12:00:00.000Z",
        "refund",
        "re_export1",
        'Bo "the bold"',
        "bo@example.test",
        "'+Seat",
        "300",
        "JPY",
        "refunded",
      ],
      [
        "2026-01-21T12:00:00.000Z",
        "refund",
        "re_export2",
        'Bo "the bold"',
        "bo@example.test",
        "'+Seat",
        "200",
        "JPY",
        "refunded",
      ],
      [
        "2026-02-01T10:00:00.000Z",
        "invoice",
        "in_export2",
        "'=cmd()",
        "ada@example.test",
        "Monthly, with care",
        "12.50",
        "GBP",
        "open",
      ],
      ["2026-03-01T00:00:00.000Z", "refund", "re_export3", "", "", "", "0.99", "USD", "refunded"],
    ]);
  });

  it("quotes every cell and escapes quotes and formulas in the raw text", async () => {
    const text = await collect(billingCsv(app.db));
    expect(text).toContain(`"'=cmd()","ada@example.test"`);
    expect(text).toContain(`"Bo ""the bold""","bo@example.test"`);
    expect(text).not.toMatch(/(^|,)"=/m);
  });

  it("reads in bounded batches and gives the same file whatever the batch size", async () => {
    const whole = await collect(billingCsv(app.db));
    const counting = countingDb(app.database.url);
    try {
      const small = await collect(billingCsv(counting.db, 1));
      expect(small).toBe(whole);
      const reads = counting
        .statements()
        .filter(
          (sql) =>
            /^\s*SELECT/i.test(sql) && /FROM "public"\."(Invoice|Purchase|Refund)"/.test(sql),
        );
      expect(reads.length).toBeGreaterThan(3);
      // Every page of the three histories is limited; only the per-batch look-ups by id are not.
      for (const sql of reads.filter((s) => /ORDER BY/i.test(s))) expect(sql).toMatch(/LIMIT/i);
    } finally {
      await counting.close();
    }
  });

  it("is for admins only, streamed as an attachment that is never cached", async () => {
    const admin = await app.createUser("ADMIN");
    const coach = await app.createUser("COACH");
    expect(exportBilling(app.db, null).status).toBe(401);
    expect(exportBilling(app.db, coach).status).toBe(403);
    expect(exportBilling(app.db, seeded.ada).status).toBe(403);
    const response = exportBilling(app.db, admin, at("2026-03-02T00:00:00Z"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="kindred-billing-2026-03-02.csv"',
    );
    expect(await response.text()).toBe(await collect(billingCsv(app.db)));
  });

  it("writes amounts as plain decimals in the currency's units", () => {
    expect(majorUnits(1250, "gbp")).toBe("12.50");
    expect(majorUnits(5, "eur")).toBe("0.05");
    expect(majorUnits(1200, "jpy")).toBe("1200");
    expect(majorUnits(-305, "usd")).toBe("-3.05");
  });
});
