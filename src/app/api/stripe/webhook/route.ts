import { MAX_WEBHOOK_BYTES, receiveWebhook } from "@/server/billing/webhook";
import { db } from "@/server/db";
import { BodyTooLargeError, readBodyLimited } from "@/server/http/body";
import { producerQueue } from "@/server/jobs/producer";

export const dynamic = "force-dynamic";

// Stripe's webhook endpoint (`stripe listen --forward-to localhost:3000/api/stripe/webhook`).
// The body is read raw, in bytes and within a cap: the signature covers its exact bytes.
export async function POST(request: Request) {
  let bytes: Uint8Array;
  try {
    bytes = await readBodyLimited(request, MAX_WEBHOOK_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return Response.json({ received: false, error: "Payload too large." }, { status: 413 });
    }
    throw error;
  }
  const reply = await receiveWebhook(
    db(),
    producerQueue,
    new TextDecoder().decode(bytes),
    request.headers.get("stripe-signature"),
  );
  return Response.json(reply.body, { status: reply.status });
}
