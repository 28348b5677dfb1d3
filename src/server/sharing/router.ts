import { authedProcedure, coachProcedure, router } from "../trpc/init";
import { programIdInput, shareIdInput, shareInput } from "./schemas";
import { myShares, programProgress, sharedAnswers, sharePass, unshare } from "./service";

/** Member consent to share one pass, and the coach's view: progress counts and shared snapshots. */
export const coachingRouter = router({
  share: authedProcedure
    .input(shareInput)
    .mutation(({ ctx, input }) => sharePass(ctx.db, ctx.user.id, input.passId, input.audience)),
  unshare: authedProcedure
    .input(shareIdInput)
    .mutation(({ ctx, input }) => unshare(ctx.db, ctx.user.id, input.shareId)),
  myShares: authedProcedure.query(({ ctx }) => myShares(ctx.db, ctx.user.id)),
  progress: coachProcedure
    .input(programIdInput)
    .query(({ ctx, input }) => programProgress(ctx.db, ctx.user, input.programId)),
  sharedAnswers: coachProcedure
    .input(programIdInput)
    .query(({ ctx, input }) => sharedAnswers(ctx.db, ctx.user, input.programId)),
});
