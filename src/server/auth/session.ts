import type { Role } from "@/generated/prisma/client";
import type { Db } from "../db";

export type SessionUser = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  timeZone: string;
};
export type Session = { user: SessionUser; expires: Date };

/**
 * The signed-in user as services see them: the one name for "who is asking" across domains
 * (a member, a coach or an admin). Services scope every row they touch by `id`; dates are shown
 * and days counted in `timeZone`.
 */
export type SignedInUser = Pick<SessionUser, "id" | "role" | "timeZone">;

/**
 * Reads a database session by its cookie token. A deactivated user or an expired session is no
 * session at all, so deactivation takes effect on the very next request.
 */
export async function sessionFromToken(db: Db, token: string | undefined): Promise<Session | null> {
  if (!token) return null;
  const row = await db.session.findUnique({
    where: { sessionToken: token },
    select: {
      expires: true,
      user: {
        select: {
          id: true,
          email: true,
          name: true,
          role: true,
          timeZone: true,
          deactivatedAt: true,
        },
      },
    },
  });
  if (!row || row.expires.getTime() < Date.now() || row.user.deactivatedAt) return null;
  const { deactivatedAt: _ignored, ...user } = row.user;
  return { user, expires: row.expires };
}

export async function endSession(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.session.deleteMany({ where: { sessionToken: token } });
}
