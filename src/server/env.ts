import { createHmac } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";
import { DEFAULT_GRACE_DAYS } from "./billing/rules";
import { parseMasterKey } from "./crypto/master-keys";
import { preparedStatementsEnabled } from "./db/statement-names";
import { selfHost } from "./http/hosts";
import { allowedOrigins, originListProblems } from "./http/origins";

/**
 * Every setting Kindred reads, validated once. `loadEnv` throws an EnvError whose message lists
 * one line per problem, so a misconfigured deployment says exactly what to fix.
 */
const flag = z
  .enum(["1", "0", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

function masterKeyProblem(text: string): string | null {
  try {
    parseMasterKey(text, "key");
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** More hops than this is a misconfiguration, not a deployment. */
export const MAX_TRUSTED_PROXIES = 10;
export const MAX_WEB_PROCESSES = 32;

function isHostName(value: string): boolean {
  if (isIP(value)) return true;
  return (
    value.length <= 253 &&
    value.split(".").every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label))
  );
}

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string({ error: "is required (a postgres:// connection string)" })
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string"),
    KINDRED_DEMO: flag,
    APP_URL: z.url("must be a full URL such as https://kindred.example.org").optional(),
    /** Other origins people reach this deployment by (comma-separated); see http/origins.ts. */
    APP_ORIGINS: z.string().optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || "127.0.0.1")
      .refine(isHostName, {
        message: "must be an IP address to listen on (127.0.0.1, 0.0.0.0, ::) or a host name",
      }),
    TRUSTED_PROXIES: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || "0")
      .refine((v) => /^\d{1,2}$/.test(v) && Number(v) <= MAX_TRUSTED_PROXIES, {
        message: `must be the number of reverse proxies in front of Kindred, 0 to ${MAX_TRUSTED_PROXIES} (0 when clients connect directly)`,
      })
      .transform(Number),
    WEB_CONCURRENCY: z
      .string()
      .trim()
      .optional()
      .refine(
        (v) => !v || (/^\d{1,2}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_WEB_PROCESSES),
        {
          message: `must be the number of web processes to run, 1 to ${MAX_WEB_PROCESSES} (unset: one per CPU core in production)`,
        },
      )
      .transform((v) => (v ? Number(v) : null)),
    DATABASE_PREPARED_STATEMENTS: z
      .string()
      .trim()
      .toLowerCase()
      .optional()
      .refine((v) => !v || ["on", "off", "1", "0", "true", "false"].includes(v), {
        message:
          "must be on or off (off behind PgBouncer in transaction mode without prepared-statement support)",
      })
      .transform(preparedStatementsEnabled),
    NEXTAUTH_SECRET: optionalString,
    /** Wraps the data keys private text is sealed with (crypto/master-keys.ts). */
    KINDRED_MASTER_KEY: optionalString.refine((v) => !v || masterKeyProblem(v) === null, {
      message: "must be 32 random bytes, base64 or hex (openssl rand -base64 32)",
    }),
    KINDRED_MASTER_KEY_PREVIOUS: optionalString.refine(
      (v) => !v || v.split(",").every((k) => !k.trim() || masterKeyProblem(k) === null),
      { message: "must be earlier master keys, comma-separated, each 32 bytes base64 or hex" },
    ),
    RESEND_API_KEY: optionalString.refine((v) => !v || v.startsWith("re_"), {
      message: "must start with re_ (a Resend API key)",
    }),
    RESEND_BASE_URL: z.url().optional(),
    RESEND_WEBHOOK_SECRET: optionalString.refine(
      (v) => !v || /^whsec_[A-Za-z0-9+/=]{16,}$/.test(v),
      { message: "must be the webhook's signing secret from Resend (whsec_…)" },
    ),
    EMAIL_FROM: z.string().default("Kindred <hello@kindred.local>"),
    EMAIL_RATE_PER_SECOND: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || (/^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) > 0 && Number(v) <= 100), {
        message: "must be a number of requests per second above 0, at most 100",
      })
      .transform((v) => (v ? Number(v) : 2)),
    EMAIL_SEND_LOCK_SECONDS: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || (/^\d{1,4}$/.test(v) && Number(v) >= 5 && Number(v) <= 3600), {
        message: "must be a number of seconds from 5 to 3600",
      })
      .transform((v) => (v ? Number(v) : 120)),
    STRIPE_SECRET_KEY: optionalString.refine((v) => !v || /^(sk|rk)_/.test(v), {
      message: "must start with sk_ or rk_ (a Stripe secret key)",
    }),
    BILLING_GRACE_DAYS: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || (/^\d{1,2}$/.test(v) && Number(v) <= 60), {
        message: "must be a number of days from 0 to 60",
      })
      .transform((v) => (v ? Number(v) : DEFAULT_GRACE_DAYS)),
    STRIPE_WEBHOOK_SECRET: optionalString.refine((v) => !v || v.startsWith("whsec_"), {
      message: "must start with whsec_ (a Stripe webhook signing secret)",
    }),
  })
  .superRefine((env, ctx) => {
    const appUrl = env.APP_URL ?? `http://localhost:${env.PORT}`;
    for (const message of originListProblems(env.APP_ORIGINS, appUrl)) {
      ctx.addIssue({ code: "custom", path: ["APP_ORIGINS"], message });
    }
    const needKeys = !env.KINDRED_DEMO && env.NODE_ENV !== "test";
    const hint = "required unless this is a demo deployment (KINDRED_DEMO=1)";
    if (needKeys) {
      for (const key of ["RESEND_API_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"] as const) {
        if (!env[key]) ctx.addIssue({ code: "custom", path: [key], message: `is ${hint}` });
      }
    }
    if (env.NODE_ENV === "production" && !env.KINDRED_DEMO) {
      if (!env.NEXTAUTH_SECRET || env.NEXTAUTH_SECRET.length < 32) {
        ctx.addIssue({
          code: "custom",
          path: ["NEXTAUTH_SECRET"],
          message: "must be at least 32 characters in production (openssl rand -base64 48)",
        });
      }
      if (!env.APP_URL) {
        ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "is required in production" });
      }
      if (!env.KINDRED_MASTER_KEY) {
        ctx.addIssue({
          code: "custom",
          path: ["KINDRED_MASTER_KEY"],
          message:
            "is required in production (openssl rand -base64 32); keep it outside the database and its backups",
        });
      }
    }
  });

export type Env = Readonly<{
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string;
  /** Keep Prisma's SQL prepared per connection (DATABASE_PREPARED_STATEMENTS, default on). */
  preparedStatements: boolean;
  demo: boolean;
  appUrl: string;
  /** Origins sign-in links may come back to (APP_URL's first); see http/origins.ts. */
  origins: readonly string[];
  port: number;
  /** The address the web server listens on (loopback unless HOST says otherwise). */
  host: string;
  /** How many reverse proxies in front of Kindred append to X-Forwarded-For (0: none). */
  trustedProxies: number;
  /** Web processes sharing the port (WEB_CONCURRENCY); null: decided by the web server. */
  webConcurrency: number | null;
  authSecret: string;
  /** `apiKey` is the Resend key, or in outbox mode this deployment's own emulator key. */
  email: {
    mode: "resend" | "outbox";
    apiKey: string;
    baseUrl: string;
    from: string;
    /** Requests per second to Resend across all workers (EMAIL_RATE_PER_SECOND, default 2). */
    ratePerSecond: number;
    /** How long a worker owns emails it is sending before another may take them over. */
    sendLockSeconds: number;
    /** Signing secret of Resend's webhook (RESEND_WEBHOOK_SECRET); derived on a demo; "" unset. */
    webhookSecret: string;
  };
  /**
   * Stripe: the real API with the deployment's keys, or (demo only) the built-in emulator at this
   * server's own `/v1/…` with keys derived from the auth secret. `api` is what the SDK is given.
   */
  billing: {
    mode: "stripe" | "emulator";
    secretKey: string;
    webhookSecret: string;
    api: { host: string; port: number; protocol: "http" | "https" } | null;
    /** Days a past-due subscription keeps access (BILLING_GRACE_DAYS). */
    graceDays: number;
  };
}>;

/**
 * The key this deployment's mailer and Resend emulator share in outbox mode. Derived from the
 * auth secret, so it is stable across restarts and unknown to anyone who can merely reach the
 * emulator: nobody else can plant a message (and a link) in the public mailbox.
 */
/** A demo's Resend webhook signing secret (Svix format: whsec_ + base64 key), from the auth secret. */
export function emulatorWebhookSecret(authSecret: string): string {
  return `whsec_${createHmac("sha256", authSecret).update("kindred:resend-webhook").digest("base64")}`;
}

export function emulatorApiKey(authSecret: string): string {
  return `re_${createHmac("sha256", authSecret).update("kindred:resend-emulator").digest("base64url")}`;
}

/** The Stripe emulator's API key and webhook signing secret, derived like the Resend one. */
export function stripeEmulatorKeys(authSecret: string): {
  secretKey: string;
  webhookSecret: string;
} {
  const derive = (label: string) =>
    createHmac("sha256", authSecret).update(`kindred:stripe-emulator:${label}`).digest("hex");
  return { secretKey: `sk_test_${derive("api")}`, webhookSecret: `whsec_${derive("webhook")}` };
}

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(
      `Kindred cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "env"} ${issue.message}`),
    );
  }
  const e = result.data;
  const appUrl = (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  const emailMode = e.RESEND_API_KEY ? "resend" : "outbox";
  // Only demo, development and test deployments fall back to a derived secret; production
  // without KINDRED_DEMO is refused above.
  const authSecret = e.NEXTAUTH_SECRET ?? `kindred-insecure-dev-secret:${e.DATABASE_URL}`;
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    demo: e.KINDRED_DEMO,
    appUrl,
    origins: Object.freeze(allowedOrigins(appUrl, e.APP_ORIGINS)),
    port: e.PORT,
    host: e.HOST,
    trustedProxies: e.TRUSTED_PROXIES,
    webConcurrency: e.WEB_CONCURRENCY,
    authSecret,
    email: {
      mode: emailMode,
      apiKey: e.RESEND_API_KEY ?? emulatorApiKey(authSecret),
      baseUrl:
        emailMode === "resend"
          ? (e.RESEND_BASE_URL ?? "https://api.resend.com")
          : (e.RESEND_BASE_URL ?? `http://${selfHost(e.HOST)}:${e.PORT}/api/emulators/resend`),
      from: e.EMAIL_FROM,
      ratePerSecond: e.EMAIL_RATE_PER_SECOND,
      sendLockSeconds: e.EMAIL_SEND_LOCK_SECONDS,
      webhookSecret:
        e.RESEND_WEBHOOK_SECRET ??
        (emailMode === "outbox" ? emulatorWebhookSecret(authSecret) : ""),
    },
    billing: e.STRIPE_SECRET_KEY
      ? {
          mode: "stripe",
          secretKey: e.STRIPE_SECRET_KEY,
          webhookSecret: e.STRIPE_WEBHOOK_SECRET ?? "",
          api: null,
          graceDays: e.BILLING_GRACE_DAYS,
        }
      : {
          mode: "emulator",
          ...stripeEmulatorKeys(authSecret),
          api: { host: selfHost(e.HOST), port: e.PORT, protocol: "http" },
          graceDays: e.BILLING_GRACE_DAYS,
        },
  } satisfies Env);
}

let cached: Env | undefined;

/** The process's validated settings (parsed on first use, then cached). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests change process.env between files; this forgets the cached copy. */
export function resetEnvCache(): void {
  cached = undefined;
}
