import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { programAccess } from "@/server/entitlements/service";
import { env, resetEnvCache } from "@/server/env";
import { seedDemo } from "../../prisma/seed";
import { MEMBERS_PROGRAM, seedBilling } from "../../prisma/seed-billing";
import { createTestApp, type TestApp } from "../helpers/app";

/** The demo's billing is made through the emulator in-process, before any web server runs. */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  process.env.DATABASE_URL = app.database.url;
  process.env.APP_URL = app.env.appUrl;
  resetEnvCache();
  await seedDemo(app.db);
});
afterAll(() => app?.close());

const statusOf = async (email: string) =>
  (
    await app.db.subscription.findFirst({
      where: { user: { email } },
      select: { status: true, plan: { select: { name: true } } },
    })
  )?.status;

describe("demo billing seed", () => {
  it("creates the plans in Stripe and one member in each state, once", async () => {
    expect(await seedBilling(app.db, env(), async () => app.queue)).toBe(true);
    const plans = await app.db.plan.findMany({ orderBy: { createdAt: "asc" } });
    expect(plans.map((p) => [p.kind, p.interval, p.trialDays])).toEqual([
      ["RECURRING", "MONTH", 14],
      ["RECURRING", "YEAR", 0],
      ["ONE_TIME", null, 0],
    ]);
    expect(plans.every((p) => p.stripePriceId?.startsWith("price_"))).toBe(true);
    expect(await statusOf("nadia@demo.kindred.local")).toBe("ACTIVE");
    expect(await statusOf("tomas@demo.kindred.local")).toBe("TRIALING");
    expect(await statusOf("amara@demo.kindred.local")).toBe("PAST_DUE");
    expect(await statusOf("sam@demo.kindred.local")).toBe("CANCELED");
    const lena = await app.db.user.findUniqueOrThrow({
      where: { email: "lena@demo.kindred.local" },
    });
    expect(await app.db.purchase.count({ where: { userId: lena.id } })).toBe(1);
    const program = await app.db.program.findUniqueOrThrow({
      where: { slug: MEMBERS_PROGRAM.slug },
    });
    expect((await programAccess(app.db, lena, program)).source).toBe("purchase");
    // The past-due member was told once; every event was processed.
    expect(await app.db.email.count({ where: { category: "billing" } })).toBe(1);
    expect(
      await app.db.stripeEvent.count({ where: { status: { notIn: ["PROCESSED", "IGNORED"] } } }),
    ).toBe(0);
    expect(await app.db.stripeEvent.count()).toBeGreaterThan(10);

    expect(await seedBilling(app.db, env(), async () => app.queue)).toBe(false);
    expect(await app.db.plan.count()).toBe(3);
  }, 60_000);
});
