import { authedProcedure, publicProcedure, router } from "../trpc/init";
import { getPreferences, memberOfLink, savePreferences } from "./preferences";
import { linkInput, preferencesInput, preferencesWithLinkInput } from "./schemas";

/**
 * Email preferences: the member's own (signed in), or through the signed link every nudge
 * carries (no sign-in; the link names one member and can open only their preferences).
 */
export const nudgesRouter = router({
  preferences: authedProcedure.query(({ ctx }) => getPreferences(ctx.db, ctx.user.id)),
  save: authedProcedure
    .input(preferencesInput)
    .mutation(({ ctx, input }) => savePreferences(ctx.db, ctx.user.id, input)),
  linkPreferences: publicProcedure.input(linkInput).query(async ({ ctx, input }) => {
    const { userId } = await memberOfLink(ctx.db, ctx.env.authSecret, input.token, "preferences");
    return getPreferences(ctx.db, userId);
  }),
  saveWithLink: publicProcedure.input(preferencesWithLinkInput).mutation(async ({ ctx, input }) => {
    const { token, ...preferences } = input;
    const { userId } = await memberOfLink(ctx.db, ctx.env.authSecret, token, "preferences");
    return savePreferences(ctx.db, userId, preferences);
  }),
});
