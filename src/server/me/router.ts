import { sessionCookieName } from "../auth/tokens";
import { authedProcedure, router } from "../trpc/init";
import { signOutEverywhereInput, updateProfileInput } from "./schemas";
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
});
