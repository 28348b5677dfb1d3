import type { AccessRule, ProgramStatus, Role } from "@/generated/prisma/client";
import type { Db } from "../db";
import { DomainError } from "../errors";

/**
 * The one answer to "may this user open this program?". Sources today: free programs, admin
 * comps (one program or all, with optional expiry) and the program's own author / admins.
 * Billing adds subscriptions and one-time purchases here, and nowhere else.
 *
 * Losing access never hides a member's own answers: the journal reads passes by owner, not
 * through this check; the player becomes read-only (`canAnswer: false`).
 */
export type Access = {
  canOpen: boolean;
  canAnswer: boolean;
  source: "free" | "comp" | "author" | "admin" | "none";
  reason?: string;
};

type ProgramFacts = { id: string; accessRule: AccessRule; status: ProgramStatus; authorId: string };
type UserFacts = { id: string; role: Role };

/** A live comp: for one program, or for every program when `programId` is null. */
export type CompGrant = { programId: string | null };

/**
 * The decision itself, from facts already read: the author and admins always; unpublished
 * programs nobody else; free programs everyone; others with a live comp.
 */
export function decideAccess(user: UserFacts, program: ProgramFacts, comps: CompGrant[]): Access {
  if (program.authorId === user.id) return { canOpen: true, canAnswer: true, source: "author" };
  if (user.role === "ADMIN") return { canOpen: true, canAnswer: true, source: "admin" };
  if (program.status !== "PUBLISHED") {
    return {
      canOpen: false,
      canAnswer: false,
      source: "none",
      reason: "This program is not published.",
    };
  }
  if (program.accessRule === "FREE") return { canOpen: true, canAnswer: true, source: "free" };
  if (comps.some((c) => c.programId === null || c.programId === program.id)) {
    return { canOpen: true, canAnswer: true, source: "comp" };
  }
  return {
    canOpen: false,
    canAnswer: false,
    source: "none",
    reason:
      program.accessRule === "PLANS"
        ? "This program is included in a membership plan you do not have yet."
        : "This program is sold separately.",
  };
}

/** The user's live comps (for several programs at once, e.g. the catalog). */
export function liveComps(db: Db, userId: string, now = new Date()): Promise<CompGrant[]> {
  return db.comp.findMany({
    where: { userId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { programId: true },
  });
}

export async function programAccess(
  db: Db,
  user: UserFacts,
  program: ProgramFacts,
  now = new Date(),
): Promise<Access> {
  // Only programs that need a comp cost a query.
  const needsComp =
    program.authorId !== user.id &&
    user.role !== "ADMIN" &&
    program.status === "PUBLISHED" &&
    program.accessRule !== "FREE";
  const comps = needsComp
    ? await db.comp.findMany({
        where: {
          userId: user.id,
          OR: [{ programId: program.id }, { programId: null }],
          AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }],
        },
        select: { programId: true },
        take: 1,
      })
    : [];
  return decideAccess(user, program, comps);
}

/** Throws FORBIDDEN with the reason when the user may not answer in this program. */
export async function requireAnswerAccess(
  db: Db,
  user: UserFacts,
  program: ProgramFacts,
): Promise<void> {
  const access = await programAccess(db, user, program);
  if (!access.canAnswer)
    throw new DomainError("FORBIDDEN", access.reason ?? "You do not have access to this program.");
}
