import { stripeWebhookResponse } from "@/server/billing/webhook-http";
import { whileDatabaseAway } from "@/server/http/unavailable";

export const dynamic = "force-dynamic";

// Stripe's webhook endpoint (`stripe listen --forward-to localhost:3000/api/stripe/webhook`).
// Kindred's own web server answers it before Next.js (scripts/web.ts); this route answers it
// wherever Next.js runs alone. Both read the raw bytes within a cap: the signature covers them.
export const POST = whileDatabaseAway((request: Request) => {
  return stripeWebhookResponse(request);
});
