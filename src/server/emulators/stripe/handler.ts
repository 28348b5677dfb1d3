import { createHash, timingSafeEqual } from "node:crypto";
import { billingRoutes } from "./api-billing";
import { catalogRoutes } from "./api-catalog";
import { paymentRoutes } from "./api-payments";
import { emulatorNow, newContext } from "./clock";
import type { EmuConfig } from "./context";
import { invalidRequest, jsonResponse, StripeApiError } from "./errors";
import { expand } from "./expand";
import { API_VERSION, newId, toApi } from "./objects";
import { handlePage } from "./pages";
import { canonicalParams, expandPaths, type Params, parseParams } from "./params";
import type { ApiCall, Route } from "./routes";
import type { StripeEmulatorStore } from "./store";
import { triggerDelivery } from "./webhooks";

/**
 * A framework-free stand-in for the part of Stripe's API that Kindred uses, with hosted
 * Checkout, portal and invoice pages, a movable clock and signed webhooks, so that demo
 * deployments and tests run the real SDK end to end. Where Stripe documents a behaviour (object
 * shapes of the SDK's API version, error shapes and codes, idempotency keys, list paging,
 * webhook signatures) the emulator copies it, so code that works here works against Stripe.
 */

export type StripeEmulatorOptions = {
  store: StripeEmulatorStore;
  /** The one secret key accepted (Bearer or basic auth). */
  apiKey: string;
  /** The webhook endpoint's signing secret (whsec_…). */
  webhookSecret: string;
  /** Where events are POSTed, e.g. http://127.0.0.1:3000/api/stripe/webhook. */
  webhookUrl: string;
  /** The browser-facing origin of the hosted pages, e.g. https://demo.example.org. */
  publicBaseUrl: string;
  /** The path the emulator is served under, e.g. /api/emulators/stripe ("" at the root). */
  basePath?: string;
  /** After a request that emitted events, deliver them in the background (default true). */
  deliverInBackground?: boolean;
  log?: (line: string) => void;
};

const ROUTES: Route[] = [...catalogRoutes, ...billingRoutes, ...paymentRoutes];
const MAX_BODY = 1024 * 1024;
const MAX_IDEMPOTENCY_KEY = 255;

function sameKey(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The key from `Authorization: Bearer sk_…` or basic auth with the key as user name. */
function apiKeyOf(request: Request): string | null {
  const header = (request.headers.get("authorization") ?? "").trim();
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const user = decoded.split(":")[0];
    return user || null;
  }
  return null;
}

function authError(given: string | null): StripeApiError {
  if (!given) {
    return new StripeApiError(
      401,
      "invalid_request_error",
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  const hint =
    given.length > 12 ? `${given.slice(0, 8)}${"*".repeat(4)}${given.slice(-4)}` : "****";
  return new StripeApiError(401, "invalid_request_error", `Invalid API Key provided: ${hint}`, {
    code: "api_key_invalid",
  });
}

function unrecognized(method: string, path: string): StripeApiError {
  return new StripeApiError(
    404,
    "invalid_request_error",
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  );
}

async function readParams(request: Request, url: URL): Promise<Params> {
  if (request.method !== "POST") return parseParams(url.searchParams);
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY) throw invalidRequest("The request body is too large.");
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (text.length > MAX_BODY) throw invalidRequest("The request body is too large.");
  if (text && !type.startsWith("application/x-www-form-urlencoded")) {
    throw invalidRequest(
      "Invalid request: the body must be form-encoded (application/x-www-form-urlencoded), as Stripe's API expects.",
    );
  }
  const params = parseParams(new URLSearchParams(text));
  // Stripe reads query parameters of a POST too; the body wins.
  return { ...parseParams(url.searchParams), ...params };
}

function match(method: string, path: string): { route: Route; ids: string[] } | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const ids = m.slice(1).map((part) => decodeURIComponent(part));
    if (ids.some((id) => id.length > 255 || !/^[\w.-]+$/.test(id))) return null;
    return { route, ids };
  }
  return null;
}

export function createStripeEmulator(
  options: StripeEmulatorOptions,
): (request: Request) => Promise<Response> {
  const { store, apiKey } = options;
  if (!apiKey) throw new Error("The Stripe emulator needs the API key it should accept.");
  if (!options.webhookSecret) throw new Error("The Stripe emulator needs a webhook secret.");
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");
  const config: EmuConfig = {
    publicBaseUrl: options.publicBaseUrl.replace(/\/+$/, ""),
    basePath,
  };
  const log = options.log ?? ((line: string) => console.error(line));

  async function api(request: Request, url: URL, path: string, requestId: string) {
    const given = apiKeyOf(request);
    if (!given || !sameKey(given, apiKey)) throw authError(given);
    const method = request.method === "HEAD" ? "GET" : request.method;
    let found: ReturnType<typeof match>;
    try {
      found = match(method, path);
    } catch {
      found = null;
    }
    if (!found) throw unrecognized(method, path);
    const params = await readParams(request, url);
    const paths = expandPaths(params);
    const idempotencyKey = method === "POST" ? request.headers.get("idempotency-key") : null;
    if (
      idempotencyKey !== null &&
      (!idempotencyKey || idempotencyKey.length > MAX_IDEMPOTENCY_KEY)
    ) {
      throw invalidRequest(
        `Idempotency keys must be 1 to ${MAX_IDEMPOTENCY_KEY} characters long.`,
        undefined,
        "idempotency_key_invalid",
      );
    }
    const ctx = newContext(config, await emulatorNow(store), {
      id: requestId,
      idempotency_key: idempotencyKey,
    });
    const call: ApiCall = { params, ids: found.ids, ctx };
    const { route } = found;

    if (route.method === "GET") {
      const result = structuredClone(await route.read(call, store));
      return { response: jsonResponse(200, toApi(await expand(store, result, paths))), emitted: 0 };
    }

    const fingerprint = `${method} ${path} ${createHash("sha256").update(canonicalParams(params)).digest("hex")}`;
    // One transaction: the claimed key, the change, its events and the stored response commit
    // together; an error rolls all of them back (Stripe keeps no response for a failed request).
    const outcome = await store.transaction(async (tx) => {
      if (idempotencyKey) {
        const earlier = await tx.claimIdempotencyKey(idempotencyKey, fingerprint);
        if (earlier) return { earlier, body: null };
      }
      const result = structuredClone(await route.write(call, tx));
      const body = toApi(await expand(tx, result, paths));
      if (idempotencyKey) await tx.saveIdempotentResponse(idempotencyKey, 200, body);
      return { earlier: null, body };
    });
    const { earlier } = outcome;
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        throw new StripeApiError(
          400,
          "idempotency_error",
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        );
      }
      return {
        response: jsonResponse(earlier.status ?? 200, earlier.response, {
          "idempotent-replayed": "true",
          "original-request": requestId,
        }),
        emitted: 0,
      };
    }
    return { response: jsonResponse(200, outcome.body), emitted: ctx.emitted };
  }

  return async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let path = url.pathname.replace(/\/+$/, "") || "/";
    // Served under basePath; the API is also answered at /v1/… (what the SDK calls when the
    // emulator is the whole server, as in tests).
    if (basePath && path.startsWith(`${basePath}/`)) path = path.slice(basePath.length);
    else if (basePath && !path.startsWith("/v1/")) {
      return jsonResponse(404, unrecognized(request.method, url.pathname).body());
    }
    const requestId = newId("req", 14);
    const headers = { "request-id": requestId, "stripe-version": API_VERSION };
    try {
      const result = path.startsWith("/v1/")
        ? await api(request, url, path, requestId)
        : await handlePage(store, config, request, path);
      if (!result) return jsonResponse(404, unrecognized(request.method, path).body(), headers);
      if (result.emitted > 0 && options.deliverInBackground !== false) {
        triggerDelivery({
          store,
          secret: options.webhookSecret,
          url: options.webhookUrl,
          log,
        });
      }
      for (const [name, value] of Object.entries(headers)) result.response.headers.set(name, value);
      return result.response;
    } catch (error) {
      if (error instanceof StripeApiError) {
        return jsonResponse(error.status, error.body(), {
          ...headers,
          "stripe-should-retry": "false",
        });
      }
      log(`[stripe-emulator] ${request.method} ${path}: ${(error as Error).stack ?? error}`);
      return jsonResponse(
        500,
        {
          error: {
            type: "api_error",
            message: "The Stripe emulator failed to handle this request.",
          },
        },
        headers,
      );
    }
  };
}
