import type { Db } from "../db";
import {
  createStripeEmulator,
  deliverDueWebhooks,
  prismaStripeEmulatorStore,
  stripeEmulatorSettings,
} from "../emulators/stripe";
import type { Env } from "../env";
import type { Queue } from "../jobs/queue";
import { Stripe } from "./stripe";
import { receiveWebhook } from "./webhook";

/**
 * The built-in emulator reached without HTTP: the real SDK with a fetch that hands each request
 * to the emulator's handler, and webhook deliveries handed straight to Kindred's receiver. The
 * demo seed uses it before the web server is up; the objects and events it makes are the ones
 * the served emulator sees afterwards (same database).
 */
export function inProcessStripe(db: Db, env: Env, queue: () => Promise<Queue>) {
  const settings = stripeEmulatorSettings(env);
  if (!settings) throw new Error("The in-process Stripe emulator exists only on demo deployments.");
  const store = prismaStripeEmulatorStore(db);
  const handle = createStripeEmulator({ store, ...settings, deliverInBackground: false });
  const request = (input: string | URL | Request, init?: RequestInit) =>
    handle(new Request(input, init));
  const client = new Stripe(settings.apiKey, {
    httpClient: Stripe.createFetchHttpClient(request as typeof fetch),
    ...(env.billing.api ?? {}),
  });
  /** Submits one of the emulator's hosted forms (checkout, portal, clock) like a browser. */
  const page = (path: string, body: Record<string, string> | object, json = false) =>
    handle(
      new Request(`${settings.publicBaseUrl}${settings.basePath}${path}`, {
        method: "POST",
        headers: {
          "content-type": json ? "application/json" : "application/x-www-form-urlencoded",
        },
        body: json ? JSON.stringify(body) : new URLSearchParams(body as Record<string, string>),
      }),
    );
  const receive: typeof fetch = async (_url, init) => {
    const headers = new Headers(init?.headers);
    const reply = await receiveWebhook(
      db,
      queue,
      String(init?.body ?? ""),
      headers.get("stripe-signature"),
      { secret: settings.webhookSecret, process: "inline" },
    );
    return Response.json(reply.body, { status: reply.status });
  };
  /** Delivers every due event to the receiver, in passes, until none is left. */
  async function deliver() {
    for (let pass = 0; pass < 20; pass++) {
      const report = await deliverDueWebhooks({
        store,
        secret: settings!.webhookSecret,
        url: settings!.webhookUrl,
        limit: 500,
        fetch: receive,
      });
      if (report.attempted === 0 || report.failed === report.attempted) return;
    }
  }
  return { client, page, deliver };
}
