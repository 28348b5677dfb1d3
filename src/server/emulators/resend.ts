import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { jsonProblem } from "@/lib/input";

/**
 * A framework-free stand-in for the part of Resend's HTTP API that Kindred uses, so demo
 * deployments and tests exercise the real SDK end to end. Where Resend documents a behaviour
 * (error shape and names, recipient and batch limits, idempotency keys) the emulator copies it,
 * so code that works here does not break on the real service.
 */

export type EmulatedEmail = {
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  idempotencyKey: string | null;
};

export type StoredEmail = EmulatedEmail & { id: string; createdAt: Date };

/**
 * Where received emails go. `save` must be idempotent on `idempotencyKey` (a concurrent second
 * save with the same key returns the first one's id) so retries can never store twice.
 */
export type ResendEmulatorStore = {
  save(message: EmulatedEmail): Promise<{ id: string }>;
  findByIdempotencyKey(key: string): Promise<StoredEmail | null>;
  get(id: string): Promise<StoredEmail | null>;
};

export const MAX_RECIPIENTS = 50;
export const MAX_BATCH = 100;
const MAX_IDEMPOTENCY_KEY = 256;

type ErrorName =
  | "missing_api_key"
  | "invalid_api_key"
  | "validation_error"
  | "invalid_idempotency_key"
  | "invalid_idempotent_request"
  | "not_found"
  | "method_not_allowed"
  | "rate_limit_exceeded";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function fail(statusCode: number, name: ErrorName, message: string): Response {
  return json(statusCode, { statusCode, name, message });
}

// "hello@example.org" or "Name <hello@example.org>", Resend's two accepted forms.
const ADDRESS = /^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;
const formatHint = "needs to follow the `email@example.com` or `Name <email@example.com>` format";

function addressList(field: string, max: number, required: boolean) {
  const one = z
    .string({ error: `Invalid \`${field}\` field: each address must be a string.` })
    .trim()
    .regex(ADDRESS, { error: `Invalid \`${field}\` field. The email address ${formatHint}.` });
  const list = z
    .array(one, {
      error: (issue) =>
        issue.input === undefined
          ? `Missing \`${field}\` field.`
          : `Invalid \`${field}\` field: expected a string or an array of strings.`,
    })
    .max(max, { error: `Invalid \`${field}\` field: at most ${max} recipients are allowed.` });
  const checked = required
    ? list.min(1, { error: `Missing \`${field}\` field.` })
    : list.optional().transform((v) => v ?? []);
  // Resend takes either one address or an array; normalising first keeps one set of rules.
  return z.preprocess((v) => (typeof v === "string" ? [v] : v), checked);
}

const tagsMessage =
  "Invalid `tags` field: each tag needs a `name` and a `value` of ASCII letters, numbers, underscores or dashes (at most 256 characters).";
const headersMessage = "Invalid `headers` field: expected an object whose values are strings.";

const tagPart = z
  .string({ error: tagsMessage })
  .min(1, { error: tagsMessage })
  .max(256, { error: tagsMessage })
  .regex(/^[A-Za-z0-9_-]+$/, { error: tagsMessage });

const emailSchema = z
  .object(
    {
      from: z
        .string({
          error: (issue) =>
            issue.input === undefined ? "Missing `from` field." : "Invalid `from` field.",
        })
        .trim()
        .regex(ADDRESS, { error: `Invalid \`from\` field. The email address ${formatHint}.` }),
      to: addressList("to", MAX_RECIPIENTS, true),
      cc: addressList("cc", MAX_RECIPIENTS, false),
      bcc: addressList("bcc", MAX_RECIPIENTS, false),
      reply_to: addressList("reply_to", MAX_RECIPIENTS, false),
      subject: z
        .string({
          error: (issue) =>
            issue.input === undefined
              ? "Missing `subject` field."
              : "Invalid `subject` field: expected a string.",
        })
        .min(1, { error: "Missing `subject` field." }),
      html: z.string({ error: "Invalid `html` field: expected a string." }).optional(),
      text: z.string({ error: "Invalid `text` field: expected a string." }).optional(),
      headers: z
        .record(z.string(), z.string({ error: headersMessage }), { error: headersMessage })
        .optional()
        .transform((v) => v ?? {}),
      tags: z
        .array(z.object({ name: tagPart, value: tagPart }, { error: tagsMessage }), {
          error: tagsMessage,
        })
        .optional()
        .transform((v) => v ?? []),
    },
    { error: "The request body must be a JSON object." },
  )
  .refine((e) => Boolean(e.html || e.text), { error: "Missing `html` or `text` field." })
  // What PostgreSQL cannot store (NUL, lone surrogates) would end as a 500 when saved.
  .superRefine((email, ctx) => {
    const problem = jsonProblem(email, "The value");
    if (problem) {
      const field = problem.path[0] ?? "body";
      ctx.addIssue({ code: "custom", message: `Invalid \`${field}\` field. ${problem.message}` });
    }
  });

type ParsedEmail = z.output<typeof emailSchema>;

/**
 * The first problem, phrased the way Resend phrases it (every schema above carries its own
 * message); a batch names the failing item.
 */
function firstIssue(error: z.ZodError, prefix = ""): string {
  const issue = error.issues[0];
  return `${prefix}${issue?.message ?? "Invalid request body."}`;
}

function toEmail(parsed: ParsedEmail, idempotencyKey: string | null): EmulatedEmail {
  return {
    from: parsed.from,
    to: parsed.to,
    cc: parsed.cc,
    bcc: parsed.bcc,
    replyTo: parsed.reply_to,
    subject: parsed.subject,
    html: parsed.html ?? null,
    text: parsed.text ?? null,
    headers: parsed.headers,
    tags: parsed.tags,
    idempotencyKey,
  };
}

// Resend refuses a reused key with a different payload (409) rather than silently answering
// with the first email's id; comparing what a recipient would see is enough for that.
function samePayload(a: EmulatedEmail, b: EmulatedEmail): boolean {
  return (
    a.from === b.from &&
    a.to.join("\n") === b.to.join("\n") &&
    a.subject === b.subject &&
    (a.html ?? null) === (b.html ?? null) &&
    (a.text ?? null) === (b.text ?? null)
  );
}

const mismatch = () =>
  fail(
    409,
    "invalid_idempotent_request",
    "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
  );

/** Finds the earlier email for this key or stores this one; null means the payload differs. */
async function saveOnce(store: ResendEmulatorStore, email: EmulatedEmail) {
  if (email.idempotencyKey) {
    const existing = await store.findByIdempotencyKey(email.idempotencyKey);
    if (existing) return samePayload(existing, email) ? { id: existing.id } : null;
  }
  return store.save(email);
}

async function readJson(request: Request): Promise<{ ok: true; body: unknown } | { ok: false }> {
  try {
    return { ok: true, body: await request.json() };
  } catch {
    return { ok: false };
  }
}

function view(email: StoredEmail) {
  return {
    object: "email",
    id: email.id,
    from: email.from,
    to: email.to,
    cc: email.cc,
    bcc: email.bcc,
    reply_to: email.replyTo,
    subject: email.subject,
    html: email.html,
    text: email.text,
    tags: email.tags,
    created_at: email.createdAt.toISOString(),
    scheduled_at: null,
    last_event: "delivered",
  };
}

/** Compares keys in constant time, so the accepted key cannot be guessed byte by byte. */
function sameKey(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * `apiKey` is the one key the emulator accepts: the deployment's own (see `emulatorApiKey`),
 * so that nobody who merely reaches the route can put mail, and links, into the mailbox.
 */
export function createResendEmulator(options: {
  store: ResendEmulatorStore;
  apiKey: string;
  basePath?: string;
  /**
   * Tests only: seconds to answer a sending request with 429 and that `retry-after` (as Resend
   * does past its rate limit), or null to serve it.
   */
  throttle?: () => number | null;
}): (request: Request) => Promise<Response> {
  const { store, apiKey: expectedKey } = options;
  if (!expectedKey) throw new Error("The Resend emulator needs the key it should accept.");
  const basePath = (options.basePath ?? "").replace(/\/+$/, "");

  async function sendOne(request: Request, key: string | null): Promise<Response> {
    const body = await readJson(request);
    if (!body.ok) return fail(422, "validation_error", "Invalid JSON in request body.");
    const parsed = emailSchema.safeParse(body.body);
    if (!parsed.success) return fail(422, "validation_error", firstIssue(parsed.error));
    const saved = await saveOnce(store, toEmail(parsed.data, key));
    return saved ? json(200, { id: saved.id }) : mismatch();
  }

  async function sendBatch(request: Request, key: string | null): Promise<Response> {
    const body = await readJson(request);
    if (!body.ok) return fail(422, "validation_error", "Invalid JSON in request body.");
    if (!Array.isArray(body.body)) {
      return fail(422, "validation_error", "The batch body must be an array of emails.");
    }
    if (body.body.length === 0) {
      return fail(422, "validation_error", "The batch must contain at least 1 email.");
    }
    if (body.body.length > MAX_BATCH) {
      return fail(
        422,
        "validation_error",
        `Too many emails in the batch: at most ${MAX_BATCH} are allowed.`,
      );
    }
    // Strict validation (the SDK's default): one bad email rejects the whole batch.
    const emails: EmulatedEmail[] = [];
    for (const [index, item] of body.body.entries()) {
      const parsed = emailSchema.safeParse(item);
      if (!parsed.success) {
        return fail(422, "validation_error", firstIssue(parsed.error, `\`emails[${index}]\`: `));
      }
      // One key covers the whole batch; per-item keys let a retry after a partial save finish
      // the batch without storing any email twice.
      emails.push(toEmail(parsed.data, key === null ? null : `batch:${key}:${index}`));
    }
    const data: { id: string }[] = [];
    for (const email of emails) {
      const saved = await saveOnce(store, email);
      if (!saved) return mismatch();
      data.push({ id: saved.id });
    }
    return json(200, { data });
  }

  return async function handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname.replace(/\/+$/, "");
    if (!path.startsWith(`${basePath}/`)) return fail(404, "not_found", "Route not found.");
    const route = path.slice(basePath.length);

    const auth = request.headers.get("authorization") ?? "";
    const apiKey = /^Bearer\s+(\S+)$/i.exec(auth.trim())?.[1];
    if (!apiKey) {
      return fail(
        401,
        "missing_api_key",
        "Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY",
      );
    }
    // Resend answers an unknown key with 403 invalid_api_key (401 is for a missing one).
    if (!sameKey(apiKey, expectedKey)) return fail(403, "invalid_api_key", "API key is invalid");

    const key = request.headers.get("idempotency-key");
    if (key !== null && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY)) {
      return fail(
        400,
        "invalid_idempotency_key",
        `The idempotency key must be between 1 and ${MAX_IDEMPOTENCY_KEY} characters.`,
      );
    }

    if (route === "/emails" || route === "/emails/batch") {
      if (request.method !== "POST") return fail(405, "method_not_allowed", "Method not allowed.");
      const wait = options.throttle?.() ?? null;
      if (wait !== null) {
        const response = fail(429, "rate_limit_exceeded", "Too many requests. Slow down.");
        response.headers.set("retry-after", String(wait));
        return response;
      }
      return route === "/emails" ? sendOne(request, key) : sendBatch(request, key);
    }
    // Ids are our own (cuid), so anything else (a percent-encoded NUL, broken UTF-8) is unknown.
    const match = /^\/emails\/([A-Za-z0-9_-]{1,64})$/.exec(route);
    if (match?.[1]) {
      if (request.method !== "GET") return fail(405, "method_not_allowed", "Method not allowed.");
      const email = await store.get(match[1]);
      return email ? json(200, view(email)) : fail(404, "not_found", "Email not found.");
    }
    return fail(404, "not_found", "Route not found.");
  };
}
