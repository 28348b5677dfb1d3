import { authedProcedure, router } from "../trpc/init";
import { searchInput } from "./schemas";
import { search } from "./service";

/** One search over what the caller may see; the scope is the caller's, whatever their role. */
export const searchRouter = router({
  query: authedProcedure
    .input(searchInput)
    .query(({ ctx, input }) => search(ctx.db, ctx.user, input)),
});
