import { authedProcedure, router } from "../trpc/init";
import { compareInput, exerciseInput, listInput } from "./schemas";
import { compare, filters, listJournal, scaleTrend, timeline } from "./service";

/** The member's own answers. Always scoped to the caller; coaches and admins see only theirs. */
export const journalRouter = router({
  list: authedProcedure
    .input(listInput)
    .query(({ ctx, input }) => listJournal(ctx.db, ctx.user, input)),
  timeline: authedProcedure
    .input(exerciseInput)
    .query(({ ctx, input }) => timeline(ctx.db, ctx.user, input.exerciseId)),
  compare: authedProcedure
    .input(compareInput)
    .query(({ ctx, input }) => compare(ctx.db, ctx.user, input.passIdA, input.passIdB)),
  scaleTrend: authedProcedure
    .input(exerciseInput)
    .query(({ ctx, input }) => scaleTrend(ctx.db, ctx.user, input.exerciseId)),
  filters: authedProcedure.query(({ ctx }) => filters(ctx.db, ctx.user)),
});
