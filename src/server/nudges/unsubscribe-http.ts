import { db } from "../db";
import { env } from "../env";
import { BodyTooLargeError, readBodyLimited } from "../http/body";
import { stopCategory } from "./preferences";
import { readLinkToken } from "./tokens";

const MAX_BODY = 4 * 1024;

/**
 * POST /api/email/unsubscribe?t=<token>: stops the token's category for its member at once,
 * without a session. A mail client's one-click POST gets 200; the page's button (a form with
 * `from=page`) is sent back to the page. A forged, altered or foreign token gets 400 and
 * changes nothing; so does one older than a year.
 */
export async function unsubscribeRequest(request: Request): Promise<Response> {
  const token = new URL(request.url).searchParams.get("t");
  let body = "";
  try {
    body = new TextDecoder().decode(await readBodyLimited(request, MAX_BODY));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return text(413, "Request too large.");
    throw error;
  }
  const { link, expired } = readLinkToken(env().authSecret, token);
  if (expired) {
    return text(400, "This unsubscribe link has expired. Sign in to choose which emails you get.");
  }
  if (link?.purpose !== "unsubscribe") return text(400, "This unsubscribe link is not valid.");
  const user = await db().user.findUnique({ where: { id: link.userId }, select: { id: true } });
  if (!user) return text(400, "This unsubscribe link is not valid.");
  await stopCategory(db(), link.userId, link.category);
  if (new URLSearchParams(body).get("from") === "page") {
    return new Response(null, {
      status: 303,
      headers: { location: `/email/unsubscribe?t=${encodeURIComponent(token ?? "")}&done=1` },
    });
  }
  return text(200, "Unsubscribed.");
}

function text(status: number, message: string) {
  return new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
