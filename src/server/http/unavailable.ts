import {
  noteIfUnavailable,
  RETRY_AFTER_SECONDS,
  type Unavailability,
  unavailableMessage,
} from "../db/availability";

/**
 * 503 with Retry-After for a request that failed because the database is away: a small page for
 * a browser (forms, links from emails), JSON for everything else (webhooks retry on it).
 */
export function unavailableResponse(kind: Unavailability, request?: Request): Response {
  const headers = {
    "retry-after": String(RETRY_AFTER_SECONDS),
    "cache-control": "no-store",
  };
  const message = unavailableMessage(kind);
  if (request?.headers.get("accept")?.includes("text/html")) {
    const page = `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Back in a moment · Kindred</title><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1f2937"><h1 style="font-size:1.5rem">Back in a moment</h1><p>${message}</p><p>Go back and send it again in a few seconds.</p></body></html>`;
    return new Response(page, {
      status: 503,
      headers: { ...headers, "content-type": "text/html; charset=utf-8" },
    });
  }
  return Response.json({ error: message }, { status: 503, headers });
}

/**
 * A route handler that answers 503 (not 500) when the database is away; any other error goes on
 * to Next.js as before.
 */
export function whileDatabaseAway<A extends unknown[]>(
  handler: (request: Request, ...rest: A) => Response | Promise<Response>,
) {
  return async (request: Request, ...rest: A): Promise<Response> => {
    try {
      return await handler(request, ...rest);
    } catch (error) {
      const away = noteIfUnavailable(error);
      if (away) return unavailableResponse(away, request);
      throw error;
    }
  };
}
