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

export async function programAccess(
  db: Db,
  user: UserFacts,
  program: ProgramFacts,
  now = new Date(),
): Promise<Access> {
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
  const comp = await db.comp.findFirst({
    where: {
      userId: user.id,
      OR: [{ programId: program.id }, { programId: null }],
      AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }],
    },
    select: { id: true },
  });
  if (comp) return { canOpen: true, canAnswer: true, source: "comp" };
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
