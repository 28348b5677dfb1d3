import { resetStripeClient, stripe } from "@/server/billing/stripe";
import { receiveWebhook } from "@/server/billing/webhook";
import type { Db } from "@/server/db";
import {
  createStripeEmulator,
  deliverDueWebhooks,
  prismaStripeEmulatorStore,
  STRIPE_EMULATOR_BASE_PATH,
  type StripeEmulatorStore,
} from "@/server/emulators/stripe";
import { env, resetEnvCache } from "@/server/env";
import type { Queue } from "@/server/jobs/queue";
import { serveFetch, type TestServer } from "./http-server";

/**
 * Billing against the real Stripe SDK and the built-in emulator over real HTTP: one loopback
 * server answers the SDK (`/v1/…`), the hosted pages (`/api/emulators/stripe/…`) and Kindred's
 * webhook route (`/api/stripe/webhook`), all on this test file's database. The process-wide
 * settings point the app's Stripe client at it, exactly as a demo deployment's do.
 */
export type BillingHarness = {
  url: string;
  store: StripeEmulatorStore;
  /** Sends every due webhook to the app, as many passes as it takes. */
  deliver: (options?: { shuffle?: boolean; duplicateRate?: number }) => Promise<number>;
  /** Submits the hosted Checkout page like a browser: 303 on success, 402 on a decline. */
  pay: (checkoutUrl: string, card?: string) => Promise<Response>;
  /** Posts a form of the hosted portal page. */
  portal: (portalUrl: string, form: Record<string, string>) => Promise<Response>;
  /** Moves the emulator's clock: `{ seconds }`, `{ to: "next" }` or one subscription's next event. */
  clock: (body: Record<string, unknown>) => Promise<{ now: number; processed: string[] }>;
  close: () => Promise<void>;
};

/**
 * `inline` (the default here) acts on each event inside the webhook request, so a test sees its
 * effect when `deliver` returns; the deployed route queues it for the worker instead
 * (`tests/integration/billing.test.ts` covers that path with the job's own handler).
 */
export async function startBillingHarness(
  db: Db,
  queue: Queue,
  inline = true,
): Promise<BillingHarness> {
  const store = prismaStripeEmulatorStore(db);
  let handle: ((request: Request) => Promise<Response>) | undefined;
  const server: TestServer = await serveFetch(async (request) => {
    const path = new URL(request.url).pathname;
    if (path === "/api/stripe/webhook") {
      const reply = await receiveWebhook(
        db,
        async () => queue,
        await request.text(),
        request.headers.get("stripe-signature"),
        { process: inline ? "inline" : "queue" },
      );
      return Response.json(reply.body, { status: reply.status });
    }
    if (!handle) return new Response("not ready", { status: 503 });
    return handle(request);
  });
  const port = Number(new URL(server.url).port);
  process.env.PORT = String(port);
  process.env.HOST = "127.0.0.1";
  process.env.APP_URL = server.url;
  resetEnvCache();
  resetStripeClient();
  const e = env();
  const webhookUrl = `${server.url}/api/stripe/webhook`;
  handle = createStripeEmulator({
    store,
    apiKey: e.billing.secretKey,
    webhookSecret: e.billing.webhookSecret,
    webhookUrl,
    publicBaseUrl: server.url,
    basePath: STRIPE_EMULATOR_BASE_PATH,
    deliverInBackground: false,
  });
  const form = (url: string, body: Record<string, string>) =>
    fetch(url, {
      method: "POST",
      body: new URLSearchParams(body),
      headers: { "content-type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });
  return {
    url: server.url,
    store,
    async deliver(options = {}) {
      let total = 0;
      for (let pass = 0; pass < 50; pass++) {
        const report = await deliverDueWebhooks({
          store,
          secret: e.billing.webhookSecret,
          url: webhookUrl,
          limit: 500,
          ...options,
        });
        total += report.delivered;
        if (report.attempted === 0) break;
        if (report.failed > 0) await new Promise((r) => setTimeout(r, 1100));
      }
      return total;
    },
    pay: (url, card = "4242 4242 4242 4242") => form(url, { card }),
    portal: (url, body) => form(url, body),
    async clock(body) {
      const response = await fetch(`${server.url}${STRIPE_EMULATOR_BASE_PATH}/clock`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.status !== 200)
        throw new Error(`clock: ${response.status} ${await response.text()}`);
      return (await response.json()) as { now: number; processed: string[] };
    },
    async close() {
      await server.close();
      resetStripeClient();
    },
  };
}

export { stripe };
