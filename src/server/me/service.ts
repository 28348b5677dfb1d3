import type { z } from "zod";
import type { Db } from "../db";
import { DomainError } from "../errors";
import type { updateProfileInput } from "./schemas";

const profileSelect = {
  id: true,
  email: true,
  name: true,
  role: true,
  timeZone: true,
  bio: true,
  image: true,
  createdAt: true,
} as const;

export async function getProfile(db: Db, userId: string) {
  const user = await db.user.findUnique({ where: { id: userId }, select: profileSelect });
  if (!user) throw new DomainError("NOT_FOUND", "Your account no longer exists.");
  return user;
}

export async function updateProfile(
  db: Db,
  userId: string,
  input: z.infer<typeof updateProfileInput>,
) {
  return db.user.update({
    where: { id: userId },
    data: { name: input.name, timeZone: input.timeZone, bio: input.bio, image: input.image },
    select: profileSelect,
  });
}

/**
 * Ends the member's sessions at once: every other device's, or all of them. The session this
 * request came with is kept only when asked and when it is known (a request over HTTP).
 */
export async function signOutSessions(db: Db, userId: string, keepToken: string | null) {
  const { count } = await db.session.deleteMany({
    where: { userId, ...(keepToken ? { sessionToken: { not: keepToken } } : {}) },
  });
  return { ended: count };
}
