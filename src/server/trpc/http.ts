import { type AnyTRPCRouter, TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { noteIfUnavailable, RETRY_AFTER_SECONDS, unavailableMessage } from "../db/availability";
import { BodyTooLargeError, withLimitedBody } from "../http/body";
import { createContext } from "./context";
import { appRouter } from "./root";

// The largest legitimate input is a long answer (20,000 characters) or a step body; 1 MB leaves
// room for JSON and batching while keeping an anonymous caller from exhausting memory.
export const MAX_TRPC_BODY_BYTES = 1024 * 1024;
export const MAX_TRPC_BATCH = 20;

/** Cookies straight from the request's Cookie header (no Next.js request store needed). */
export function requestCookies(headers: Headers) {
  const jar = new Map<string, string>();
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || jar.has(name)) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      jar.set(name, decodeURIComponent(raw));
    } catch {
      jar.set(name, raw);
    }
  }
  return { get: (name: string) => (jar.has(name) ? { value: jar.get(name)! } : undefined) };
}

/**
 * `/api/trpc` as a plain Fetch handler: the Next route calls it, and tests serve it over real
 * HTTP without Next. `router` is a parameter so a test can serve a router of its own.
 */
export async function handleTrpcRequest(
  incoming: Request,
  options: { router?: AnyTRPCRouter; endpoint?: string } = {},
): Promise<Response> {
  // tRPC would also read multipart and octet-stream bodies, handing procedures a FormData or a
  // stream as input; Kindred's procedures take JSON only, so those never get that far.
  const type = incoming.headers.get("content-type")?.split(";", 1)[0]?.trim().toLowerCase();
  if (incoming.method === "POST" && type && type !== "application/json") {
    return Response.json(
      { error: { message: "Send the request body as JSON (application/json)." } },
      { status: 415 },
    );
  }
  let request: Request;
  try {
    request = await withLimitedBody(incoming, MAX_TRPC_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return Response.json({ error: { message: error.message } }, { status: 413 });
    }
    throw error;
  }
  return fetchRequestHandler({
    endpoint: options.endpoint ?? "/api/trpc",
    req: request,
    router: options.router ?? appRouter,
    maxBatchSize: MAX_TRPC_BATCH,
    createContext: ({ resHeaders }) =>
      createContext({
        headers: request.headers,
        cookies: requestCookies(request.headers),
        resHeaders,
      }).catch((error: unknown) => {
        // The session lookup is the first read of every call: the database being away shows here.
        const away = noteIfUnavailable(error);
        if (!away) throw error;
        throw new TRPCError({
          code: "SERVICE_UNAVAILABLE",
          message: unavailableMessage(away),
          cause: error,
        });
      }),
    // Answers depend on who asks (sessions, private journal data): no cache may keep them.
    responseMeta: ({ errors }) => ({
      headers: {
        "cache-control": "no-store",
        ...(errors.some((e) => e.code === "SERVICE_UNAVAILABLE")
          ? { "retry-after": String(RETRY_AFTER_SECONDS) }
          : {}),
      },
    }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`[trpc] ${path}:`, error.cause ?? error);
    },
  });
}
