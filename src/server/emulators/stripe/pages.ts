import { checkoutPage, type PageResult } from "./checkout";
import { type AdvanceInput, advanceClock, emulatorNow, newContext } from "./clock";
import { type EmuConfig, hostedUrl, realNow } from "./context";
import { openDispute } from "./engine";
import { jsonResponse, StripeApiError } from "./errors";
import { formatDateTime } from "./format";
import { html, page, readForm, redirect } from "./html";
import { subscriptionItem, toApi } from "./objects";
import { invoicePage, portalPage } from "./portal";
import type { StripeEmulatorStore } from "./store";

/**
 * The emulator's own pages and test endpoints under its base path:
 *   /checkout/<id>, /portal/<id>, /invoices/<id>   hosted pages (GET, form POST)
 *   /clock                                          the clock (HTML form, or JSON with a JSON body)
 *   /disputes                                       POST JSON { charge, amount?, reason? }
 */

const ID = /^[A-Za-z0-9_]{1,255}$/;

function wantsJson(request: Request): boolean {
  return (
    (request.headers.get("content-type") ?? "").includes("application/json") ||
    (request.headers.get("accept") ?? "").startsWith("application/json")
  );
}

async function readJson(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const text = await request.text();
    if (text.length > 16 * 1024) return null;
    const value: unknown = JSON.parse(text || "{}");
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function badJson(message: string): PageResult {
  return {
    response: jsonResponse(400, { error: { type: "invalid_request_error", message } }),
    emitted: 0,
  };
}

function advanceInput(body: Record<string, unknown>): AdvanceInput | null {
  if (typeof body.seconds === "number") return { seconds: body.seconds };
  if (body.to === "next") return { to: "next" };
  if (body.to === "subscription" && typeof body.subscription === "string") {
    return { to: "subscription", subscription: body.subscription };
  }
  return null;
}

async function clockJson(store: StripeEmulatorStore) {
  const now = await emulatorNow(store);
  const upcoming = await store.upcoming(50);
  return {
    now,
    offset_seconds: now - realNow(),
    upcoming: upcoming.map((u) => ({
      subscription: u.subscription.id,
      status: u.subscription.status,
      due_at: u.dueAt,
    })),
  };
}

async function clockPage(
  store: StripeEmulatorStore,
  config: EmuConfig,
  moved: string | null,
  error: string | null = null,
): Promise<Response> {
  const now = await emulatorNow(store);
  const offset = now - realNow();
  const upcoming = await store.upcoming(20);
  const button = (fields: Record<string, string>, label: string) =>
    html`<form method="post">${Object.entries(fields).map(
      ([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`,
    )}<button type="submit">${label}</button></form>`;
  return page(
    "Clock",
    html`<h1>Emulator clock</h1>
${moved ? html`<p class="notice" role="status">${moved}</p>` : ""}
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<div class="card">
<p class="muted">The emulator's time (UTC)</p>
<p class="amount">${formatDateTime(now)}</p>
<p>${offset > 0 ? `${Math.round(offset / 3600)} hours ahead of real time.` : "Real time."} Moving it forward renews subscriptions, ends trials and retries failed payments that fall due, with their webhooks.</p>
</div>
<h2>Move forward</h2>
<div class="actions">
${button({ seconds: "86400" }, "+1 day")}
${button({ seconds: "604800" }, "+7 days")}
${button({ seconds: "2592000" }, "+30 days")}
${upcoming.length ? button({ to: "next" }, "To the next renewal or trial end") : ""}
</div>
<form method="post">
<label for="seconds">Seconds to move forward</label>
<input id="seconds" name="seconds" type="number" min="0" step="1" inputmode="numeric" required>
<button type="submit">Move forward</button>
</form>
<h2>What falls due</h2>
${
  upcoming.length
    ? html`<table>
<thead><tr><th scope="col">Subscription</th><th scope="col">Status</th><th scope="col">Due (UTC)</th><th scope="col"><span>Action</span></th></tr></thead>
<tbody>
${upcoming.map(
  (u) =>
    html`<tr><td><code>${u.subscription.id}</code><br>${subscriptionItem(u.subscription).price.nickname ?? ""}</td><td>${u.subscription.status}${u.subscription.cancel_at_period_end ? ", ends" : ""}</td><td>${formatDateTime(u.dueAt)}</td><td>${button({ to: "subscription", subscription: u.subscription.id }, "Go to this date")}</td></tr>`,
)}
</tbody>
</table>`
    : html`<p>No subscription has anything due.</p>`
}
<p class="muted">Tests: POST <code>${hostedUrl(config, "/clock")}</code> with a JSON body <code>{"seconds": 86400}</code>, <code>{"to": "next"}</code> or <code>{"to": "subscription", "subscription": "sub_…"}</code>.</p>`,
  );
}

async function clock(
  store: StripeEmulatorStore,
  config: EmuConfig,
  request: Request,
): Promise<PageResult> {
  const json = wantsJson(request);
  if (request.method !== "POST") {
    return {
      response: json
        ? jsonResponse(200, await clockJson(store))
        : await clockPage(store, config, new URL(request.url).searchParams.get("moved")),
      emitted: 0,
    };
  }
  let input: AdvanceInput | null;
  if (json) {
    const body = await readJson(request);
    input = body ? advanceInput(body) : null;
    if (!input) {
      return badJson(
        'Send {"seconds": <whole seconds>}, {"to": "next"} or {"to": "subscription", "subscription": "sub_…"}.',
      );
    }
  } else {
    const form = await readForm(request);
    const seconds = form.get("seconds");
    input =
      seconds !== null
        ? { seconds: /^\d{1,10}$/.test(seconds.trim()) ? Number(seconds.trim()) : -1 }
        : form.get("to") === "subscription"
          ? { to: "subscription", subscription: form.get("subscription") ?? "" }
          : { to: "next" };
  }
  try {
    const report = await advanceClock(store, config, input);
    if (json) {
      return {
        response: jsonResponse(200, {
          now: report.now,
          offset_seconds: report.offsetSeconds,
          advanced_seconds: report.advancedSeconds,
          processed: report.processed,
        }),
        emitted: report.emitted,
      };
    }
    const moved = `Moved forward ${report.advancedSeconds} seconds; ${report.processed.length} subscription(s) processed.`;
    return {
      response: redirect(`${hostedUrl(config, "/clock")}?moved=${encodeURIComponent(moved)}`),
      emitted: report.emitted,
    };
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    return {
      response: json
        ? jsonResponse(error.status, error.body())
        : await clockPage(store, config, null, error.message).then(
            (r) => new Response(r.body, { status: 400, headers: r.headers }),
          ),
      emitted: 0,
    };
  }
}

async function dispute(
  store: StripeEmulatorStore,
  config: EmuConfig,
  request: Request,
): Promise<PageResult> {
  if (request.method !== "POST") {
    return badJson("POST a JSON body { charge, amount?, reason? }.");
  }
  const body = await readJson(request);
  if (!body || typeof body.charge !== "string") return badJson("`charge` is required.");
  if (body.amount !== undefined && typeof body.amount !== "number") {
    return badJson("`amount` must be a number.");
  }
  if (body.reason !== undefined && typeof body.reason !== "string") {
    return badJson("`reason` must be a string.");
  }
  const ctx = newContext(config, await emulatorNow(store));
  try {
    const created = await store.transaction((tx) =>
      openDispute(tx, ctx, {
        charge: body.charge as string,
        amount: body.amount as number | undefined,
        reason: (body.reason as string | undefined)?.slice(0, 100),
      }),
    );
    return { response: jsonResponse(200, toApi(created)), emitted: ctx.emitted };
  } catch (error) {
    if (!(error instanceof StripeApiError)) throw error;
    return { response: jsonResponse(error.status, error.body()), emitted: 0 };
  }
}

/** The page or test endpoint at `path` (below the base path), or null when there is none. */
export async function handlePage(
  store: StripeEmulatorStore,
  config: EmuConfig,
  request: Request,
  path: string,
): Promise<PageResult | null> {
  if (!["GET", "HEAD", "POST"].includes(request.method)) return null;
  if (path === "/clock") return clock(store, config, request);
  if (path === "/disputes") return dispute(store, config, request);
  const match = /^\/(checkout|portal|invoices)\/([^/]+)$/.exec(path);
  if (!match || !ID.test(match[2]!)) return null;
  const [, kind, id] = match;
  if (kind === "checkout") return checkoutPage(store, config, request, id!);
  if (kind === "portal") return portalPage(store, config, request, id!);
  return invoicePage(store, config, request, id!);
}
