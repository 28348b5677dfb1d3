"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { endSession } from "@/server/auth/session";
import { sessionCookieName } from "@/server/auth/tokens";
import { db } from "@/server/db";
import { env } from "@/server/env";

/** Sign-out deletes the database session, so the cookie is worthless even if it was copied. */
export async function signOutAction(): Promise<void> {
  const jar = await cookies();
  const name = sessionCookieName(env().appUrl);
  await endSession(db(), jar.get(name)?.value);
  jar.delete(name);
  redirect("/signin?signedOut=1");
}
