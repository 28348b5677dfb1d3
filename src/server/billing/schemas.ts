import { z } from "zod";
import { id, integer, isoDay, text } from "@/lib/input";
import { CURRENCIES, isCurrency, minorPerMajor, parseMoney } from "@/lib/money";

export const PLAN_LIMITS = { name: 80, description: 500, trialDays: 90, programs: 50, reason: 300 };

/** Largest price in major units (Stripe's limit is higher; nothing Kindred sells costs more). */
export const MAX_PRICE_MAJOR = 10_000;

const name = text({
  label: "The name",
  min: 1,
  max: PLAN_LIMITS.name,
  messages: { missing: "Give the plan a name.", min: "Give the plan a name." },
});
const description = text({
  label: "The description",
  max: PLAN_LIMITS.description,
  multiline: true,
});
const currency = text({ label: "The currency", min: 1, max: 3 })
  .toLowerCase()
  .refine(isCurrency, {
    message: `Choose one of ${CURRENCIES.map((c) => c.toUpperCase()).join(", ")}.`,
  });
const price = text({ label: "The price", min: 1, max: 16, messages: { min: "Enter a price." } });
const trialDays = integer({
  min: 0,
  max: PLAN_LIMITS.trialDays,
  messages: {
    min: "Trial days cannot be negative.",
    max: `A trial can last at most ${PLAN_LIMITS.trialDays} days.`,
  },
});
const programIds = z
  .array(id("A program"), { error: "Choose programs from the list." })
  .max(PLAN_LIMITS.programs, `A plan can name at most ${PLAN_LIMITS.programs} programs.`);

export const planId = id("The plan", { missing: "Missing plan id." });

/** The price typed in major units, checked against the currency: minor units out. */
function priceIssue(value: string, cur: string): string | null {
  if (/^\s*-/.test(value)) return "A price cannot be negative.";
  const minor = parseMoney(value, cur);
  if (minor === null) {
    return minorPerMajor(cur) === 1
      ? "Enter a whole amount, like 1200."
      : "Enter an amount like 12 or 12.50.";
  }
  if (minor < minorPerMajor(cur)) return "A price must be at least 1.";
  if (minor > MAX_PRICE_MAJOR * minorPerMajor(cur) * (minorPerMajor(cur) === 1 ? 100 : 1)) {
    return `A price can be at most ${MAX_PRICE_MAJOR.toLocaleString("en")} (${minorPerMajor(cur) === 1 ? "1,000,000 in zero-decimal currencies" : "in major units"}).`;
  }
  return null;
}

const planFields = z.strictObject({
  name,
  description: description.default(""),
  kind: z.enum(["RECURRING", "ONE_TIME"], { error: "Choose recurring or one-time." }),
  interval: z.enum(["MONTH", "YEAR"], { error: "Choose monthly or yearly." }).nullish(),
  price,
  currency,
  trialDays: trialDays.default(0),
  pausable: z.boolean({ error: "Pausable is yes or no." }).default(false),
  scope: z.enum(["ALL_PROGRAMS", "SOME_PROGRAMS", "COHORT_SEAT"], {
    error: "Choose what the plan opens.",
  }),
  programIds: programIds.default([]),
  cohortId: id("The cohort").nullish(),
});

/** Checks across fields, each reported on the field a person fixes. */
function checkPlan(
  plan: {
    kind?: string;
    interval?: string | null;
    price?: string;
    currency?: string;
    trialDays?: number;
    pausable?: boolean;
    scope?: string;
    programIds?: string[];
    cohortId?: string | null;
  },
  ctx: z.RefinementCtx,
) {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  if (plan.price !== undefined && plan.currency) {
    const problem = priceIssue(plan.price, plan.currency);
    if (problem) issue("price", problem);
  }
  if (plan.kind === "RECURRING") {
    if (!plan.interval) issue("interval", "Choose monthly or yearly.");
    if (plan.scope === "COHORT_SEAT")
      issue("scope", "A cohort seat is sold once, not as a subscription.");
  }
  if (plan.kind === "ONE_TIME") {
    if (plan.trialDays) issue("trialDays", "Only recurring plans have a trial.");
    if (plan.pausable) issue("pausable", "Only recurring plans can be paused.");
    if (plan.scope === "ALL_PROGRAMS")
      issue("scope", "A one-time purchase opens chosen programs or a cohort seat.");
  }
  if (plan.scope === "SOME_PROGRAMS" && !plan.programIds?.length)
    issue("programIds", "Choose at least one program.");
  if (plan.scope === "COHORT_SEAT" && !plan.cohortId)
    issue("cohortId", "Choose the cohort this seat is in.");
}

export const createPlanInput = planFields.superRefine(checkPlan);

/** Kind, interval and currency are fixed once a plan exists (its subscribers pay in them). */
export const updatePlanInput = z.strictObject({
  planId,
  name,
  description: description.default(""),
  price,
  trialDays: trialDays.default(0),
  pausable: z.boolean({ error: "Pausable is yes or no." }).default(false),
  active: z.boolean({ error: "Active is yes or no." }),
  programIds: programIds.default([]),
  cohortId: id("The cohort").nullish(),
});

export const planIdInput = z.strictObject({ planId });

export const programPlansInput = z.strictObject({
  programId: id("The program", { missing: "Missing program id." }),
});

/** One logical click: the same attempt id twice (a double click, a retry) is one checkout. */
const attempt = z.uuid({ error: "Missing attempt id; reload the page and try again." });

export const checkoutInput = z.strictObject({ planId, attempt });

export const checkoutStatusInput = z.strictObject({
  sessionId: text({ label: "The checkout session", min: 1, max: 255 }).regex(
    /^cs_[A-Za-z0-9_]+$/,
    "That is not a checkout session id.",
  ),
});

/** Where the portal's "Return" link leads. */
export const portalInput = z.strictObject({
  returnTo: z.enum(["billing", "today"], { error: "Say where to come back: billing or today." }),
});

export const refundInput = z.strictObject({
  purchaseId: id("The purchase", { missing: "Missing purchase id." }),
  /** Major units; empty or missing: the whole remaining amount. */
  amount: text({ label: "The amount", max: 16 }).optional(),
  reason: text({
    label: "The reason",
    min: 1,
    max: PLAN_LIMITS.reason,
    messages: { min: "Say why you refund (the member does not see it)." },
  }),
  attempt,
});

export const grantCompInput = z.strictObject({
  email: text({ label: "The email", min: 1, max: 254 })
    .toLowerCase()
    .pipe(z.email({ error: "Enter the member's email address." })),
  /** null: every program. */
  programId: id("The program").nullable(),
  expiresOn: isoDay({ format: "Use a date like 2027-01-31, or leave it empty." }).nullish(),
  reason: text({ label: "The reason", max: PLAN_LIMITS.reason }).default(""),
});

export const compIdInput = z.strictObject({
  compId: id("The comp", { missing: "Missing comp id." }),
});

export const pageInput = z.strictObject({
  cursor: id("The cursor").optional(),
});

export const eventIdInput = z.strictObject({
  eventId: text({ label: "The event", min: 1, max: 255 }).regex(
    /^evt_[A-Za-z0-9_]+$/,
    "That is not a Stripe event id.",
  ),
});

export { priceIssue };
