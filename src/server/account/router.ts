import { sessionCookieHeader, sessionCookieName } from "../auth/session-cookie";
import { authedProcedure, router } from "../trpc/init";
import {
  cancelDeletion,
  confirmDeletion,
  deletionLinkState,
  deletionState,
  requestDeletion,
} from "./request";
import { cancelDeletionInput, deletionTokenInput, requestDeletionInput } from "./schemas";

/**
 * account.*: deleting one's own account (issue 12, part 3). Every step needs the member signed
 * in: the emailed link is confirmed in a browser signed in to the same account.
 */
export const accountRouter = router({
  /** The request waiting for its link, or `{ pending: null }`. */
  deletionState: authedProcedure.query(({ ctx }) => deletionState(ctx.db, ctx.user.id)),
  requestDeletion: authedProcedure.input(requestDeletionInput).mutation(async ({ ctx }) =>
    requestDeletion({ db: ctx.db, env: ctx.env, queue: await ctx.queue() }, ctx.user.id, {
      origin: ctx.origin,
    }),
  ),
  cancelDeletion: authedProcedure
    .input(cancelDeletionInput)
    .mutation(({ ctx }) => cancelDeletion(ctx.db, ctx.user.id)),
  /** For the page the link opens: live, dead (expired, used, unknown), or another account's. */
  deletionLink: authedProcedure
    .input(deletionTokenInput)
    .query(({ ctx, input }) => deletionLinkState(ctx, ctx.user.id, input.token)),
  confirmDeletion: authedProcedure.input(deletionTokenInput).mutation(async ({ ctx, input }) => {
    const result = await confirmDeletion(ctx, ctx.user.id, input.token);
    // The session row is gone already; the browser forgets its cookie too.
    ctx.resHeaders?.append(
      "set-cookie",
      sessionCookieHeader(sessionCookieName(ctx.env.appUrl), "", { maxAgeSeconds: 0 }),
    );
    return result;
  }),
});
