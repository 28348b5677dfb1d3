import { db } from "@/server/db";
import { emailEventRequest } from "@/server/email/events";

export const dynamic = "force-dynamic";

// Resend's webhook endpoint (bounces, complaints, deliveries, opens), signed with Svix.
export function POST(request: Request) {
  return emailEventRequest(request, db());
}
