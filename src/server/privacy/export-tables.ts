import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";

/**
 * What "Export all my data" takes from each table. Typed by Prisma's list of models, like the
 * inventory (inventory.ts): a new table does not compile until it says which of its rows are the
 * member's, or why it holds none of theirs. Secrets (session tokens, sign-in providers' tokens,
 * hashes of links) never leave: they are no one's data and would only let a leaked ZIP sign in.
 */
export type Member = { userId: string; email: string };
export type TableRows = (db: Db, member: Member) => Promise<object[]>;
export type TableExport = TableRows | { skip: string };

const IMPERSONAL = { skip: "Holds nothing about any one person" };
const DEMO_STRIPE = {
  skip: "The demo's stand-in for Stripe: your payments are in the Subscription, Purchase and Invoice files",
};

export const EXPORT_TABLES: Record<Prisma.ModelName, TableExport> = {
  User: async (db, { userId }) => {
    const user = await db.user.findUnique({
      where: { id: userId },
      omit: { calendarToken: true },
    });
    return user ? [user] : [];
  },
  Account: (db, { userId }) =>
    db.account.findMany({
      where: { userId },
      select: { id: true, type: true, provider: true, providerAccountId: true },
    }),
  Session: (db, { userId }) =>
    db.session.findMany({
      where: { userId },
      select: { id: true, expires: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    }),
  EmailChange: (db, { userId }) =>
    db.emailChange.findMany({ where: { userId }, omit: { tokenHash: true } }),
  VerificationToken: (db, { email }) =>
    db.verificationToken.findMany({
      where: { identifier: email },
      select: { identifier: true, expires: true },
    }),
  RateLimitHit: (db, { email }) =>
    db.rateLimitHit
      .findMany({ where: { key: email }, select: { bucket: true, key: true, createdAt: true } })
      .then((rows) => rows.map((r) => ({ ...r }))),
  AuditLog: (db, { userId }) =>
    db.auditLog.findMany({
      where: { OR: [{ actorId: userId }, { targetUserId: userId }] },
      orderBy: { createdAt: "asc" },
    }),
  Enrolment: (db, { userId }) => db.enrolment.findMany({ where: { userId } }),
  StepCompletion: (db, { userId }) => db.stepCompletion.findMany({ where: { userId } }),
  AnswerDraft: (db, { userId }) =>
    db.answerDraft.findMany({ where: { userId }, omit: { writerId: true, writerSeq: true } }),
  AnswerPass: (db, { userId }) =>
    db.answerPass.findMany({
      where: { userId },
      orderBy: [{ createdAt: "asc" }, { passNumber: "asc" }],
    }),
  Share: (db, { userId }) => db.share.findMany({ where: { userId } }),
  ExerciseProgress: (db, { userId }) => db.exerciseProgress.findMany({ where: { userId } }),
  MemberActivity: (db, { userId }) => db.memberActivity.findMany({ where: { userId } }),
  ProgramProgress: (db, { userId }) => db.programProgress.findMany({ where: { userId } }),
  Person: (db, { userId }) => db.person.findMany({ where: { userId } }),
  ReachOut: (db, { userId }) => db.reachOut.findMany({ where: { userId } }),
  Commitment: (db, { userId }) => db.commitment.findMany({ where: { userId } }),
  CommitmentCheckIn: (db, { userId }) =>
    db.commitmentCheckIn.findMany({ where: { commitment: { userId } } }),
  PracticeTick: (db, { userId }) => db.practiceTick.findMany({ where: { userId } }),
  PracticeTotal: (db, { userId }) => db.practiceTotal.findMany({ where: { userId } }),
  Cohort: IMPERSONAL,
  CohortFacilitator: (db, { userId }) => db.cohortFacilitator.findMany({ where: { userId } }),
  CohortMember: (db, { userId }) => db.cohortMember.findMany({ where: { userId } }),
  CohortPost: (db, { userId }) => db.cohortPost.findMany({ where: { authorId: userId } }),
  CohortComment: (db, { userId }) => db.cohortComment.findMany({ where: { authorId: userId } }),
  CohortReaction: (db, { userId }) => db.cohortReaction.findMany({ where: { userId } }),
  CohortReport: (db, { userId }) => db.cohortReport.findMany({ where: { reporterId: userId } }),
  LiveSession: IMPERSONAL,
  Email: (db, { email }) =>
    db.email.findMany({
      where: { toAddress: email },
      select: {
        id: true,
        category: true,
        toAddress: true,
        subject: true,
        text: true,
        status: true,
        sentAt: true,
        deliveredAt: true,
        openedAt: true,
        bouncedAt: true,
        complainedAt: true,
        createdAt: true,
      },
      orderBy: { createdAt: "asc" },
    }),
  EmailEvent: async (db, { email }) => {
    const sent = await db.email.findMany({
      where: { toAddress: email, providerId: { not: null } },
      select: { providerId: true },
    });
    const ids = sent.map((e) => e.providerId).filter((id): id is string => id !== null);
    return ids.length ? db.emailEvent.findMany({ where: { providerId: { in: ids } } }) : [];
  },
  EmailRate: IMPERSONAL,
  NudgeSettings: (db, { userId }) =>
    db.nudgeSettings.findMany({ where: { userId }, omit: { nextReminderAt: true } }),
  NudgeDay: (db, { userId }) => db.nudgeDay.findMany({ where: { userId } }),
  EmailSuppression: (db, { email }) => db.emailSuppression.findMany({ where: { address: email } }),
  OutboxMessage: (db, { email }) =>
    db.outboxMessage.findMany({
      where: { toAddresses: { has: email } },
      select: { id: true, toAddresses: true, subject: true, text: true, createdAt: true },
    }),
  Program: IMPERSONAL,
  Module: IMPERSONAL,
  Step: IMPERSONAL,
  Exercise: IMPERSONAL,
  // What a picture is, not its bytes: the profile photo is on the profile page to save.
  Upload: (db, { userId }) =>
    db.upload.findMany({ where: { uploaderId: userId }, omit: { bytes: true } }),
  Comp: (db, { userId }) => db.comp.findMany({ where: { userId } }),
  Plan: IMPERSONAL,
  PlanProgram: IMPERSONAL,
  PlanPrice: IMPERSONAL,
  BillingCustomer: (db, { userId }) => db.billingCustomer.findMany({ where: { userId } }),
  Subscription: (db, { userId }) => db.subscription.findMany({ where: { userId } }),
  Purchase: (db, { userId }) => db.purchase.findMany({ where: { userId } }),
  Invoice: (db, { userId }) => db.invoice.findMany({ where: { userId } }),
  Refund: async (db, { userId }) => {
    const purchases = await db.purchase.findMany({ where: { userId }, select: { id: true } });
    return purchases.length
      ? db.refund.findMany({ where: { purchaseId: { in: purchases.map((p) => p.id) } } })
      : [];
  },
  StripeEvent: {
    skip: "Stripe's notifications, kept 90 days: what they said is in your Subscription, Purchase and Invoice files",
  },
  StripeEmuObject: DEMO_STRIPE,
  StripeEmuIdempotency: DEMO_STRIPE,
  StripeEmuDelivery: DEMO_STRIPE,
  StripeEmuClock: DEMO_STRIPE,
  AccountExport: (db, { userId }) =>
    db.accountExport.findMany({ where: { userId }, omit: { zip: true } }),
  AccountDeletion: (db, { userId }) =>
    db.accountDeletion.findMany({ where: { userId }, omit: { tokenHash: true } }),
};

/** The tables whose rows go into the ZIP, in the inventory's order. */
export function exportedTables(): [Prisma.ModelName, TableRows][] {
  return Object.entries(EXPORT_TABLES).flatMap(([name, entry]) =>
    typeof entry === "function" ? [[name as Prisma.ModelName, entry]] : [],
  );
}
