import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";

type Tx = Prisma.TransactionClient | Db;

export type AuditEntry = {
  actorId: string;
  action: string;
  targetType: string;
  targetId?: string;
  targetUserId?: string;
  details?: Prisma.InputJsonObject;
};

/** Append-only: call inside the same transaction as the change it records. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({ data: { ...entry, details: entry.details ?? {} } });
}

export async function listAudit(db: Db, input: { limit: number; cursor?: string }) {
  const rows = await db.auditLog.findMany({
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: {
      actor: { select: { email: true, name: true } },
      targetUser: { select: { email: true, name: true } },
    },
  });
  const hasMore = rows.length > input.limit;
  const items = hasMore ? rows.slice(0, input.limit) : rows;
  return { items, nextCursor: hasMore ? items.at(-1)?.id : undefined };
}
