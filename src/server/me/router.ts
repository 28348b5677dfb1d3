import { sessionCookieName } from "../auth/tokens";
import { authedProcedure, router } from "../trpc/init";
import { cancelEmailChange, pendingEmailChange, requestEmailChange } from "./email-change";
import {
  cancelEmailChangeInput,
  requestEmailChangeInput,
  signOutEverywhereInput,
  updateProfileInput,
} from "./schemas";
import { getProfile, signOutSessions, updateProfile } from "./service";

export const meRouter = router({
  get: authedProcedure.query(({ ctx }) => getProfile(ctx.db, ctx.user.id)),
  update: authedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => updateProfile(ctx.db, ctx.user.id, input)),
  signOutEverywhere: authedProcedure.input(signOutEverywhereInput).mutation(({ ctx, input }) => {
    const current = ctx.cookies?.get(sessionCookieName(ctx.env.appUrl))?.value ?? null;
    return signOutSessions(ctx.db, ctx.user.id, input.keepThisDevice ? current : null);
  }),
  /** The change of address waiting for its link, or null. */
  emailChange: authedProcedure.query(({ ctx }) => pendingEmailChange(ctx.db, ctx.user.id)),
  requestEmailChange: authedProcedure
    .input(requestEmailChangeInput)
    .mutation(async ({ ctx, input }) =>
      requestEmailChange({ db: ctx.db, env: ctx.env, queue: await ctx.queue() }, ctx.user.id, {
        ...input,
        origin: ctx.origin,
      }),
    ),
  cancelEmailChange: authedProcedure
    .input(cancelEmailChangeInput)
    .mutation(({ ctx }) => cancelEmailChange(ctx.db, ctx.user.id)),
});
