import type { z } from "zod";
import { formatMoney, monthlyValue, parseMoney } from "@/lib/money";
import { recordAudit } from "../audit/service";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";
import type { grantCompInput, refundInput } from "./schemas";
import { stripe } from "./stripe";
import { syncCharge } from "./sync";

/**
 * The admin's billing console: the money (MRR per currency, one-time revenue, a year by month),
 * the people (counts by status, churn, failed payments) and the actions (refunds and comps,
 * each audited). Reads are aggregates in SQL, never a scan in JavaScript.
 */

const DAY = 86_400_000;
const PAGE = 25;

type Money = { currency: string; amount: number };

export async function billingOverview(db: Db, now = new Date()) {
  const since = new Date(now.getTime() - 30 * DAY);
  const yearAgo = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1));
  const [
    byStatus,
    paying,
    churned,
    activeAtStart,
    oneTime,
    oneTime30,
    invoiceMonths,
    purchaseMonths,
  ] = await Promise.all([
    db.subscription.groupBy({ by: ["status"], _count: { _all: true } }),
    db.subscription.groupBy({
      by: ["currency", "interval"],
      where: { status: { in: ["ACTIVE", "PAST_DUE"] }, paused: false },
      _sum: { amount: true },
    }),
    db.subscription.count({ where: { status: "CANCELED", endedAt: { gte: since } } }),
    db.subscription.count({
      where: { startedAt: { lt: since }, OR: [{ endedAt: null }, { endedAt: { gte: since } }] },
    }),
    db.purchase.groupBy({ by: ["currency"], _sum: { amount: true, amountRefunded: true } }),
    db.purchase.groupBy({
      by: ["currency"],
      where: { paidAt: { gte: since } },
      _sum: { amount: true, amountRefunded: true },
    }),
    db.$queryRaw<{ month: Date; currency: string; amount: bigint }[]>`
        SELECT date_trunc('month', "paidAt") AS month, currency, SUM("amountPaid")::bigint AS amount
        FROM "Invoice" WHERE "paidAt" >= ${yearAgo} GROUP BY 1, 2`,
    db.$queryRaw<{ month: Date; currency: string; amount: bigint }[]>`
        SELECT date_trunc('month', "paidAt") AS month, currency, SUM(amount - "amountRefunded")::bigint AS amount
        FROM "Purchase" WHERE "paidAt" >= ${yearAgo} GROUP BY 1, 2`,
  ]);
  const mrr = new Map<string, number>();
  for (const row of paying) {
    mrr.set(
      row.currency,
      (mrr.get(row.currency) ?? 0) + monthlyValue(row._sum.amount ?? 0, row.interval),
    );
  }
  const counts = Object.fromEntries(byStatus.map((s) => [s.status, s._count._all])) as Record<
    string,
    number
  >;
  const net = (
    rows: { currency: string; _sum: { amount: number | null; amountRefunded: number | null } }[],
  ): Money[] =>
    rows.map((r) => ({
      currency: r.currency,
      amount: (r._sum.amount ?? 0) - (r._sum.amountRefunded ?? 0),
    }));
  // Twelve months, oldest first, each with its revenue per currency.
  const months: { month: string; revenue: Money[] }[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push({ month: d.toISOString().slice(0, 7), revenue: [] });
  }
  for (const row of [...invoiceMonths, ...purchaseMonths]) {
    const key = new Date(row.month).toISOString().slice(0, 7);
    const month = months.find((m) => m.month === key);
    if (!month) continue;
    const money = month.revenue.find((r) => r.currency === row.currency);
    if (money) money.amount += Number(row.amount);
    else month.revenue.push({ currency: row.currency, amount: Number(row.amount) });
  }
  return {
    mrr: [...mrr]
      .map(([currency, amount]) => ({ currency, amount: Math.round(amount) }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    counts: {
      active: counts.ACTIVE ?? 0,
      trialing: counts.TRIALING ?? 0,
      pastDue: counts.PAST_DUE ?? 0,
      canceled: counts.CANCELED ?? 0,
      unpaid: counts.UNPAID ?? 0,
    },
    churn30: {
      canceled: churned,
      base: activeAtStart,
      rate: activeAtStart ? churned / activeAtStart : 0,
    },
    oneTime: net(oneTime),
    oneTime30: net(oneTime30),
    months,
  };
}

const who = { select: { id: true, email: true, name: true } } as const;

/** Renewals that failed and are still open, with who and when Stripe tries again. */
export async function failedPayments(db: Db) {
  return db.invoice.findMany({
    where: { status: "open", attemptCount: { gt: 0 } },
    orderBy: { issuedAt: "desc" },
    take: 50,
    select: {
      id: true,
      amountDue: true,
      currency: true,
      attemptCount: true,
      nextPaymentAttempt: true,
      hostedInvoiceUrl: true,
      issuedAt: true,
      user: who,
    },
  });
}

async function paged<T extends { id: string }>(rows: T[]) {
  const more = rows.length > PAGE;
  const items = more ? rows.slice(0, PAGE) : rows;
  return { items, nextCursor: more ? items.at(-1)?.id : undefined };
}

export async function invoicesPage(db: Db, cursor?: string) {
  return paged(
    await db.invoice.findMany({
      take: PAGE + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
      select: {
        id: true,
        status: true,
        amountDue: true,
        amountPaid: true,
        currency: true,
        issuedAt: true,
        hostedInvoiceUrl: true,
        user: who,
      },
    }),
  );
}

export async function purchasesPage(db: Db, cursor?: string) {
  return paged(
    await db.purchase.findMany({
      take: PAGE + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      orderBy: [{ paidAt: "desc" }, { id: "desc" }],
      select: {
        id: true,
        amount: true,
        amountRefunded: true,
        currency: true,
        paidAt: true,
        refundedAt: true,
        disputed: true,
        plan: { select: { name: true } },
        user: who,
      },
    }),
  );
}

/** The last refunds, each with the member and plan it was for (through its purchase). */
export async function recentRefunds(db: Db) {
  const refunds = await db.refund.findMany({ orderBy: { createdAt: "desc" }, take: 20 });
  const purchaseIds = [...new Set(refunds.map((r) => r.purchaseId).filter((id) => id !== null))];
  const purchases = purchaseIds.length
    ? await db.purchase.findMany({
        where: { id: { in: purchaseIds } },
        select: { id: true, user: who, plan: { select: { name: true } } },
      })
    : [];
  const byId = new Map(purchases.map((p) => [p.id, p]));
  return refunds.map((r) => {
    const purchase = r.purchaseId ? byId.get(r.purchaseId) : undefined;
    return { ...r, member: purchase?.user ?? null, planName: purchase?.plan.name ?? null };
  });
}

/**
 * A refund of a one-time purchase, full or partial, through Stripe. The attempt id is the
 * idempotency key, so a double click refunds once; the amount is checked against what is left
 * before anything is sent.
 */
export async function refundPurchase(
  db: Db,
  admin: SignedInUser,
  input: z.output<typeof refundInput>,
) {
  const purchase = await db.purchase.findUnique({
    where: { id: input.purchaseId },
    select: {
      id: true,
      userId: true,
      amount: true,
      amountRefunded: true,
      currency: true,
      paymentIntentId: true,
      chargeId: true,
    },
  });
  if (!purchase) throw new DomainError("NOT_FOUND", "We could not find that purchase.");
  const left = purchase.amount - purchase.amountRefunded;
  if (left <= 0)
    throw new DomainError("CONFLICT", "This purchase has already been refunded in full.");
  let amount = left;
  if (input.amount?.trim()) {
    const parsed = parseMoney(input.amount, purchase.currency);
    if (parsed === null || parsed <= 0) {
      throw new DomainError("BAD_REQUEST", "Check the amount.", {
        amount: ["Enter an amount like 5 or 5.50, or leave it empty for all of it."],
      });
    }
    if (parsed > left) {
      throw new DomainError("BAD_REQUEST", "That is more than is left to refund.", {
        amount: [`At most ${formatMoney(left, purchase.currency)} is left to refund.`],
      });
    }
    amount = parsed;
  }
  if (!purchase.chargeId && !purchase.paymentIntentId) {
    throw new DomainError("PRECONDITION_FAILED", "This purchase has no payment to refund yet.");
  }
  const refund = await stripe().refunds.create(
    {
      ...(purchase.chargeId
        ? { charge: purchase.chargeId }
        : { payment_intent: purchase.paymentIntentId as string }),
      amount,
      reason: "requested_by_customer",
      metadata: { note: input.reason, adminId: admin.id, purchaseId: purchase.id },
    },
    { idempotencyKey: `kindred-refund-${purchase.id}-${input.attempt}` },
  );
  // A repeated click replays the same refund from Stripe: it is audited once.
  const audited = await db.auditLog.findFirst({
    where: {
      action: "billing.refund",
      targetId: purchase.id,
      details: { path: ["refundId"], equals: refund.id },
    },
    select: { id: true },
  });
  if (!audited)
    await recordAudit(db, {
      actorId: admin.id,
      action: "billing.refund",
      targetType: "Purchase",
      targetId: purchase.id,
      targetUserId: purchase.userId,
      details: { refundId: refund.id, amount, currency: purchase.currency, reason: input.reason },
    });
  // The webhook (charge.refunded) says the same; syncing now shows it without waiting.
  const chargeId =
    typeof refund.charge === "string" ? refund.charge : (refund.charge?.id ?? purchase.chargeId);
  if (chargeId) await syncCharge(db, chargeId);
  return { refundId: refund.id, amount };
}

export async function compsList(db: Db, now = new Date()) {
  return db.comp.findMany({
    where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: {
      id: true,
      reason: true,
      expiresAt: true,
      createdAt: true,
      user: who,
      program: { select: { id: true, title: true } },
      grantedBy: { select: { email: true, name: true } },
    },
  });
}

export async function grantComp(
  db: Db,
  admin: SignedInUser,
  input: z.output<typeof grantCompInput>,
  now = new Date(),
) {
  const user = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (!user) {
    throw new DomainError("BAD_REQUEST", "No member has that email address.", {
      email: ["No member has that email address."],
    });
  }
  if (input.programId) {
    const program = await db.program.findUnique({
      where: { id: input.programId },
      select: { id: true },
    });
    if (!program)
      throw new DomainError("BAD_REQUEST", "That program does not exist.", {
        programId: ["That program does not exist."],
      });
  }
  const expiresAt = input.expiresOn ? new Date(`${input.expiresOn}T23:59:59.999Z`) : null;
  if (expiresAt && expiresAt <= now) {
    throw new DomainError("BAD_REQUEST", "The end date has passed.", {
      expiresOn: ["Choose a day after today, or leave it empty."],
    });
  }
  return db.$transaction(async (tx) => {
    const comp = await tx.comp.create({
      data: {
        userId: user.id,
        programId: input.programId,
        expiresAt,
        reason: input.reason,
        grantedById: admin.id,
      },
      select: { id: true },
    });
    await recordAudit(tx, {
      actorId: admin.id,
      action: "billing.comp.grant",
      targetType: "Comp",
      targetId: comp.id,
      targetUserId: user.id,
      details: {
        programId: input.programId,
        expiresAt: expiresAt?.toISOString() ?? null,
        reason: input.reason,
      },
    });
    return comp;
  });
}

export async function revokeComp(db: Db, admin: SignedInUser, compId: string) {
  return db.$transaction(async (tx) => {
    const comp = await tx.comp.findUnique({
      where: { id: compId },
      select: { id: true, userId: true, programId: true },
    });
    if (!comp)
      throw new DomainError(
        "NOT_FOUND",
        "That comp does not exist (it may have been revoked already).",
      );
    await tx.comp.delete({ where: { id: comp.id } });
    await recordAudit(tx, {
      actorId: admin.id,
      action: "billing.comp.revoke",
      targetType: "Comp",
      targetId: comp.id,
      targetUserId: comp.userId,
      details: { programId: comp.programId },
    });
    return { ok: true };
  });
}

export async function recentEvents(db: Db) {
  return db.stripeEvent.findMany({
    orderBy: { receivedAt: "desc" },
    take: 30,
    select: {
      id: true,
      type: true,
      objectId: true,
      receivedAt: true,
      processedAt: true,
      status: true,
      attempts: true,
      lastError: true,
    },
  });
}
