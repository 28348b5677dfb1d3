import { authedProcedure, router } from "../trpc/init";
import { today } from "./service";

export const dashboardRouter = router({
  today: authedProcedure.query(({ ctx }) => today(ctx.db, ctx.user)),
});
