import { portalForm } from "@/server/billing/forms";

export const dynamic = "force-dynamic";

/** POST /api/billing/portal ("Manage billing"): a redirect to the Stripe customer portal. */
export function POST(request: Request) {
  return portalForm(request);
}
