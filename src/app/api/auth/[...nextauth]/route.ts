import NextAuth from "next-auth";
import { guardEmailCallback } from "@/server/auth/link-binding-http";
import { authOptions } from "@/server/auth/options";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { requestOrigin } from "@/server/http/origins";
import { whileDatabaseAway } from "@/server/http/unavailable";

type Ctx = { params: Promise<{ nextauth: string[] }> };

function handle(request: Request, context: Ctx) {
  const origin = requestOrigin(request.headers, env());
  return NextAuth(request as never, context as never, authOptions({ origin }));
}

export const GET = whileDatabaseAway(async (request: Request, context: Ctx) => {
  const { nextauth } = await context.params;
  // A sign-in link opened in a browser that did not ask for it must not sign in straight away
  // (login CSRF): the guard sends that browser to the confirm page, which asks.
  if (nextauth[0] === "callback" && nextauth[1] === "email") {
    const detour = await guardEmailCallback(request, { db: db(), env: env() });
    if (detour) return detour;
  }
  return handle(request, context);
});

export const POST = whileDatabaseAway(async (request: Request, context: Ctx) => {
  const { nextauth } = await context.params;
  // Links are issued by Kindred's own rate-limited form (tRPC auth.requestLink); next-auth's
  // built-in email sign-in POST would bypass those limits, so it does not exist here.
  if (nextauth[0] === "signin") {
    return Response.json({ error: "Request a sign-in link from /signin." }, { status: 404 });
  }
  return handle(request, context);
});
