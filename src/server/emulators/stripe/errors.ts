/**
 * Stripe's error shape: `{ error: { type, code, message, param } }` with Stripe's status codes,
 * so the SDK raises the same error classes (StripeInvalidRequestError, StripeCardError,
 * StripeAuthenticationError, StripeIdempotencyError) as it would against the real API.
 */
export type StripeErrorType =
  | "invalid_request_error"
  | "card_error"
  | "idempotency_error"
  | "api_error";

export class StripeApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly type: StripeErrorType,
    message: string,
    public readonly details: { code?: string; param?: string; decline_code?: string } = {},
  ) {
    super(message);
    this.name = "StripeApiError";
  }

  body(): { error: Record<string, unknown> } {
    return { error: { type: this.type, message: this.message, ...this.details } };
  }
}

export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, {
    ...(code ? { code } : {}),
    ...(param ? { param } : {}),
  });
}

export function missingParam(param: string): StripeApiError {
  return invalidRequest(`Missing required param: ${param}.`, param, "parameter_missing");
}

/** Stripe names the kind of object: "No such customer: 'cus_123'". */
export function noSuch(kind: string, id: string, param = "id"): StripeApiError {
  return new StripeApiError(404, "invalid_request_error", `No such ${kind}: '${id}'`, {
    code: "resource_missing",
    param,
  });
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}
