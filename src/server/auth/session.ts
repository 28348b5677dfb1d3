import type { Role } from "@/generated/prisma/client";
import type { Db } from "../db";
import { noteIfUnavailable } from "../db/availability";
import { SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS } from "./tokens";

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
 *
 * Sessions slide: used more than a day after their last renewal, they are renewed for the full
 * lifetime (one conditional UPDATE, so concurrent requests renew once), and `renewed` says so
 * (the caller can then refresh the cookie's own expiry). An active member is never signed out;
 * one who stays away for the whole lifetime is.
 */
export async function sessionFromToken(
  db: Db,
  token: string | undefined,
  now = new Date(),
): Promise<(Session & { renewed: boolean }) | null> {
  if (!token) return null;
  // The first read of nearly every request: when the database is away it shows here, and the
  // mark lets the web server answer 503 for the page (db/availability.ts).
  const row = await db.session
    .findUnique({
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
    })
    .catch((error: unknown) => {
      noteIfUnavailable(error);
      throw error;
    });
  if (!row || row.expires.getTime() < now.getTime() || row.user.deactivatedAt) return null;
  const { deactivatedAt: _ignored, ...user } = row.user;
  const lastRenewedAt = row.expires.getTime() - SESSION_MAX_AGE_SECONDS * 1000;
  if (now.getTime() - lastRenewedAt < SESSION_UPDATE_AGE_SECONDS * 1000) {
    return { user, expires: row.expires, renewed: false };
  }
  const expires = new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
  const { count } = await db.session.updateMany({
    where: { sessionToken: token, expires: row.expires },
    data: { expires },
  });
  return count > 0
    ? { user, expires, renewed: true }
    : { user, expires: row.expires, renewed: false };
}

export async function endSession(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.session.deleteMany({ where: { sessionToken: token } });
}
