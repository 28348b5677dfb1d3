// availability.ts imports nothing: safe in the edge bundle too.
import { noteIfUnavailable } from "./server/db/availability";

// Runs once when the Next.js server starts. The Node-only check lives in its own module so the
// edge bundle never sees it (Next replaces NEXT_RUNTIME at build time).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}

/**
 * Every server error Next.js sees: one that means the database is away marks it, so the response
 * goes out as 503 with Retry-After instead of 500 (src/server/http/web-server.ts).
 */
export function onRequestError(error: unknown) {
  noteIfUnavailable(error);
}
