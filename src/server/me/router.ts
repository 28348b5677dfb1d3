import { authedProcedure, router } from "../trpc/init";
import { updateProfileInput } from "./schemas";
import { getProfile, updateProfile } from "./service";

export const meRouter = router({
  get: authedProcedure.query(({ ctx }) => getProfile(ctx.db, ctx.user.id)),
  update: authedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => updateProfile(ctx.db, ctx.user.id, input)),
});
