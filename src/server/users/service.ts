import type { z } from "zod";
import type { Prisma, Role } from "@/generated/prisma/client";
import { FORMER_MEMBER_ID } from "@/lib/former-member";
import { recordAudit } from "../audit/service";
import type { Db } from "../db";
import { DomainError } from "../errors";
import type { listUsersInput } from "./schemas";

const userRow = {
  id: true,
  email: true,
  name: true,
  role: true,
  timeZone: true,
  deactivatedAt: true,
  createdAt: true,
} as const;

/**
 * The admin's user list: newest first, 50 a page, searchable by name or address and filtered by
 * role and status. "Last active" is the later of the member's last reflection (the activity
 * aggregate kept on write) and their newest sign-in.
 */
export async function listUsers(db: Db, input: z.infer<typeof listUsersInput>) {
  const where: Prisma.UserWhereInput = {
    ...(input.query
      ? {
          OR: [
            { email: { contains: input.query, mode: "insensitive" } },
            { name: { contains: input.query, mode: "insensitive" } },
          ],
        }
      : {}),
    ...(input.role ? { role: input.role } : {}),
    ...(input.status ? { deactivatedAt: input.status === "active" ? null : { not: null } } : {}),
  };
  const found = await db.user.findMany({
    where,
    select: {
      ...userRow,
      activity: { select: { lastActiveAt: true } },
      sessions: { orderBy: { createdAt: "desc" }, take: 1, select: { createdAt: true } },
    },
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const rows = found.map(({ activity, sessions, ...user }) => {
    const times = [activity?.lastActiveAt, sessions[0]?.createdAt].filter((t): t is Date => !!t);
    const lastActiveAt = times.length ? new Date(Math.max(...times.map((t) => t.getTime()))) : null;
    return { ...user, lastActiveAt };
  });
  const hasMore = rows.length > input.limit;
  const items = hasMore ? rows.slice(0, input.limit) : rows;
  return { items, nextCursor: hasMore ? items.at(-1)?.id : undefined };
}

/**
 * Changes that can remove an admin take this lock first, so two admins demoting (or
 * deactivating) each other at the same moment are applied one after the other, and the second
 * sees the first and is refused: there is always one active admin left.
 */
export async function lockAdminChanges(tx: Prisma.TransactionClient) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('kindred:admin-roles'))`;
}

export async function otherActiveAdmins(tx: Prisma.TransactionClient, exceptId: string) {
  return tx.user.count({ where: { role: "ADMIN", deactivatedAt: null, id: { not: exceptId } } });
}

/** The stand-in for deleted accounts is nobody's to promote, deactivate or bring back. */
function refuseStandIn(userId: string) {
  if (userId === FORMER_MEMBER_ID) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "This is the stand-in for deleted accounts; it cannot be changed.",
    );
  }
}

export async function setRole(db: Db, actorId: string, userId: string, role: Role) {
  refuseStandIn(userId);
  return db.$transaction(async (tx) => {
    await lockAdminChanges(tx);
    const user = await tx.user.findUnique({ where: { id: userId }, select: userRow });
    if (!user) throw new DomainError("NOT_FOUND", "No such user.");
    if (user.role === role) return user;
    if (user.role === "ADMIN" && (await otherActiveAdmins(tx, userId)) === 0) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        "This is the last active admin. Make someone else an admin first.",
      );
    }
    const updated = await tx.user.update({
      where: { id: userId },
      data: { role },
      select: userRow,
    });
    await recordAudit(tx, {
      actorId,
      action: "user.role_changed",
      targetType: "User",
      targetId: userId,
      targetUserId: userId,
      details: { from: user.role, to: role },
    });
    return updated;
  });
}

/** Deactivation ends every session of the user at once. */
export async function setDeactivated(db: Db, actorId: string, userId: string, deactivate: boolean) {
  refuseStandIn(userId);
  if (deactivate && actorId === userId) {
    throw new DomainError("PRECONDITION_FAILED", "You cannot deactivate your own account here.");
  }
  return db.$transaction(async (tx) => {
    await lockAdminChanges(tx);
    const user = await tx.user.findUnique({ where: { id: userId }, select: userRow });
    if (!user) throw new DomainError("NOT_FOUND", "No such user.");
    if (Boolean(user.deactivatedAt) === deactivate) return user;
    if (deactivate && user.role === "ADMIN" && (await otherActiveAdmins(tx, userId)) === 0) {
      throw new DomainError("PRECONDITION_FAILED", "This is the last active admin.");
    }
    const updated = await tx.user.update({
      where: { id: userId },
      data: { deactivatedAt: deactivate ? new Date() : null },
      select: userRow,
    });
    if (deactivate) await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, {
      actorId,
      action: deactivate ? "user.deactivated" : "user.reactivated",
      targetType: "User",
      targetId: userId,
      targetUserId: userId,
    });
    return updated;
  });
}
