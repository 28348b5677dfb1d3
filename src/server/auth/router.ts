import { publicProcedure, router } from "../trpc/init";
import { browserCookieHeader, linkState, newBrowserNonce, readBrowserNonce } from "./link-binding";
import { linkStateInput, requestLinkInput } from "./schemas";
import { requestSignInLink } from "./sign-in-link";

export const authRouter = router({
  requestLink: publicProcedure.input(requestLinkInput).mutation(async ({ ctx, input }) => {
    // Over HTTP the link is bound to the asking browser (login CSRF, see link-binding.ts): it
    // keeps its nonce or gets one. The cookie is set whatever the outcome, so the answer for a
    // deactivated address looks the same as any other.
    const nonce = ctx.resHeaders
      ? (readBrowserNonce(ctx.cookies, ctx.env.appUrl) ?? newBrowserNonce())
      : null;
    const result = await requestSignInLink(
      { db: ctx.db, env: ctx.env, queue: await ctx.queue() },
      { ...input, ip: ctx.ip, browserNonce: nonce },
    );
    if (nonce) ctx.resHeaders?.append("set-cookie", browserCookieHeader(ctx.env.appUrl, nonce));
    return result;
  }),
  /** For the confirm page: is the link live, and was it asked for in this browser? */
  linkState: publicProcedure.input(linkStateInput).query(({ ctx, input }) =>
    linkState(ctx.db, ctx.env, {
      ...input,
      nonce: readBrowserNonce(ctx.cookies, ctx.env.appUrl),
    }),
  ),
});
