import { checkoutForm } from "@/server/billing/forms";

export const dynamic = "force-dynamic";

/** POST /api/billing/checkout (the pricing page's buy buttons): a redirect to Stripe Checkout. */
export function POST(request: Request) {
  return checkoutForm(request);
}
