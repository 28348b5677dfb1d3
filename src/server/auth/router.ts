import { publicProcedure, router } from "../trpc/init";
import { requestLinkInput } from "./schemas";
import { requestSignInLink } from "./sign-in-link";

export const authRouter = router({
  requestLink: publicProcedure
    .input(requestLinkInput)
    .mutation(async ({ ctx, input }) =>
      requestSignInLink(
        { db: ctx.db, env: ctx.env, queue: await ctx.queue() },
        { ...input, ip: ctx.ip },
      ),
    ),
});
