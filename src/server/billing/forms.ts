import { createHash } from "node:crypto";
import { cookies } from "next/headers";
import { DomainError } from "../errors";
import { createContext } from "../trpc/context";
import { portalSession, startCheckout } from "./checkout";
import { checkoutInput } from "./schemas";

/**
 * The buy and "manage billing" buttons are plain HTML forms (no JavaScript on the pricing page):
 * these answer them with a redirect to Stripe, or back to the page with a message. A double click
 * within the same minute reuses one Checkout Session (the minute is the idempotency attempt).
 */

function back(appUrl: string, path: string, params: Record<string, string>) {
  const url = new URL(path, appUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return Response.redirect(url, 303);
}

/** Same-origin forms only (a cross-site form would otherwise start a checkout in our name). */
function foreign(request: Request, appUrl: string): boolean {
  const origin = request.headers.get("origin");
  return origin !== null && origin !== new URL(appUrl).origin;
}

async function readForm(request: Request): Promise<FormData | null> {
  try {
    return await request.formData();
  } catch {
    return null;
  }
}

export async function checkoutForm(request: Request): Promise<Response> {
  const ctx = await createContext({ headers: request.headers, cookies: await cookies() });
  const appUrl = ctx.env.appUrl;
  if (foreign(request, appUrl)) return new Response("Cross-site form refused.", { status: 403 });
  const form = await readForm(request);
  const planId = form?.get("planId");
  const from = form?.get("from") === "program" ? "/app/programs" : "/pricing";
  if (!ctx.session) {
    return back(appUrl, "/signin", { callbackUrl: "/pricing" });
  }
  const parsed = checkoutInput.safeParse({
    planId: typeof planId === "string" ? planId : undefined,
    attempt: minuteAttempt(typeof planId === "string" ? planId : ""),
  });
  if (!parsed.success) return back(appUrl, from, { problem: "That plan is not on sale any more." });
  try {
    const { url } = await startCheckout(ctx.db, ctx.env, ctx.session.user, parsed.data);
    return Response.redirect(url, 303);
  } catch (error) {
    if (error instanceof DomainError) return back(appUrl, "/pricing", { problem: error.message });
    throw error;
  }
}

export async function portalForm(request: Request): Promise<Response> {
  const ctx = await createContext({ headers: request.headers, cookies: await cookies() });
  const appUrl = ctx.env.appUrl;
  if (foreign(request, appUrl)) return new Response("Cross-site form refused.", { status: 403 });
  if (!ctx.session) return back(appUrl, "/signin", { callbackUrl: "/app/settings/billing" });
  try {
    const { url } = await portalSession(ctx.db, ctx.env, ctx.session.user);
    return Response.redirect(url, 303);
  } catch (error) {
    if (error instanceof DomainError) {
      return back(appUrl, "/app/settings/billing", { problem: error.message });
    }
    throw error;
  }
}

/** A UUID-shaped attempt id for this plan and minute (the same within a double click). */
function minuteAttempt(planId: string): string {
  const minute = Math.floor(Date.now() / 60_000)
    .toString(16)
    .padStart(12, "0")
    .slice(-12);
  const plan = createHash("sha256").update(planId).digest("hex");
  return `${plan.slice(0, 8)}-${plan.slice(8, 12)}-4${plan.slice(13, 16)}-8${plan.slice(17, 20)}-${minute}`;
}
