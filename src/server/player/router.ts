import { authedProcedure, router } from "../trpc/init";
import {
  exerciseIdInput,
  programIdInput,
  saveDraftInput,
  slugInput,
  stepIdInput,
  submitInput,
} from "./schemas";
import {
  catalog,
  completeStep,
  enrol,
  getDraft,
  getStep,
  programOverview,
  saveDraft,
  submitAnswer,
} from "./service";

export const playerRouter = router({
  catalog: authedProcedure.query(({ ctx }) => catalog(ctx.db, ctx.user)),
  program: authedProcedure
    .input(slugInput)
    .query(({ ctx, input }) => programOverview(ctx.db, ctx.user, input.slug)),
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
