import { Resend } from "resend";
import type { Env } from "../env";

const TIMEOUT_MS = 30_000;

export type OutgoingEmail = {
  from: string;
  to: string | string[];
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  idempotencyKey?: string;
};

export type Mailer = {
  deliver(email: OutgoingEmail): Promise<{ id: string }>;
  /** Up to 100 emails in one request; ids in the same order. One key covers the batch. */
  deliverBatch(
    emails: Omit<OutgoingEmail, "idempotencyKey">[],
    idempotencyKey: string,
  ): Promise<{ ids: string[] }>;
};

/**
 * A failed delivery. `retryable` says whether trying the same request again later can succeed
 * (rate limit, provider outage, network); a permanent failure (a rejected address or payload)
 * will fail the same way every time.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly statusCode: number | null,
    readonly code: string,
    /** Seconds the provider asked us to wait (429 `retry-after`), when it said. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

export function isRetryable(statusCode: number | null, code: string): boolean {
  // The SDK reports network failures and timeouts with no status code.
  if (statusCode === null) return true;
  if (statusCode === 429 || statusCode >= 500) return true;
  // Resend answers 409 while an earlier request with the same key is still in flight.
  return code === "concurrent_idempotent_requests";
}

export function createMailer(env: Pick<Env, "email">): Mailer {
  // In outbox mode this is the deployment's own key, the only one its emulator accepts.
  const resend = new Resend(env.email.apiKey, { baseUrl: env.email.baseUrl.replace(/\/+$/, "") });

  return {
    async deliver(email) {
      const { idempotencyKey, ...payload } = email;
      const { data, error } = await resend.emails.send(payload, {
        idempotencyKey,
        // A hung connection would outlive the row's send lock; give up and retry instead.
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (error || !data) {
        const statusCode = error?.statusCode ?? null;
        const code = error?.name ?? "application_error";
        throw new DeliveryError(
          `Resend refused the email (${statusCode ?? "no response"} ${code}): ${error?.message ?? "empty response"}`,
          isRetryable(statusCode, code),
          statusCode,
          code,
        );
      }
      return { id: data.id };
    },
    async deliverBatch(emails, idempotencyKey) {
      const { data, error, headers } = await resend.batch.send(emails, {
        idempotencyKey,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (error || !data) {
        const statusCode = error?.statusCode ?? null;
        const code = error?.name ?? "application_error";
        const retryAfter = Number(headers?.["retry-after"]);
        throw new DeliveryError(
          `Resend refused the batch (${statusCode ?? "no response"} ${code}): ${error?.message ?? "empty response"}`,
          isRetryable(statusCode, code),
          statusCode,
          code,
          Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null,
        );
      }
      return { ids: data.data.map((d) => d.id) };
    },
  };
}
