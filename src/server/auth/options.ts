import { PrismaAdapter } from "@next-auth/prisma-adapter";
import type { NextAuthOptions } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import { db } from "../db";
import { queueEmail } from "../email/service";
import { env } from "../env";
import { returnPathOnAny } from "../http/origins";
import { producerQueue } from "../jobs/producer";
import {
  SESSION_MAX_AGE_SECONDS,
  SESSION_UPDATE_AGE_SECONDS,
  SIGN_IN_LINK_MINUTES,
} from "./tokens";

/**
 * next-auth owns the callback half of the magic-link flow (verify the single-use token, create
 * the user and a database session, set the cookie). Links are issued by requestSignInLink, so
 * the provider's own sender is never used; the route handler refuses next-auth's sign-in POST.
 */
export function authOptions(request?: { origin?: string }): NextAuthOptions {
  const e = env();
  // The origin the callback request came through (an allowed one, see http/origins.ts): the
  // session cookie is set there, so the browser must land there too.
  const origin = request?.origin ?? e.appUrl;
  process.env.NEXTAUTH_URL ??= e.appUrl;
  return {
    adapter: PrismaAdapter(db()) as Adapter,
    secret: e.authSecret,
    session: {
      strategy: "database",
      maxAge: SESSION_MAX_AGE_SECONDS,
      updateAge: SESSION_UPDATE_AGE_SECONDS,
    },
    useSecureCookies: e.appUrl.startsWith("https://"),
    pages: { signIn: "/signin", verifyRequest: "/signin/check-email", error: "/signin/error" },
    providers: [
      {
        id: "email",
        type: "email",
        name: "Email",
        server: "",
        from: e.email.from,
        maxAge: SIGN_IN_LINK_MINUTES * 60,
        options: {},
        async sendVerificationRequest() {
          throw new Error("Kindred issues sign-in links through requestSignInLink.");
        },
      },
    ],
    callbacks: {
      // next-auth's default accepts any URL on the origin; ours also refuses backslash, control
      // character and `//` tricks that browsers would follow off-site.
      async redirect({ url }) {
        return `${origin}${returnPathOnAny(url, [origin, ...e.origins]) ?? "/dashboard"}`;
      },
      async signIn({ user }) {
        const deactivated = (user as { deactivatedAt?: Date | null }).deactivatedAt;
        return !deactivated;
      },
    },
    events: {
      async createUser({ user }) {
        if (!user.email) return;
        await queueEmail(db(), await producerQueue(), {
          dedupeKey: `welcome:${user.id}`,
          category: "welcome",
          to: user.email,
          template: { kind: "welcome", name: user.name ?? null, appUrl: e.appUrl },
        });
      },
    },
  };
}
