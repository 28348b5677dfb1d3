import type { IncomingMessage, ServerResponse } from "node:http";
import { db } from "../db";
import { BodyTooLargeError, readBodyLimited, readNodeBodyLimited } from "../http/body";
import { producerQueue } from "../jobs/producer";
import { MAX_WEBHOOK_BYTES, receiveWebhook, type WebhookReply } from "./webhook";

/**
 * Stripe's webhook endpoint over HTTP, in two doors to one room: Kindred's own web server
 * answers it before Next.js (a burst of deliveries then costs no page machinery; see
 * docs/architecture.md), and the Next.js route answers it wherever Next runs alone. Both read
 * the raw bytes within the cap and hand them to `receiveWebhook`.
 */
export const STRIPE_WEBHOOK_PATH = "/api/stripe/webhook";

const TOO_LARGE: WebhookReply = {
  status: 413,
  body: { received: false, error: "Payload too large." },
};

async function reply(read: () => Promise<Uint8Array>, signature: string | null) {
  let bytes: Uint8Array;
  try {
    bytes = await read();
  } catch (error) {
    if (error instanceof BodyTooLargeError) return TOO_LARGE;
    throw error;
  }
  return receiveWebhook(db(), producerQueue, new TextDecoder().decode(bytes), signature);
}

/** For the Next.js route (`src/app/api/stripe/webhook/route.ts`). */
export async function stripeWebhookResponse(request: Request): Promise<Response> {
  const { status, body } = await reply(
    () => readBodyLimited(request, MAX_WEBHOOK_BYTES),
    request.headers.get("stripe-signature"),
  );
  return Response.json(body, { status });
}

/** True for the one request Kindred's server answers itself: `POST /api/stripe/webhook`. */
export function isStripeWebhook(req: Pick<IncomingMessage, "method" | "url">): boolean {
  if (req.method !== "POST" || !req.url) return false;
  const query = req.url.indexOf("?");
  return (query === -1 ? req.url : req.url.slice(0, query)) === STRIPE_WEBHOOK_PATH;
}

/** For Kindred's own web server (scripts/web.ts), before Next.js. */
export async function serveStripeWebhook(req: IncomingMessage, res: ServerResponse) {
  const signature = req.headers["stripe-signature"];
  const { status, body } = await reply(
    () => readNodeBodyLimited(req, MAX_WEBHOOK_BYTES),
    typeof signature === "string" ? signature : null,
  );
  const json = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(json),
    "cache-control": "no-store",
  });
  res.end(json);
}
