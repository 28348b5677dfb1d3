import { accountRouter } from "../account/router";
import { authRouter } from "../auth/router";
import { billingRouter } from "../billing/router";
import { cohortsRouter } from "../cohorts/router";
import { commitmentsRouter } from "../commitments/router";
import { communityRouter } from "../community/router";
import { dashboardRouter } from "../dashboard/router";
import { adminEmailsRouter } from "../email/admin-router";
import { adminHealthProcedure } from "../health/router";
import { journalRouter } from "../journal/router";
import { mailboxRouter } from "../mailbox/router";
import { meRouter } from "../me/router";
import { nudgesRouter } from "../nudges/router";
import { playerRouter } from "../player/router";
import { practicesRouter } from "../practices/router";
import { exportsRouter } from "../privacy/export-router";
import { programsRouter } from "../programs/router";
import { searchRouter } from "../search/router";
import { coachingRouter } from "../sharing/router";
import { adminUsersRouter } from "../users/router";
import { createCallerFactory, router } from "./init";

export const appRouter = router({
  auth: authRouter,
  me: meRouter,
  // Deleting one's own account (admins: admin.users.deleteAccount).
  account: accountRouter,
  mailbox: mailboxRouter,
  admin: router({
    users: adminUsersRouter,
    health: adminHealthProcedure,
    emails: adminEmailsRouter,
  }),
  // Reflection programs: coach authoring, the member player, the journal and sharing.
  programs: programsRouter,
  player: playerRouter,
  journal: journalRouter,
  coaching: coachingRouter,
  // Cohorts: scheduled runs of a program, seats and the waitlist.
  cohorts: cohortsRouter,
  // The member's own space.
  community: communityRouter,
  commitments: commitmentsRouter,
  practices: practicesRouter,
  dashboard: dashboardRouter,
  // Memberships through Stripe.
  billing: billingRouter,
  // Email nudges: preferences, also through a signed link.
  nudges: nudgesRouter,
  // One search over what the caller may see.
  search: searchRouter,
  // "Export all my data": a ZIP built in the background.
  exports: exportsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
