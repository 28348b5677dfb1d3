import { authedProcedure, coachProcedure, router } from "../trpc/init";
import { joinByInvite, joinCohort, leaveCohort } from "./join";
import {
  addFacilitator,
  closeCohort,
  coachCohorts,
  createCohort,
  createInvite,
  removeFacilitator,
  removeMember,
  revokeInvite,
  updateCohort,
} from "./manage";
import {
  cohortHome,
  cohortRoster,
  invitation,
  manageCohort,
  myCohorts,
  programCohorts,
} from "./reads";
import {
  cohortIdInput,
  cohortSlugInput,
  createCohortInput,
  facilitatorInput,
  inviteTokenInput,
  memberActionInput,
  programCohortsInput,
  rosterInput,
  updateCohortInput,
} from "./schemas";

/** Cohorts: coaches run scheduled runs of a program; members join, wait, leave. */
export const cohortsRouter = router({
  // Coaches (the program's author, the cohort's facilitators, admins).
  list: coachProcedure.query(({ ctx }) => coachCohorts(ctx.db, ctx.user)),
  create: coachProcedure
    .input(createCohortInput)
    .mutation(({ ctx, input }) => createCohort(ctx.db, ctx.user, input)),
  update: coachProcedure
    .input(updateCohortInput)
    .mutation(({ ctx, input }) => updateCohort(ctx.db, ctx.queue, ctx.user, input)),
  close: coachProcedure
    .input(cohortIdInput)
    .mutation(({ ctx, input }) => closeCohort(ctx.db, ctx.user, input.cohortId)),
  manage: coachProcedure
    .input(cohortIdInput)
    .query(({ ctx, input }) => manageCohort(ctx.db, ctx.user, input.cohortId)),
  roster: coachProcedure
    .input(rosterInput)
    .query(({ ctx, input }) => cohortRoster(ctx.db, ctx.user, input)),
  createInvite: coachProcedure
    .input(cohortIdInput)
    .mutation(({ ctx, input }) => createInvite(ctx.db, ctx.user, input.cohortId)),
  revokeInvite: coachProcedure
    .input(cohortIdInput)
    .mutation(({ ctx, input }) => revokeInvite(ctx.db, ctx.user, input.cohortId)),
  addFacilitator: coachProcedure
    .input(facilitatorInput)
    .mutation(({ ctx, input }) => addFacilitator(ctx.db, ctx.user, input)),
  removeFacilitator: coachProcedure
    .input(memberActionInput)
    .mutation(({ ctx, input }) => removeFacilitator(ctx.db, ctx.user, input)),
  removeMember: coachProcedure
    .input(memberActionInput)
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.queue, ctx.user, input)),
  // Members.
  mine: authedProcedure.query(({ ctx }) => myCohorts(ctx.db, ctx.user)),
  forProgram: authedProcedure
    .input(programCohortsInput)
    .query(({ ctx, input }) => programCohorts(ctx.db, ctx.user, input.programId)),
  home: authedProcedure
    .input(cohortSlugInput)
    .query(({ ctx, input }) => cohortHome(ctx.db, ctx.user, input.slug)),
  invitation: authedProcedure
    .input(inviteTokenInput)
    .query(({ ctx, input }) => invitation(ctx.db, ctx.user, input.token)),
  join: authedProcedure
    .input(cohortIdInput)
    .mutation(({ ctx, input }) => joinCohort(ctx.db, ctx.user, input.cohortId)),
  joinByInvite: authedProcedure
    .input(inviteTokenInput)
    .mutation(({ ctx, input }) => joinByInvite(ctx.db, ctx.user, input.token)),
  leave: authedProcedure
    .input(cohortIdInput)
    .mutation(({ ctx, input }) => leaveCohort(ctx.db, ctx.queue, ctx.user, input.cohortId)),
});
