import { confirmEmailChange, emailChangeState } from "../me/email-change";
import { confirmEmailChangeInput } from "../me/schemas";
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
      { ...input, ip: ctx.ip, browserNonce: nonce, origin: ctx.origin ?? ctx.env.appUrl },
    );
    if (nonce) ctx.resHeaders?.append("set-cookie", browserCookieHeader(ctx.env.appUrl, nonce));
    // On a demo the mailbox is public, and the id lets it open this very email (not the newest
    // one to the address, which may be another visitor's). Elsewhere only the address returns.
    return ctx.env.demo && result.emailId
      ? { email: result.email, emailId: result.emailId }
      : { email: result.email };
  }),
  /** For the confirm page: is the link live, and was it asked for in this browser? */
  linkState: publicProcedure.input(linkStateInput).query(({ ctx, input }) =>
    linkState(ctx.db, ctx.env, {
      ...input,
      nonce: readBrowserNonce(ctx.cookies, ctx.env.appUrl),
    }),
  ),
  /**
   * The link sent to a new address: public, since it may be opened on a device where the member
   * is not signed in; the token alone (from that inbox) is the proof.
   */
  emailChangeState: publicProcedure
    .input(confirmEmailChangeInput)
    .query(({ ctx, input }) => emailChangeState(ctx, input)),
  confirmEmailChange: publicProcedure
    .input(confirmEmailChangeInput)
    .mutation(async ({ ctx, input }) =>
      confirmEmailChange({ db: ctx.db, env: ctx.env, queue: await ctx.queue() }, input),
    ),
});
