import { z } from "zod";
import { id, text } from "@/lib/input";
import { recordAudit } from "../audit/service";
import type { SignedInUser } from "../auth/session";
import type { Db } from "../db";
import { DomainError } from "../errors";

/** The admin's email log: what Kindred sent, what became of it, and suppressed addresses. */
export const EMAIL_PAGE = 50;
const DAY_MS = 86_400_000;

export const EMAIL_STATUSES = ["QUEUED", "SENDING", "SENT", "FAILED"] as const;

export const emailLogInput = z.object({
  status: z.enum(EMAIL_STATUSES, { error: "Choose a status from the list." }).optional(),
  category: text({ label: "The category", max: 40, trim: true })
    .regex(/^[a-z-]*$/, "Choose a category from the list.")
    .optional(),
  q: text({ label: "The address", max: 200 }).optional(),
  cursor: id("The page").optional(),
});

export const unsuppressInput = z.object({
  address: text({ label: "The address", min: 3, max: 320, trim: true }).email(
    "Enter an email address.",
  ),
});

export async function emailLog(db: Db, input: z.infer<typeof emailLogInput>) {
  const rows = await db.email.findMany({
    where: {
      ...(input.status ? { status: input.status } : {}),
      ...(input.category ? { category: input.category } : {}),
      ...(input.q ? { toAddress: { contains: input.q.toLowerCase(), mode: "insensitive" } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: EMAIL_PAGE + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      toAddress: true,
      category: true,
      subject: true,
      status: true,
      attempts: true,
      lastError: true,
      createdAt: true,
      sentAt: true,
      sendAfter: true,
      deliveredAt: true,
      openedAt: true,
      bouncedAt: true,
      complainedAt: true,
    },
  });
  const more = rows.length > EMAIL_PAGE;
  const page = rows.slice(0, EMAIL_PAGE);
  return { emails: page, next: more ? (page.at(-1)?.id ?? null) : null };
}

/** The last 30 days: sent, delivered, bounced, complained, and the complaint rate. */
export async function emailStats(db: Db, now = new Date()) {
  const since = new Date(now.getTime() - 30 * DAY_MS);
  const [sent, delivered, bounced, complained, queued, failed, categories] = await Promise.all([
    db.email.count({ where: { sentAt: { gte: since } } }),
    db.email.count({ where: { sentAt: { gte: since }, deliveredAt: { not: null } } }),
    db.email.count({ where: { sentAt: { gte: since }, bouncedAt: { not: null } } }),
    db.email.count({ where: { sentAt: { gte: since }, complainedAt: { not: null } } }),
    db.email.count({ where: { status: { in: ["QUEUED", "SENDING"] } } }),
    db.email.count({ where: { status: "FAILED", createdAt: { gte: since } } }),
    db.email.groupBy({ by: ["category"], _count: { _all: true }, orderBy: { category: "asc" } }),
  ]);
  return {
    sent,
    delivered,
    bounced,
    complained,
    queued,
    failed,
    complaintRate: sent ? complained / sent : 0,
    categories: categories.map((c) => c.category),
  };
}

export async function suppressions(db: Db) {
  return db.emailSuppression.findMany({ orderBy: { createdAt: "desc" }, take: 200 });
}

/** Lets an address receive nudges again (it asked to, or the bounce was a mistake); audited. */
export async function unsuppress(db: Db, actor: SignedInUser, address: string) {
  const key = address.toLowerCase();
  await db.$transaction(async (tx) => {
    const removed = await tx.emailSuppression.deleteMany({ where: { address: key } });
    if (removed.count === 0) {
      throw new DomainError("NOT_FOUND", "That address is not suppressed.");
    }
    await recordAudit(tx, {
      actorId: actor.id,
      action: "email.unsuppressed",
      targetType: "email-address",
      // The address itself stays out of the audit log (it is personal data); its domain is kept.
      details: { addressDomain: key.split("@")[1] ?? "" },
    });
  });
  return { address: key };
}
