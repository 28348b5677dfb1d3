import { listAudit } from "../audit/service";
import { adminProcedure, router } from "../trpc/init";
import { auditInput, listUsersInput, setRoleInput, userIdInput } from "./schemas";
import { listUsers, setDeactivated, setRole } from "./service";

export const adminUsersRouter = router({
  list: adminProcedure.input(listUsersInput).query(({ ctx, input }) => listUsers(ctx.db, input)),
  setRole: adminProcedure
    .input(setRoleInput)
    .mutation(({ ctx, input }) => setRole(ctx.db, ctx.user.id, input.userId, input.role)),
  deactivate: adminProcedure
    .input(userIdInput)
    .mutation(({ ctx, input }) => setDeactivated(ctx.db, ctx.user.id, input.userId, true)),
  reactivate: adminProcedure
    .input(userIdInput)
    .mutation(({ ctx, input }) => setDeactivated(ctx.db, ctx.user.id, input.userId, false)),
  audit: adminProcedure.input(auditInput).query(({ ctx, input }) => listAudit(ctx.db, input)),
});
