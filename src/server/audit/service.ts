import type { Prisma } from "@/generated/prisma/client";
import type { Db } from "../db";
import { AUDIT_AREAS, type AuditArea, describeAudit } from "./describe";

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

export async function listAudit(
  db: Db,
  input: { limit: number; cursor?: string; area?: AuditArea },
) {
  const rows = await db.auditLog.findMany({
    where: input.area ? { action: { startsWith: AUDIT_AREAS[input.area] } } : {},
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: {
      actor: { select: { email: true, name: true } },
      targetUser: { select: { email: true, name: true } },
    },
  });
  const hasMore = rows.length > input.limit;
  const page = hasMore ? rows.slice(0, input.limit) : rows;
  const names = await subjectNames(db, page);
  const items = page.map((row) => {
    const details = row.details as Record<string, unknown> | null;
    const programId = typeof details?.programId === "string" ? details.programId : null;
    const subject = row.targetId ? names.get(`${row.targetType}:${row.targetId}`) : undefined;
    return {
      id: row.id,
      createdAt: row.createdAt,
      action: row.action,
      actor: row.actor ? (row.actor.name ?? row.actor.email) : null,
      sentence: describeAudit({
        action: row.action,
        details: row.details,
        target: row.targetUser
          ? row.targetUser.name
            ? `${row.targetUser.name} (${row.targetUser.email})`
            : row.targetUser.email
          : null,
        subject: subject?.name ?? null,
        program: programId ? (names.get(`Program:${programId}`)?.name ?? null) : null,
        currency: subject?.currency ?? null,
      }),
    };
  });
  return { items, nextCursor: hasMore ? page.at(-1)?.id : undefined };
}

/** Names of the programs, cohorts and plans a page of entries is about: three reads at most. */
async function subjectNames(
  db: Db,
  rows: { targetType: string; targetId: string | null; details: unknown }[],
) {
  const ids = { Program: new Set<string>(), cohort: new Set<string>(), Plan: new Set<string>() };
  for (const row of rows) {
    if (row.targetId && row.targetType in ids) {
      ids[row.targetType as keyof typeof ids].add(row.targetId);
    }
    const programId = (row.details as Record<string, unknown> | null)?.programId;
    if (typeof programId === "string") ids.Program.add(programId);
  }
  const [programs, cohorts, plans] = await Promise.all([
    ids.Program.size
      ? db.program.findMany({
          where: { id: { in: [...ids.Program] } },
          select: { id: true, title: true },
        })
      : [],
    ids.cohort.size
      ? db.cohort.findMany({
          where: { id: { in: [...ids.cohort] } },
          select: { id: true, name: true },
        })
      : [],
    ids.Plan.size
      ? db.plan.findMany({
          where: { id: { in: [...ids.Plan] } },
          select: { id: true, name: true, currency: true },
        })
      : [],
  ]);
  const names = new Map<string, { name: string; currency?: string }>();
  for (const p of programs) names.set(`Program:${p.id}`, { name: p.title });
  for (const c of cohorts) names.set(`cohort:${c.id}`, { name: c.name });
  for (const p of plans) names.set(`Plan:${p.id}`, { name: p.name, currency: p.currency });
  return names;
}
