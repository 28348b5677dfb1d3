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
  /** The HTTP response's headers (to set a cookie); null when called from a Server Component. */
  resHeaders: Headers | null;
  /** The request's cookies over HTTP; absent for Server Component and test callers. */
  cookies?: CookieReader;
};

export type CookieReader = { get(name: string): { value: string } | undefined };

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

// Prisma's "known request" errors that mean a race with another request, or a database too
// busy to start a transaction in time: not bugs, and each has an answer the client can act on.
const PRISMA_CODES: Record<
  string,
  { code: "NOT_FOUND" | "CONFLICT" | "SERVICE_UNAVAILABLE"; message: string }
> = {
  P2025: { code: "NOT_FOUND", message: "That item no longer exists. Reload and try again." },
  P2003: {
    code: "CONFLICT",
    message: "That item was changed or removed meanwhile. Reload and try again.",
  },
  P2002: { code: "CONFLICT", message: "That already exists. Reload and try again." },
  P2028: {
    code: "SERVICE_UNAVAILABLE",
    message: "We are very busy right now. Nothing was saved; please try again in a moment.",
  },
};

/** Services throw DomainError; this turns it (and racing-write errors) into tRPC errors. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  const prismaCode = (cause as { code?: unknown } | undefined)?.code;
  const mapped = typeof prismaCode === "string" ? PRISMA_CODES[prismaCode] : undefined;
  if (mapped && (cause as Error).name === "PrismaClientKnownRequestError") {
    throw new TRPCError({ code: mapped.code, message: mapped.message, cause });
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
