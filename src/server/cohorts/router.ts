import { authedProcedure, coachProcedure, router } from "../trpc/init";
import { joinByInvite, joinCohort, leaveCohort } from "./join";
import { feedEvents } from "./live";
import {
  addFacilitator,
  closeCohort,
  coachCohorts,
  createCohort,
  createInvite,
  nudgeMember,
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
  addSessionInput,
  cohortIdInput,
  cohortSlugInput,
  commentIdInput,
  commentInput,
  commentsPageInput,
  createCohortInput,
  facilitatorInput,
  feedInput,
  inviteTokenInput,
  memberActionInput,
  moderateInput,
  postIdInput,
  postInput,
  programCohortsInput,
  reactInput,
  reportInput,
  resetCalendarInput,
  rosterInput,
  rosterPageInput,
  sessionIdInput,
  shareAnswerInput,
  updateCohortInput,
  updateSessionInput,
} from "./schemas";
import {
  addSession,
  calendarLink,
  cancelSession,
  resetCalendarLink,
  updateSession,
} from "./sessions";
import {
  addComment,
  createPost,
  deleteComment,
  deletePost,
  directory,
  feed,
  lastFeedChange,
  moderatePost,
  postComments,
  reportPost,
  shareIntoCohort,
  spaceAccess,
  toggleReaction,
} from "./space";

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
    .query(({ ctx, input }) =>
      manageCohort(ctx.db, ctx.user, input.cohortId, { reads: ctx.reads }),
    ),
  roster: coachProcedure
    .input(rosterInput)
    .query(({ ctx, input }) => cohortRoster(ctx.db, ctx.user, input, { reads: ctx.reads })),
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
  nudge: coachProcedure
    .input(memberActionInput)
    .mutation(({ ctx, input }) => nudgeMember(ctx.db, ctx.queue, ctx.env, ctx.user, input)),
  removeMember: coachProcedure
    .input(memberActionInput)
    .mutation(({ ctx, input }) => removeMember(ctx.db, ctx.queue, ctx.user, input)),
  addSession: coachProcedure
    .input(addSessionInput)
    .mutation(({ ctx, input }) => addSession(ctx.db, ctx.user, input)),
  updateSession: coachProcedure
    .input(updateSessionInput)
    .mutation(({ ctx, input }) => updateSession(ctx.db, ctx.user, input)),
  cancelSession: coachProcedure
    .input(sessionIdInput)
    .mutation(({ ctx, input }) => cancelSession(ctx.db, ctx.user, input.sessionId)),
  // Members.
  calendar: authedProcedure.query(({ ctx }) => calendarLink(ctx.db, ctx.env, ctx.user.id)),
  resetCalendar: authedProcedure
    .input(resetCalendarInput)
    .mutation(({ ctx }) => resetCalendarLink(ctx.db, ctx.env, ctx.user.id)),
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
  // The cohort space (seated members and those who run the cohort).
  feed: authedProcedure.input(feedInput).query(({ ctx, input }) => {
    const [at, id] = input.cursor ? input.cursor.split(/_(.*)/s) : [];
    const before = at && id ? { at: new Date(Number(at)), id } : null;
    return feed(ctx.db, ctx.user, { cohortId: input.cohortId, before });
  }),
  members: authedProcedure
    .input(rosterPageInput)
    .query(({ ctx, input }) => directory(ctx.db, ctx.user, input)),
  comments: authedProcedure
    .input(commentsPageInput)
    .query(({ ctx, input }) => postComments(ctx.db, ctx.user, input)),
  post: authedProcedure
    .input(postInput)
    .mutation(({ ctx, input }) => createPost(ctx.db, ctx.user, input)),
  deletePost: authedProcedure
    .input(postIdInput)
    .mutation(({ ctx, input }) => deletePost(ctx.db, ctx.user, input.postId)),
  comment: authedProcedure
    .input(commentInput)
    .mutation(({ ctx, input }) => addComment(ctx.db, ctx.user, input)),
  deleteComment: authedProcedure
    .input(commentIdInput)
    .mutation(({ ctx, input }) => deleteComment(ctx.db, ctx.user, input.commentId)),
  react: authedProcedure
    .input(reactInput)
    .mutation(({ ctx, input }) => toggleReaction(ctx.db, ctx.user, input)),
  report: authedProcedure
    .input(reportInput)
    .mutation(({ ctx, input }) => reportPost(ctx.db, ctx.user, input)),
  moderate: authedProcedure
    .input(moderateInput)
    .mutation(({ ctx, input }) => moderatePost(ctx.db, ctx.user, input)),
  shareAnswer: authedProcedure
    .input(shareAnswerInput)
    .mutation(({ ctx, input }) => shareIntoCohort(ctx.db, ctx.user, input)),
  /**
   * New posts, comments, reactions and moderation in one cohort's space, as they happen (SSE).
   * Checked like the feed; the events carry ids only, the page then reads what it may show.
   */
  live: authedProcedure.input(cohortIdInput).subscription(async ({ ctx, input, signal }) => {
    // Checked before the stream starts, so a refusal is a plain tRPC error (NOT_FOUND).
    await spaceAccess(ctx.db, ctx.user, input.cohortId);
    return feedEvents({
      connectionString: ctx.env.databaseUrl,
      cohortId: input.cohortId,
      signal,
      poll: () => lastFeedChange(ctx.db, input.cohortId),
    });
  }),
});
