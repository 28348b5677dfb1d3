import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { cookies } from "next/headers";
import { BodyTooLargeError, withLimitedBody } from "@/server/http/body";
import { createContext } from "@/server/trpc/context";
import { appRouter } from "@/server/trpc/root";

// The largest legitimate input is a long answer (20,000 characters) or a step body; 1 MB leaves
// room for JSON and batching while keeping an anonymous caller from exhausting memory.
const MAX_BODY_BYTES = 1024 * 1024;

async function handler(incoming: Request) {
  let request: Request;
  try {
    request = await withLimitedBody(incoming, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return Response.json({ error: { message: error.message } }, { status: 413 });
    }
    throw error;
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    maxBatchSize: 20,
    createContext: async () =>
      createContext({ headers: request.headers, cookies: await cookies() }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`[trpc] ${path}:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
