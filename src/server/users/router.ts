import { deleteAccount, refuseDemoAccount } from "../account/delete";
import { adminDeleteAccountInput } from "../account/schemas";
import { listAudit } from "../audit/service";
import { DomainError } from "../errors";
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
  /** On the member's request (by email, say): the same deletion as theirs, audited with why. */
  deleteAccount: adminProcedure.input(adminDeleteAccountInput).mutation(async ({ ctx, input }) => {
    if (input.userId === ctx.user.id) {
      throw new DomainError(
        "PRECONDITION_FAILED",
        "Delete your own account from your settings, not from here.",
      );
    }
    await refuseDemoAccount(ctx.db, ctx.env.demo, input.userId);
    const { deleted } = await deleteAccount(ctx.db, input.userId, {
      kind: "admin",
      adminId: ctx.user.id,
      reason: input.reason || undefined,
    });
    if (!deleted) throw new DomainError("NOT_FOUND", "No such user.");
    return { deleted };
  }),
  audit: adminProcedure.input(auditInput).query(({ ctx, input }) => listAudit(ctx.db, input)),
});
