import type { Db } from "../db";
import { currentGraceDays } from "../entitlements/service";
import { graceEndsAt, purchaseGrants, subscriptionGrants } from "./rules";

/** The member's own billing: what they hold, what happens next, what they have paid. */

const INVOICES_SHOWN = 12;

export async function myBilling(db: Db, userId: string, now = new Date()) {
  const graceDays = currentGraceDays();
  const [customer, subscriptions, purchases, invoices, comps] = await Promise.all([
    db.billingCustomer.findUnique({ where: { userId }, select: { userId: true } }),
    db.subscription.findMany({
      where: { userId },
      orderBy: { startedAt: "desc" },
      take: 10,
      select: {
        id: true,
        status: true,
        paused: true,
        cancelAtPeriodEnd: true,
        currentPeriodEnd: true,
        trialEnd: true,
        endedAt: true,
        pastDueSince: true,
        amount: true,
        currency: true,
        interval: true,
        plan: { select: { name: true, pausable: true } },
      },
    }),
    db.purchase.findMany({
      where: { userId },
      orderBy: { paidAt: "desc" },
      take: 20,
      select: {
        id: true,
        amount: true,
        amountRefunded: true,
        currency: true,
        paidAt: true,
        refundedAt: true,
        plan: { select: { name: true } },
      },
    }),
    db.invoice.findMany({
      where: { userId },
      orderBy: { issuedAt: "desc" },
      take: INVOICES_SHOWN,
      select: {
        id: true,
        status: true,
        amountDue: true,
        amountPaid: true,
        currency: true,
        issuedAt: true,
        hostedInvoiceUrl: true,
      },
    }),
    db.comp.findMany({
      where: { userId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { id: true, expiresAt: true, program: { select: { title: true } } },
    }),
  ]);
  return {
    hasCustomer: customer !== null,
    subscriptions: subscriptions.map((s) => ({
      ...s,
      planName: s.plan?.name ?? "Membership",
      grantsAccess: subscriptionGrants(s, now, graceDays),
      graceEndsAt: graceEndsAt(s, graceDays),
      // The next charge, when one is coming: not after a cancellation, not while paused.
      nextChargeAt:
        (s.status === "ACTIVE" || s.status === "TRIALING") && !s.cancelAtPeriodEnd && !s.paused
          ? s.status === "TRIALING"
            ? (s.trialEnd ?? s.currentPeriodEnd)
            : s.currentPeriodEnd
          : null,
    })),
    purchases: purchases.map((p) => ({
      ...p,
      planName: p.plan.name,
      grantsAccess: purchaseGrants(p),
    })),
    invoices,
    comps: comps.map((c) => ({
      id: c.id,
      expiresAt: c.expiresAt,
      programTitle: c.program?.title ?? null,
    })),
  };
}

/** A past-due subscription to warn about (Today's banner), with when its grace ends. */
export async function paymentProblem(db: Db, userId: string) {
  const sub = await db.subscription.findFirst({
    where: { userId, status: "PAST_DUE" },
    select: { status: true, paused: true, pastDueSince: true, plan: { select: { name: true } } },
  });
  if (!sub) return null;
  return {
    planName: sub.plan?.name ?? "membership",
    graceEndsAt: graceEndsAt(sub, currentGraceDays()),
  };
}
