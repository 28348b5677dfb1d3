import { z } from "zod";
import { integer } from "@/lib/input";
import { authedProcedure, coachProcedure, router } from "../trpc/init";
import { programIdInput, shareIdInput, shareInput } from "./schemas";
import { myShares, programProgress, sharedAnswers, sharePass, unshare } from "./service";

/** One page (0 is the first) of a program's members or shared answers; unknown keys are refused. */
const programPageInput = z.strictObject({
  programId: programIdInput.shape.programId,
  page: integer({ min: 0, max: 10_000 }).default(0),
});

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
    .input(programPageInput)
    .query(({ ctx, input }) => programProgress(ctx.db, ctx.user, input)),
  sharedAnswers: coachProcedure
    .input(programPageInput)
    .query(({ ctx, input }) => sharedAnswers(ctx.db, ctx.user, input)),
});
