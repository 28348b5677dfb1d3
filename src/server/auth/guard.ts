import "server-only";
import { notFound, redirect } from "next/navigation";
import type { Role } from "@/generated/prisma/client";
import { currentSession } from "../trpc/server";
import type { SessionUser } from "./session";

/** Page guards run on the server: a wrong role gets the 404 page, never the content. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const session = await currentSession();
  if (!session) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return session.user;
}

export async function requireRole(roles: Role[], returnTo: string): Promise<SessionUser> {
  const user = await requireUser(returnTo);
  if (!roles.includes(user.role)) notFound();
  return user;
}

export const COACH_ROLES: Role[] = ["COACH", "ADMIN"];
export const ADMIN_ROLES: Role[] = ["ADMIN"];
