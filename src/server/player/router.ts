import { authedProcedure, router } from "../trpc/init";
import { catalog, programOverview } from "./catalog";
import { completeStep } from "./completion";
import { getDraft, saveDraft } from "./drafts";
import { programEnding } from "./ending";
import { enrol } from "./enrol";
import {
  exerciseIdInput,
  programIdInput,
  saveDraftInput,
  slugInput,
  stepIdInput,
  submitInput,
} from "./schemas";
import { getStep } from "./step";
import { submitAnswer } from "./submit";

export const playerRouter = router({
  catalog: authedProcedure.query(({ ctx }) => catalog(ctx.db, ctx.user)),
  program: authedProcedure
    .input(slugInput)
    .query(({ ctx, input }) => programOverview(ctx.db, ctx.user, input.slug)),
  ending: authedProcedure
    .input(slugInput)
    .query(({ ctx, input }) => programEnding(ctx.db, ctx.user, input.slug)),
  enrol: authedProcedure
    .input(programIdInput)
    .mutation(({ ctx, input }) => enrol(ctx.db, ctx.user, input.programId)),
  step: authedProcedure
    .input(stepIdInput)
    .query(({ ctx, input }) => getStep(ctx.db, ctx.user, input.stepId)),
  draft: authedProcedure
    .input(exerciseIdInput)
    .query(({ ctx, input }) => getDraft(ctx.db, ctx.user, input.exerciseId)),
  saveDraft: authedProcedure
    .input(saveDraftInput)
    .mutation(({ ctx, input }) => saveDraft(ctx.db, ctx.user, input)),
  submit: authedProcedure
    .input(submitInput)
    .mutation(({ ctx, input }) => submitAnswer(ctx.db, ctx.user, input)),
  completeStep: authedProcedure
    .input(stepIdInput)
    .mutation(({ ctx, input }) => completeStep(ctx.db, ctx.user, input.stepId)),
});
