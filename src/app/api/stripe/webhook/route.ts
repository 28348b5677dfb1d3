import { MAX_WEBHOOK_BYTES, receiveWebhook } from "@/server/billing/webhook";
import { db } from "@/server/db";
import { producerQueue } from "@/server/jobs/producer";

// Stripe's webhook endpoint (`stripe listen --forward-to localhost:3000/api/stripe/webhook`).
// The body is read raw: the signature covers its exact bytes.
export async function POST(request: Request) {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > MAX_WEBHOOK_BYTES) {
    return Response.json({ received: false, error: "Payload too large." }, { status: 413 });
  }
  const raw = await request.text();
  if (raw.length > MAX_WEBHOOK_BYTES) {
    return Response.json({ received: false, error: "Payload too large." }, { status: 413 });
  }
  const reply = await receiveWebhook(
    db(),
    producerQueue,
    raw,
    request.headers.get("stripe-signature"),
  );
  return Response.json(reply.body, { status: reply.status });
}
