import { checkoutParams, ensureCustomer } from "@/server/billing/checkout";
import { inProcessStripe } from "@/server/billing/in-process";
import { createPlan } from "@/server/billing/plans";
import { withStripeClient } from "@/server/billing/stripe";
import type { Db } from "@/server/db";
import { DEMO_ACCOUNTS } from "@/server/demo";
import type { Env } from "@/server/env";
import type { Queue } from "@/server/jobs/queue";
import { DEMO_COHORT_MEMBERS } from "./seed";

/**
 * Demo billing, made the way real billing is: plans created through the service (so Stripe, here
 * the built-in emulator reached in-process, has their products and prices), members who bought
 * through Checkout with test cards, and the webhooks those purchases emit delivered to Kindred's
 * own receiver. One member in each state: active, trialing, past due, canceled, plus a one-time
 * purchase. Runs once (when there is no plan yet).
 */

export const MEMBERS_PROGRAM = {
  slug: "reaching-out-again",
  title: "Reaching out, again",
  summary:
    "Two steps for the people you drifted from: who they are, and what stops you from sending a first message. Included in a membership, or yours once.",
};

const CARD_OK = "4242424242424242";
/** Accepted for a trial; every later charge declines. */
const CARD_LATER_DECLINES = "4000000000000341";

async function seedMembersProgram(db: Db, authorId: string, now: Date) {
  const existing = await db.program.findUnique({ where: { slug: MEMBERS_PROGRAM.slug } });
  if (existing) return existing.id;
  const program = await db.program.create({
    data: {
      ...MEMBERS_PROGRAM,
      status: "PUBLISHED",
      pacing: "SELF_PACED",
      accessRule: "PLANS",
      authorId,
      publishedAt: now,
      modules: {
        create: {
          title: "The people you miss",
          position: 0,
          steps: {
            create: [
              {
                title: "Who drifted",
                body: "Think of the people you used to see and no longer do. No judgement: lives move.",
                position: 0,
                exercises: {
                  create: {
                    kind: "REFLECTION",
                    position: 0,
                    prompt:
                      "Who do you miss, and what did you share with them that nobody else gives you?",
                    config: { probes: ["What would you say to them first?"] },
                    revisitAfterDays: 21,
                  },
                },
              },
              {
                title: "What stops you",
                body: "Most of what stops us is a story about what the other person thinks.",
                position: 1,
                exercises: {
                  create: {
                    kind: "SCALE",
                    position: 0,
                    prompt: "How easy would it feel to write to one of them today?",
                    config: {
                      minLabel: "Very hard",
                      maxLabel: "Easy",
                      followUp: "What would make it easier?",
                    },
                    revisitAfterDays: 14,
                  },
                },
              },
            ],
          },
        },
      },
    },
  });
  return program.id;
}

export async function seedBilling(db: Db, env: Env, queue: () => Promise<Queue>, now = new Date()) {
  if (!env.demo || env.billing.mode !== "emulator") return false;
  if ((await db.plan.count()) > 0) return false;
  const admin = await db.user.findUniqueOrThrow({
    where: { email: DEMO_ACCOUNTS.find((a) => a.role === "ADMIN")!.email },
  });
  const coach = await db.user.findUniqueOrThrow({
    where: { email: DEMO_ACCOUNTS.find((a) => a.role === "COACH")!.email },
  });
  const programId = await seedMembersProgram(db, coach.id, now);
  const emulator = inProcessStripe(db, env, queue);
  await withStripeClient(emulator.client, async () => {
    const asAdmin = { id: admin.id, role: admin.role, timeZone: admin.timeZone };
    const monthly = await createPlan(db, asAdmin, {
      name: "Membership, monthly",
      description: "Every program offered with a membership, and the cohorts that run them.",
      kind: "RECURRING",
      interval: "MONTH",
      price: "12",
      currency: "gbp",
      trialDays: 14,
      pausable: true,
      scope: "ALL_PROGRAMS",
      programIds: [],
    });
    const yearly = await createPlan(db, asAdmin, {
      name: "Membership, yearly",
      description: "The same as monthly, two months cheaper.",
      kind: "RECURRING",
      interval: "YEAR",
      price: "120",
      currency: "gbp",
      trialDays: 0,
      pausable: false,
      scope: "ALL_PROGRAMS",
      programIds: [],
    });
    const once = await createPlan(db, asAdmin, {
      name: `${MEMBERS_PROGRAM.title}, yours once`,
      description: "Just this program, for as long as you like.",
      kind: "ONE_TIME",
      price: "29",
      currency: "gbp",
      trialDays: 0,
      pausable: false,
      scope: "SOME_PROGRAMS",
      programIds: [programId],
    });
    const member = (email: string) =>
      db.user.findUniqueOrThrow({
        where: { email },
        select: { id: true, email: true, name: true },
      });
    const [nadia, tomas, amara, sam, lena] = await Promise.all(
      DEMO_COHORT_MEMBERS.map((m) => member(m.email)),
    );

    /** A checkout paid on the emulator's hosted page, as the member would. */
    async function buy(
      user: { id: string; email: string; name: string | null },
      planId: string,
      card: string,
      trialDays = 0,
    ) {
      const plan = await db.plan.findUniqueOrThrow({ where: { id: planId } });
      const customer = await ensureCustomer(db, user);
      const session = await emulator.client.checkout.sessions.create(
        checkoutParams(
          env,
          { ...plan, stripePriceId: plan.stripePriceId! },
          user.id,
          customer,
          trialDays,
        ),
      );
      const paid = await emulator.page(`/checkout/${session.id}`, { card });
      if (paid.status !== 303) throw new Error(`demo checkout failed: ${paid.status}`);
      return emulator.client.checkout.sessions.retrieve(session.id);
    }

    // Past due first: its one-day trial ends when the emulator's clock moves a day on, and
    // nothing else exists yet for that move to touch.
    const lapsing = await buy(amara!, monthly.id, CARD_LATER_DECLINES, 1);
    await emulator.page("/clock", { to: "subscription", subscription: lapsing.subscription }, true);
    await buy(nadia!, yearly.id, CARD_OK);
    await buy(tomas!, monthly.id, CARD_OK, 14);
    const ended = await buy(sam!, yearly.id, CARD_OK);
    await emulator.client.subscriptions.cancel(String(ended.subscription));
    await buy(lena!, once.id, CARD_OK);
    await emulator.deliver();
  });
  return true;
}
