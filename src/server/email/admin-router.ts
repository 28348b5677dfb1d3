import { adminProcedure, router } from "../trpc/init";
import {
  emailLog,
  emailLogInput,
  emailStats,
  suppressions,
  unsuppress,
  unsuppressInput,
} from "./admin";

/** admin.emails.*: the email log, its numbers and the suppression list (admins only). */
export const adminEmailsRouter = router({
  list: adminProcedure.input(emailLogInput).query(({ ctx, input }) => emailLog(ctx.db, input)),
  stats: adminProcedure.query(({ ctx }) => emailStats(ctx.db)),
  suppressions: adminProcedure.query(({ ctx }) => suppressions(ctx.db)),
  unsuppress: adminProcedure
    .input(unsuppressInput)
    .mutation(({ ctx, input }) => unsuppress(ctx.db, ctx.user, input.address)),
});
