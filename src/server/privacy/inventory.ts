import type { Prisma } from "@/generated/prisma/client";
import { isSealedModel, SEALED } from "../crypto/sealing";
import { RETENTION_RULES, type RetentionRuleId } from "./retention";

/**
 * Every table Kindred has, in the privacy page's words: what it holds about people, who can read
 * it, and how long it stays. Typed by Prisma's list of models, so a new table does not compile
 * until it is described here (and the page then shows it).
 */
export type Area =
  | "Your account"
  | "Your journal"
  | "Your community map"
  | "Cohorts"
  | "Email"
  | "Payments"
  | "Programs"
  | "Running Kindred";

export type Stored = {
  area: Area;
  /** What a row holds, in plain words. */
  holds: string;
  /** Who can read it in Kindred (the operator's database access aside). */
  readers: string;
  /** "account": while the account exists; a retention rule's id; or a sentence of its own. */
  kept: "account" | RetentionRuleId | { text: string };
  /** Nothing in it says anything about a person. */
  impersonal?: true;
};

const YOU = "You alone";
const YOU_AND_ADMINS = "You, and the deployment's admins";

export const INVENTORY: Record<Prisma.ModelName, Stored> = {
  User: {
    area: "Your account",
    holds: "Your name, email address, photo, a few words about you, role and time zone",
    readers: "You; your name, photo and words to the people in your cohorts; admins",
    kept: "account",
  },
  Account: {
    area: "Your account",
    holds: "How you sign in (the sign-in provider's account id)",
    readers: "Nobody through the app",
    kept: "account",
  },
  Session: {
    area: "Your account",
    holds: "Which browsers are signed in as you",
    readers: "You (Sign out everywhere)",
    kept: "sessions",
  },
  EmailChange: {
    area: "Your account",
    holds: "A new sign-in address waiting for its confirmation",
    readers: YOU,
    kept: "address-changes",
  },
  AccountDeletion: {
    area: "Your account",
    holds:
      "Your request to delete your account, waiting for its confirmation (only a hash of the link)",
    readers: YOU,
    kept: "account-deletions",
  },
  VerificationToken: {
    area: "Your account",
    holds: "A sign-in link sent to your address (only a hash of it)",
    readers: "Nobody through the app",
    kept: "sign-in-links",
  },
  RateLimitHit: {
    area: "Running Kindred",
    holds: "Counts of sign-in and upload attempts by address and network address",
    readers: "Nobody through the app",
    kept: "rate-limits",
  },
  AuditLog: {
    area: "Running Kindred",
    holds: "What admins and coaches did (refunds, comps, role changes), who did it, to whom",
    readers: "Admins",
    kept: { text: "For as long as the deployment runs: it is the record admins answer for" },
  },
  Enrolment: {
    area: "Your journal",
    holds: "Which programs you follow and where you are in them",
    readers: "You; the program's coach sees that you are enrolled",
    kept: "account",
  },
  StepCompletion: {
    area: "Your journal",
    holds: "Which steps you have finished",
    readers: "You; the program's coach sees progress counts",
    kept: "account",
  },
  AnswerDraft: {
    area: "Your journal",
    holds: "An answer you are still writing",
    readers: YOU,
    kept: { text: "Until you submit the answer, or while the account exists" },
  },
  AnswerPass: {
    area: "Your journal",
    holds: "Your answers, every time you answer again",
    readers: "You alone, unless you share one",
    kept: "account",
  },
  Share: {
    area: "Your journal",
    holds: "A copy of one answer you chose to share, and with whom",
    readers: "You, and those you shared it with (the coach, or your cohort)",
    kept: { text: "Until you take the share back" },
  },
  ExerciseProgress: {
    area: "Your journal",
    holds: "Which prompts you have answered, when, and when answering again is due",
    readers: YOU,
    kept: "account",
  },
  ProgramProgress: {
    area: "Your journal",
    holds:
      "How many steps of each program you completed and answers you gave, and your last step's time",
    readers: "You; your cohort's coach sees these counts on the roster",
    kept: "account",
  },
  MemberActivity: {
    area: "Your journal",
    holds: "The days you were active (for your streak)",
    readers: "You; your coach sees when you were last active",
    kept: "account",
  },
  Person: {
    area: "Your community map",
    holds: "The people on your map, their circle and your notes about them",
    readers: YOU,
    kept: "account",
  },
  ReachOut: {
    area: "Your community map",
    holds: "When you reached out to someone, and your note about it",
    readers: YOU,
    kept: "account",
  },
  Commitment: {
    area: "Your community map",
    holds: "What you committed to and by when",
    readers: YOU,
    kept: "account",
  },
  CommitmentCheckIn: {
    area: "Your community map",
    holds: "Your check-ins on a commitment",
    readers: YOU,
    kept: "account",
  },
  PracticeTick: {
    area: "Your community map",
    holds: "The days you kept a practice",
    readers: YOU,
    kept: "account",
  },
  PracticeTotal: {
    area: "Your community map",
    holds: "How often you kept each practice (totals)",
    readers: YOU,
    kept: "account",
  },
  Cohort: {
    area: "Cohorts",
    holds: "A cohort's name, schedule and settings",
    readers: "Its members and coaches",
    kept: { text: "While the cohort exists" },
    impersonal: true,
  },
  CohortFacilitator: {
    area: "Cohorts",
    holds: "Which coaches run a cohort",
    readers: "Its members and coaches",
    kept: { text: "While the cohort exists" },
  },
  CohortMember: {
    area: "Cohorts",
    holds: "Your seat in a cohort, or your place on its waitlist",
    readers: "You; the cohort's members see who is in it; its coaches",
    kept: "account",
  },
  CohortPost: {
    area: "Cohorts",
    holds: "What you post in a cohort's space",
    readers: "The cohort's members and coaches",
    kept: "account",
  },
  CohortComment: {
    area: "Cohorts",
    holds: "Your comments on posts",
    readers: "The cohort's members and coaches",
    kept: "account",
  },
  CohortReaction: {
    area: "Cohorts",
    holds: "Your reactions to posts",
    readers: "The cohort's members and coaches",
    kept: "account",
  },
  CohortReport: {
    area: "Cohorts",
    holds: "A post you reported, and why",
    readers: "You, and the cohort's coaches",
    kept: "account",
  },
  LiveSession: {
    area: "Cohorts",
    holds: "A cohort's live sessions (time, link, notes)",
    readers: "The cohort's members and coaches",
    kept: { text: "While the cohort exists" },
    impersonal: true,
  },
  Email: {
    area: "Email",
    holds: "Each email sent to you: address, subject, text, and whether it arrived",
    readers: YOU_AND_ADMINS,
    kept: "email-log",
  },
  EmailEvent: {
    area: "Email",
    holds: "Delivery reports from the email provider (ids and event types)",
    readers: "Nobody through the app",
    kept: "email-events",
  },
  EmailRate: {
    area: "Running Kindred",
    holds: "The pace of sending towards the email provider",
    readers: "Nobody through the app",
    kept: { text: "One row, always" },
    impersonal: true,
  },
  NudgeSettings: {
    area: "Email",
    holds: "Which emails you want, when, and your quiet hours and weeks",
    readers: YOU,
    kept: "account",
  },
  NudgeDay: {
    area: "Email",
    holds: "Which day a nudge was sent to you",
    readers: "Nobody through the app",
    kept: "nudge-days",
  },
  EmailSuppression: {
    area: "Email",
    holds: "Addresses that bounced, complained or were stopped: nothing more is sent to them",
    readers: "Admins",
    kept: { text: "Until an admin lifts it: it is what keeps mail from going there" },
  },
  OutboxMessage: {
    area: "Email",
    holds: "On demo deployments only: the copy of each email the demo mailbox shows",
    readers: "Anyone who opens the demo mailbox",
    kept: "demo-mailbox",
  },
  Program: {
    area: "Programs",
    holds: "Programs, as their coach wrote them",
    readers: "Members who can open them; the coach",
    kept: { text: "Until the coach deletes the program" },
    impersonal: true,
  },
  Module: {
    area: "Programs",
    holds: "A program's modules",
    readers: "Members who can open the program; the coach",
    kept: { text: "Until the coach deletes the program" },
    impersonal: true,
  },
  Step: {
    area: "Programs",
    holds: "A program's steps",
    readers: "Members who can open the program; the coach",
    kept: { text: "Until the coach deletes the program" },
    impersonal: true,
  },
  Exercise: {
    area: "Programs",
    holds: "A program's prompts",
    readers: "Members who can open the program; the coach",
    kept: { text: "Until the coach deletes the program" },
    impersonal: true,
  },
  Upload: {
    area: "Programs",
    holds: "Pictures uploaded: program covers and profile photos",
    readers: "Anyone with the picture's address",
    kept: { text: "While what shows it exists" },
  },
  Comp: {
    area: "Payments",
    holds: "Free access an admin gave you, and why",
    readers: YOU_AND_ADMINS,
    kept: "account",
  },
  Plan: {
    area: "Payments",
    holds: "Memberships and programs on sale, and their prices",
    readers: "Everyone (the pricing page)",
    kept: { text: "While on sale, then archived" },
    impersonal: true,
  },
  PlanProgram: {
    area: "Payments",
    holds: "Which programs a plan opens",
    readers: "Everyone (the pricing page)",
    kept: { text: "While the plan exists" },
    impersonal: true,
  },
  PlanPrice: {
    area: "Payments",
    holds: "Every price a plan has had",
    readers: "Admins",
    kept: { text: "While the plan exists" },
    impersonal: true,
  },
  BillingCustomer: {
    area: "Payments",
    holds: "Your customer id at Stripe (cards stay at Stripe: Kindred never sees them)",
    readers: YOU_AND_ADMINS,
    kept: "account",
  },
  Subscription: {
    area: "Payments",
    holds: "Your membership: plan, status, renewal date",
    readers: YOU_AND_ADMINS,
    kept: "account",
  },
  Purchase: {
    area: "Payments",
    holds: "What you bought once, and when",
    readers: YOU_AND_ADMINS,
    kept: "account",
  },
  Invoice: {
    area: "Payments",
    holds: "Your invoices: amounts, dates, whether they were paid",
    readers: YOU_AND_ADMINS,
    kept: "account",
  },
  Refund: {
    area: "Payments",
    holds: "Refunds made to you, and why",
    readers: YOU_AND_ADMINS,
    kept: "account",
  },
  StripeEvent: {
    area: "Payments",
    holds: "Payment notifications from Stripe, with the objects they describe",
    readers: "Admins",
    kept: "payment-events",
  },
  AccountExport: {
    area: "Your account",
    holds: "A copy of all your data, as a ZIP, when you ask for one",
    readers: YOU,
    kept: "account-exports",
  },
  StripeEmuObject: {
    area: "Running Kindred",
    holds: "On demo deployments only: the built-in stand-in for Stripe's records",
    readers: "Nobody through the app",
    kept: { text: "While the demo runs (never used with a real Stripe account)" },
  },
  StripeEmuIdempotency: {
    area: "Running Kindred",
    holds: "On demo deployments only: answers of the Stripe stand-in, kept for retries",
    readers: "Nobody through the app",
    kept: { text: "While the demo runs (never used with a real Stripe account)" },
    impersonal: true,
  },
  StripeEmuDelivery: {
    area: "Running Kindred",
    holds: "On demo deployments only: the Stripe stand-in's notifications to Kindred",
    readers: "Nobody through the app",
    kept: { text: "While the demo runs (never used with a real Stripe account)" },
    impersonal: true,
  },
  StripeEmuClock: {
    area: "Running Kindred",
    holds: "On demo deployments only: the Stripe stand-in's clock",
    readers: "Nobody through the app",
    kept: { text: "One row, always" },
    impersonal: true,
  },
};

export const AREAS: readonly Area[] = [
  "Your account",
  "Your journal",
  "Your community map",
  "Cohorts",
  "Email",
  "Payments",
  "Programs",
  "Running Kindred",
];

/** How long a table's rows stay, in the page's words. */
export function keptFor(entry: Stored): string {
  if (entry.kept === "account") return "While your account exists";
  if (typeof entry.kept === "object") return entry.kept.text;
  const rule = RETENTION_RULES.find((r) => r.id === entry.kept);
  if (!rule) throw new Error(`No retention rule ${entry.kept}`);
  return rule.kept;
}

/** The inventory grouped by area, in the page's order. */
export function inventoryByArea(): {
  area: Area;
  tables: (Stored & {
    table: string;
    sealed: "member" | "program" | null;
    /** What such a row keeps unsealed, if anything. */
    sealedExcept: string | null;
  })[];
}[] {
  return AREAS.map((area) => ({
    area,
    tables: Object.entries(INVENTORY)
      .filter(([, entry]) => entry.area === area)
      // `sealed`: its private text is encrypted at rest under the owner's key (crypto/sealing.ts).
      .map(([table, entry]) => ({
        table,
        ...entry,
        sealed: isSealedModel(table)
          ? SEALED[table].owner === "program"
            ? ("program" as const)
            : ("member" as const)
          : null,
        sealedExcept: isSealedModel(table)
          ? ((SEALED[table] as { except?: string }).except ?? null)
          : null,
      })),
  })).filter((group) => group.tables.length > 0);
}
