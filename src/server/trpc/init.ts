import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Session } from "../auth/session";
import type { Db } from "../db";
import type { Env } from "../env";
import { DomainError } from "../errors";
import type { Queue } from "../jobs/queue";

export type Context = {
  db: Db;
  env: Env;
  session: Session | null;
  /** The client address, for rate limits. */
  ip: string;
  /** Lazily started: most requests never enqueue a job. */
  queue: () => Promise<Queue>;
};

function fieldErrorsOf(cause: unknown): Record<string, string[]> | null {
  if (cause instanceof ZodError) {
    return z.flattenError(cause).fieldErrors as Record<string, string[]>;
  }
  if (cause instanceof DomainError && cause.fieldErrors) return cause.fieldErrors;
  return null;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const fieldErrors = fieldErrorsOf(error.cause);
    return {
      ...shape,
      // Never leak internals of unexpected failures to the client.
      message:
        error.code === "INTERNAL_SERVER_ERROR"
          ? "Something went wrong on our side. Please try again."
          : error.code === "BAD_REQUEST" && error.cause instanceof ZodError
            ? "Please correct the highlighted fields."
            : shape.message,
      data: { ...shape.data, stack: undefined, fieldErrors },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

/** Services throw DomainError; this turns it into the matching tRPC error. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
  return next({ ctx: { ...ctx, session: ctx.session, user: ctx.session.user } });
});

export const coachProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "COACH" && ctx.user.role !== "ADMIN") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This is for coaches." });
  }
  return next();
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "ADMIN") {
    throw new TRPCError({ code: "FORBIDDEN", message: "This is for admins." });
  }
  return next();
});
