import { pageInput } from "../community/schemas";
import { authedProcedure, router } from "../trpc/init";
import { checkInInput, commitmentIdInput, createCommitmentInput } from "./schemas";
import { checkIn, commitmentHistory, createCommitment, listCommitments } from "./service";

/** The member's own commitments; nobody else's are reachable by id. */
export const commitmentsRouter = router({
  list: authedProcedure
    .input(pageInput)
    .query(({ ctx, input }) => listCommitments(ctx.db, ctx.user, input)),
  create: authedProcedure
    .input(createCommitmentInput)
    .mutation(({ ctx, input }) => createCommitment(ctx.db, ctx.user, input)),
  checkIn: authedProcedure
    .input(checkInInput)
    .mutation(({ ctx, input }) => checkIn(ctx.db, ctx.user, input)),
  history: authedProcedure
    .input(commitmentIdInput)
    .query(({ ctx, input }) => commitmentHistory(ctx.db, ctx.user, input.id)),
});
