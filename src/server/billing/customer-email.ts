import { z } from "zod";
import { defineJob } from "../jobs/define";
import { stripe } from "./stripe";

/**
 * Stripe's copy of a member's address follows a change of address (receipts and the portal's
 * emails go there). The job reads the current address when it runs, so it is idempotent and a
 * late or repeated run still writes the latest one; members who never bought have no customer.
 */
export const syncCustomerEmailJob = defineJob({
  name: "billing.customer-email",
  payload: z.object({ userId: z.string().min(1).max(64) }),
  retry: { limit: 8, delaySeconds: 30, backoff: true },
  async handler({ userId }, { db }) {
    const row = await db.billingCustomer.findUnique({
      where: { userId },
      select: { stripeCustomerId: true, user: { select: { email: true } } },
    });
    if (!row) return;
    await stripe().customers.update(row.stripeCustomerId, { email: row.user.email });
  },
});
