import { authedProcedure, router } from "../trpc/init";
import { exportStatus, requestExport } from "./export";
import { requestExportInput } from "./schemas";

/**
 * "Export all my data": always the caller's own exports, whatever their role. `request` starts
 * one (or answers the one on its way); `status` is polled by the settings page while it runs.
 */
export const exportsRouter = router({
  request: authedProcedure
    .input(requestExportInput)
    .mutation(async ({ ctx }) =>
      requestExport({ db: ctx.db, env: ctx.env, queue: await ctx.queue() }, ctx.user.id),
    ),
  status: authedProcedure.query(({ ctx }) => exportStatus(ctx.db, ctx.env, ctx.user.id)),
});
