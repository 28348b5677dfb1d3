import { checkoutForm } from "@/server/billing/forms";
import { whileDatabaseAway } from "@/server/http/unavailable";

export const dynamic = "force-dynamic";

/** POST /api/billing/checkout (the pricing page's buy buttons): a redirect to Stripe Checkout. */
export const POST = whileDatabaseAway((request: Request) => {
  return checkoutForm(request);
});
