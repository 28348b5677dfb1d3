import { authedProcedure, router } from "../trpc/init";
import {
  addPersonInput,
  logReachOutInput,
  pageInput,
  personIdInput,
  removePersonInput,
  updatePersonInput,
} from "./schemas";
import {
  addPerson,
  listCircles,
  listPeople,
  logReachOut,
  personHistory,
  removePerson,
  updatePerson,
} from "./service";

/** The member's own community map; private: every procedure reads only the caller's rows. */
export const communityRouter = router({
  list: authedProcedure
    .input(pageInput)
    .query(({ ctx, input }) => listPeople(ctx.db, ctx.user, input)),
  circles: authedProcedure.query(({ ctx }) => listCircles(ctx.db, ctx.user)),
  add: authedProcedure
    .input(addPersonInput)
    .mutation(({ ctx, input }) => addPerson(ctx.db, ctx.user, input)),
  update: authedProcedure
    .input(updatePersonInput)
    .mutation(({ ctx, input }) => updatePerson(ctx.db, ctx.user, input)),
  remove: authedProcedure
    .input(removePersonInput)
    .mutation(({ ctx, input }) => removePerson(ctx.db, ctx.user, input.id)),
  logReachOut: authedProcedure
    .input(logReachOutInput)
    .mutation(({ ctx, input }) => logReachOut(ctx.db, ctx.user, input)),
  history: authedProcedure
    .input(personIdInput)
    .query(({ ctx, input }) => personHistory(ctx.db, ctx.user, input.personId)),
});
