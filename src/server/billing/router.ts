import { adminProcedure, authedProcedure, publicProcedure, router } from "../trpc/init";
import { myBilling, paymentProblem } from "./account";
import { checkoutStatus, portalSession, startCheckout } from "./checkout";
import {
  billingOverview,
  compsList,
  failedPayments,
  grantComp,
  invoicesPage,
  purchasesPage,
  recentEvents,
  recentRefunds,
  refundPurchase,
  revokeComp,
} from "./console";
import { adminPlans, createPlan, plansForProgram, publicPlans, updatePlan } from "./plans";
import {
  checkoutInput,
  checkoutStatusInput,
  compIdInput,
  createPlanInput,
  eventIdInput,
  grantCompInput,
  pageInput,
  portalInput,
  programPlansInput,
  refundInput,
  updatePlanInput,
} from "./schemas";
import { replayEvent } from "./webhook";

/** Memberships: plans (admins), buying and self-service (members), the console (admins). */
export const billingRouter = router({
  // Anyone: what is on sale.
  plans: publicProcedure.query(({ ctx }) => publicPlans(ctx.db)),
  forProgram: authedProcedure
    .input(programPlansInput)
    .query(({ ctx, input }) => plansForProgram(ctx.db, input.programId)),
  // Members: their own billing only.
  mine: authedProcedure.query(({ ctx }) => myBilling(ctx.db, ctx.user.id)),
  notice: authedProcedure.query(({ ctx }) => paymentProblem(ctx.db, ctx.user.id)),
  checkout: authedProcedure
    .input(checkoutInput)
    .mutation(({ ctx, input }) => startCheckout(ctx.db, ctx.env, ctx.user, input)),
  checkoutStatus: authedProcedure
    .input(checkoutStatusInput)
    .query(({ ctx, input }) => checkoutStatus(ctx.db, ctx.user, input.sessionId)),
  portal: authedProcedure
    .input(portalInput)
    .mutation(({ ctx, input }) => portalSession(ctx.db, ctx.env, ctx.user, input.returnTo)),
  // Admins.
  admin: router({
    plans: adminProcedure.query(({ ctx }) => adminPlans(ctx.db)),
    createPlan: adminProcedure
      .input(createPlanInput)
      .mutation(({ ctx, input }) => createPlan(ctx.db, ctx.user, input)),
    updatePlan: adminProcedure
      .input(updatePlanInput)
      .mutation(({ ctx, input }) => updatePlan(ctx.db, ctx.user, input)),
    overview: adminProcedure.query(({ ctx }) => billingOverview(ctx.db)),
    failedPayments: adminProcedure.query(({ ctx }) => failedPayments(ctx.db)),
    invoices: adminProcedure
      .input(pageInput)
      .query(({ ctx, input }) => invoicesPage(ctx.db, input.cursor)),
    purchases: adminProcedure
      .input(pageInput)
      .query(({ ctx, input }) => purchasesPage(ctx.db, input.cursor)),
    refunds: adminProcedure.query(({ ctx }) => recentRefunds(ctx.db)),
    refund: adminProcedure
      .input(refundInput)
      .mutation(({ ctx, input }) => refundPurchase(ctx.db, ctx.user, input)),
    comps: adminProcedure.query(({ ctx }) => compsList(ctx.db)),
    grantComp: adminProcedure
      .input(grantCompInput)
      .mutation(({ ctx, input }) => grantComp(ctx.db, ctx.user, input)),
    revokeComp: adminProcedure
      .input(compIdInput)
      .mutation(({ ctx, input }) => revokeComp(ctx.db, ctx.user, input.compId)),
    events: adminProcedure.query(({ ctx }) => recentEvents(ctx.db)),
    replayEvent: adminProcedure
      .input(eventIdInput)
      .mutation(({ ctx, input }) => replayEvent(ctx.db, ctx.queue, input.eventId)),
  }),
});
