import { calendarFeed } from "@/server/cohorts/sessions";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { whileDatabaseAway } from "@/server/http/unavailable";

// A member's live sessions for calendar apps; the secret in the URL is the only credential
// (calendar apps send no cookies). Never cached by anything between.
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ token: string }> };

export const GET = whileDatabaseAway(async (_request: Request, context: Context) => {
  const { token } = await context.params;
  const body = await calendarFeed(db(), env(), token.replace(/\.ics$/, ""));
  if (body === null) {
    return new Response("No such calendar.\n", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  return new Response(body, {
    headers: {
      "content-type": "text/calendar; charset=utf-8",
      "content-disposition": 'inline; filename="kindred.ics"',
      "cache-control": "private, no-store",
    },
  });
});
