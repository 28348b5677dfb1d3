import { authRouter } from "../auth/router";
import { mailboxRouter } from "../mailbox/router";
import { meRouter } from "../me/router";
import { adminUsersRouter } from "../users/router";
import { createCallerFactory, router } from "./init";

export const appRouter = router({
  auth: authRouter,
  me: meRouter,
  mailbox: mailboxRouter,
  admin: router({ users: adminUsersRouter }),
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
