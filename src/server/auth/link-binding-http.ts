import type { Db } from "../db";
import type { Env } from "../env";
import { BodyTooLargeError, withLimitedBody } from "../http/body";
import { requestOrigin } from "../http/origins";
import { requestCookies } from "../trpc/http";
import {
  bindLink,
  browserCookieHeader,
  linkQuery,
  linkState,
  newBrowserNonce,
  readBrowserNonce,
} from "./link-binding";

/**
 * The two HTTP steps of link binding (see link-binding.ts), framework-free so tests call them
 * with plain Requests: the guard in front of next-auth's email callback, and the explicit
 * "sign in in this browser" confirmation.
 */

type Deps = { db: Db; env: Env };

const VERIFICATION_ERROR = "/signin/error?error=Verification";

/** A relative redirect keeps the browser on the origin it is using (and its cookies). */
function seeOther(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, {
    status: 303,
    headers: { location, "cache-control": "no-store", ...headers },
  });
}

/**
 * GET /api/auth/callback/email: a live link that this browser did not ask for (nor confirm)
 * must not sign in; the browser is sent to the confirm page, which explains and asks. Null
 * lets next-auth handle the request (also for dead links, which it refuses itself).
 */
export async function guardEmailCallback(request: Request, deps: Deps): Promise<Response | null> {
  const query = new URL(request.url).searchParams;
  const token = query.get("token") ?? "";
  const email = query.get("email") ?? "";
  if (!token || !email) return null;
  const nonce = readBrowserNonce(requestCookies(request.headers), deps.env.appUrl);
  const state = await linkState(deps.db, deps.env, { token, email, nonce });
  if (state !== "other-browser") return null;
  const origin = requestOrigin(request.headers, deps.env);
  const next = linkQuery(
    origin,
    { token, email, callbackUrl: query.get("callbackUrl") },
    deps.env.origins,
  );
  return seeOther(`/signin/confirm?${next}`);
}

/**
 * Cross-site pages can submit forms but cannot forge these headers: Sec-Fetch-Site (sent by
 * every current browser) must say same-origin, and Origin, when present, must be ours.
 */
export function isSameOriginPost(request: Request, appUrl: string): boolean {
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  const ours = [new URL(appUrl).origin, new URL(request.url).origin];
  if (origin !== null && !ours.includes(origin)) return false;
  if (site !== null) return site === "same-origin";
  return origin !== null;
}

function refused(message: string, status: number): Response {
  return new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/**
 * POST /api/sign-in/confirm (the confirm page's button in a browser that did not ask for the
 * link): binds the link to this browser (its cookie, the stored hash) and continues to
 * next-auth's callback, which the guard then lets through.
 */
export async function confirmInThisBrowser(request: Request, deps: Deps): Promise<Response> {
  if (!isSameOriginPost(request, deps.env.appUrl)) {
    return refused("Confirm the sign-in on Kindred's own page.", 403);
  }
  let form: FormData;
  try {
    form = await (await withLimitedBody(request, 8 * 1024)).formData();
  } catch (error) {
    if (error instanceof BodyTooLargeError) return refused(error.message, 413);
    return refused("Send the sign-in link's token and email as a form.", 400);
  }
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const link = { token: field("token"), email: field("email") };
  const { appUrl } = deps.env;
  const nonce = readBrowserNonce(requestCookies(request.headers), appUrl) ?? newBrowserNonce();
  if (!(await bindLink(deps.db, deps.env, { ...link, nonce }))) return seeOther(VERIFICATION_ERROR);
  const origin = requestOrigin(request.headers, deps.env);
  const next = linkQuery(origin, { ...link, callbackUrl: field("callbackUrl") }, deps.env.origins);
  return seeOther(`/api/auth/callback/email?${next}`, {
    "set-cookie": browserCookieHeader(appUrl, nonce),
  });
}
