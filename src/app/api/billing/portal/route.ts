import { portalForm } from "@/server/billing/forms";
import { whileDatabaseAway } from "@/server/http/unavailable";

export const dynamic = "force-dynamic";

/** POST /api/billing/portal ("Manage billing"): a redirect to the Stripe customer portal. */
export const POST = whileDatabaseAway((request: Request) => {
  return portalForm(request);
});
