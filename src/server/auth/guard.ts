import "server-only";
import { notFound, redirect } from "next/navigation";
import type { Role } from "@/generated/prisma/client";
import { currentSession } from "../trpc/server";
import type { SessionUser } from "./session";

/** Where a member without a name is sent first (the member area and the post-sign-in landing). */
const NEEDS_A_NAME = /^\/(app|dashboard)(\/|$|\?)/;

/**
 * Page guards run on the server: a wrong role gets the 404 page, never the content. A member who
 * has not said what to call them yet is asked first (then sent on to `returnTo`).
 */
export async function requireUser(
  returnTo: string,
  options: { askName?: boolean } = {},
): Promise<SessionUser> {
  const session = await currentSession();
  if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  const user = session.user;
  const ask = options.askName ?? true;
  if (ask && !user.name?.trim() && user.role === "MEMBER" && NEEDS_A_NAME.test(returnTo)) {
    redirect(`/settings/welcome?next=${encodeURIComponent(returnTo)}`);
  }
  return user;
}

export async function requireRole(roles: Role[], returnTo: string): Promise<SessionUser> {
  const user = await requireUser(returnTo);
  if (!roles.includes(user.role)) notFound();
  return user;
}

export const COACH_ROLES: Role[] = ["COACH", "ADMIN"];
export const ADMIN_ROLES: Role[] = ["ADMIN"];
