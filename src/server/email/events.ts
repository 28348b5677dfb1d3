import { Resend } from "resend";
import type { Db } from "../db";
import { env } from "../env";
import { BodyTooLargeError, readBodyLimited } from "../http/body";

/**
 * Resend's webhooks (`POST /api/resend/webhook`): the Svix signature is checked on the raw body
 * with the SDK (`webhooks.verify`: tampered, unsigned or older than 5 minutes → 400); each
 * delivery is stored once by its id, so a redelivery changes nothing; bounces and complaints
 * suppress the address (no nudge goes to it again); delivered and opened are noted on the email.
 * Types Kindred does not use are acknowledged and ignored.
 */
export const MAX_EVENT_BYTES = 256 * 1024;

type Reply = { status: number; body: { received: boolean; [key: string]: unknown } };

type ResendEvent = {
  type: string;
  created_at?: string;
  data?: { email_id?: string; to?: string[] | string; bounce?: { type?: string } };
};

const NOTED = {
  "email.delivered": "deliveredAt",
  "email.opened": "openedAt",
  "email.bounced": "bouncedAt",
  "email.complained": "complainedAt",
} as const;

function header(headers: Headers, name: string): string | null {
  return headers.get(`svix-${name}`) ?? headers.get(`webhook-${name}`);
}

// Only its webhook verifier is used here (no API call), so the key is never sent anywhere.
let verifier: Resend | undefined;

function verify(raw: string, headers: Headers, secret: string): ResendEvent | null {
  const id = header(headers, "id");
  const timestamp = header(headers, "timestamp");
  const signature = header(headers, "signature");
  if (!id || !timestamp || !signature) return null;
  try {
    verifier ??= new Resend("re_webhook_verification_only");
    const event = verifier.webhooks.verify({
      payload: raw,
      headers: { id, timestamp, signature },
      webhookSecret: secret,
    }) as unknown;
    if (!event || typeof event !== "object" || typeof (event as ResendEvent).type !== "string") {
      return null;
    }
    return event as ResendEvent;
  } catch {
    return null;
  }
}

export async function receiveEmailEvent(
  db: Db,
  raw: string,
  headers: Headers,
  secret = env().email.webhookSecret,
): Promise<Reply> {
  if (!secret) {
    return { status: 503, body: { received: false, error: "RESEND_WEBHOOK_SECRET is not set." } };
  }
  const event = verify(raw, headers, secret);
  if (!event) {
    return { status: 400, body: { received: false, error: "Webhook signature check failed." } };
  }
  const id = header(headers, "id") as string;
  const providerId = typeof event.data?.email_id === "string" ? event.data.email_id : null;
  const stored = await db.emailEvent.createMany({
    data: [{ id: id.slice(0, 200), type: event.type.slice(0, 100), providerId }],
    skipDuplicates: true,
  });
  if (stored.count === 0) return { status: 200, body: { received: true, duplicate: true } };
  const column = NOTED[event.type as keyof typeof NOTED];
  if (!column || !providerId) return { status: 200, body: { received: true, ignored: true } };
  const at = event.created_at ? new Date(event.created_at) : new Date();
  const when = Number.isNaN(at.getTime()) ? new Date() : at;
  const email = await db.email.findFirst({
    where: { providerId },
    select: { id: true, toAddress: true },
  });
  if (!email) return { status: 200, body: { received: true, ignored: true } };
  await db.email.updateMany({
    where: { id: email.id, [column]: null },
    data: { [column]: when },
  });
  // A permanent bounce or a complaint: no more nudges to this address.
  const permanent = event.type === "email.complained" || event.data?.bounce?.type !== "Transient";
  if ((event.type === "email.bounced" || event.type === "email.complained") && permanent) {
    await db.emailSuppression.createMany({
      data: [
        {
          address: email.toAddress.toLowerCase(),
          reason: event.type === "email.bounced" ? "bounced" : "complained",
        },
      ],
      skipDuplicates: true,
    });
  }
  return { status: 200, body: { received: true } };
}

/** The HTTP side: the raw bytes within the cap, then `receiveEmailEvent`. */
export async function emailEventRequest(request: Request, db: Db): Promise<Response> {
  let raw: string;
  try {
    raw = new TextDecoder().decode(await readBodyLimited(request, MAX_EVENT_BYTES));
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      return Response.json({ received: false, error: "Payload too large." }, { status: 413 });
    }
    throw error;
  }
  const { status, body } = await receiveEmailEvent(db, raw, request.headers);
  return Response.json(body, { status });
}
