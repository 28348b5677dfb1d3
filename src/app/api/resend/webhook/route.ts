import { db } from "@/server/db";
import { emailEventRequest } from "@/server/email/events";
import { whileDatabaseAway } from "@/server/http/unavailable";

export const dynamic = "force-dynamic";

// Resend's webhook endpoint (bounces, complaints, deliveries, opens), signed with Svix.
export const POST = whileDatabaseAway((request: Request) => {
  return emailEventRequest(request, db());
});
