import { authedProcedure, router } from "../trpc/init";
import { tickInput, untickInput } from "./schemas";
import { listPractices, tickPractice, untickPractice } from "./service";

export const practicesRouter = router({
  list: authedProcedure.query(({ ctx }) => listPractices(ctx.db, ctx.user)),
  tick: authedProcedure
    .input(tickInput)
    .mutation(({ ctx, input }) => tickPractice(ctx.db, ctx.user, input)),
  untick: authedProcedure
    .input(untickInput)
    .mutation(({ ctx, input }) => untickPractice(ctx.db, ctx.user, input.tickId)),
});
