import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import type { Session } from "../auth/session";
import type { Db } from "../db";
import { noteIfUnavailable, RETRY_AFTER_SECONDS, unavailableMessage } from "../db/availability";
import type { Env } from "../env";
import { DomainError } from "../errors";
import type { Queue } from "../jobs/queue";
import { refusal, transformer, UNREADABLE } from "./input";
import type { RequestReads } from "./request-reads";

export type Context = {
  db: Db;
  env: Env;
  session: Session | null;
  /** The client address, for rate limits. */
  ip: string;
  /** The allowed origin the request came through (http/origins.ts); APP_URL's when absent. */
  origin?: string;
  /** Lazily started: most requests never enqueue a job. */
  queue: () => Promise<Queue>;
  /** The HTTP response's headers (to set a cookie); null when called from a Server Component. */
  resHeaders: Headers | null;
  /** The request's cookies over HTTP; absent for Server Component and test callers. */
  cookies?: CookieReader;
  /** Reads the request's queries share (request-reads.ts); absent for test callers. */
  reads?: RequestReads;
};

export type CookieReader = { get(name: string): { value: string } | undefined };

function fieldErrorsOf(cause: unknown): Record<string, string[]> | null {
  if (cause instanceof ZodError) {
    return z.flattenError(cause).fieldErrors as Record<string, string[]>;
  }
  if (cause instanceof DomainError && cause.fieldErrors) return cause.fieldErrors;
  return null;
}

/**
 * The client-facing message. Internals never leak: not of unexpected failures, and not of the
 * parsers that read the request (JSON.parse, superjson, a stack overflow), whose errors tRPC
 * passes on as BAD_REQUEST or PARSE_ERROR with their own message.
 */
function messageOf(error: TRPCError, fallback: string): string {
  const cause = error.cause;
  if (error.code === "INTERNAL_SERVER_ERROR") {
    return "Something went wrong on our side. Please try again.";
  }
  if (cause instanceof ZodError) {
    // An issue about the input as a whole has no field to highlight: say what it is.
    const { formErrors, fieldErrors } = z.flattenError(cause);
    return Object.keys(fieldErrors).length === 0 && formErrors[0]
      ? formErrors[0]
      : "Please correct the highlighted fields.";
  }
  const fromParser =
    (error.code === "BAD_REQUEST" || error.code === "PARSE_ERROR") &&
    cause instanceof Error &&
    !(cause instanceof DomainError) &&
    !(cause instanceof TRPCError);
  return fromParser ? UNREADABLE : fallback;
}

const t = initTRPC.context<Context>().create({
  transformer,
  // The formatter never sends a stack; with isDev tRPC would still format one per error.
  isDev: false,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      message: messageOf(error, shape.message),
      data: {
        ...shape.data,
        stack: undefined,
        fieldErrors: fieldErrorsOf(error.cause),
        // Seconds to wait before trying again (also the Retry-After header over HTTP).
        ...(error.code === "SERVICE_UNAVAILABLE" ? { retryAfter: RETRY_AFTER_SECONDS } : {}),
      },
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
  // The database is away (restarting, refusing connections, out of space): nothing was done,
  // and the same call will work again shortly.
  const away = noteIfUnavailable(cause ?? result.error);
  if (away) {
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: unavailableMessage(away), cause });
  }
  if (mapped && (cause as Error).name === "PrismaClientKnownRequestError") {
    throw new TRPCError({ code: mapped.code, message: mapped.message, cause });
  }
  return result;
});

/** The shape of every input (depth, size, reserved keys) before its own schema reads it. */
const inputShape = t.middleware(async ({ getRawInput, next }) => {
  const refused = refusal(await getRawInput());
  if (refused) throw refused;
  return next();
});

/** A mutation forgets the request's shared reads, before it runs and after (request-reads.ts). */
const forgetReadsOnWrite = t.middleware(async ({ ctx, type, next }) => {
  if (type !== "mutation" || !ctx.reads) return next();
  ctx.reads.clear();
  try {
    return await next();
  } finally {
    ctx.reads.clear();
  }
});

export const publicProcedure = t.procedure
  .use(domainErrors)
  .use(inputShape)
  .use(forgetReadsOnWrite);

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
