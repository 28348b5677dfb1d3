import { z } from "zod";

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

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string({ error: "is required (a postgres:// connection string)" })
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// connection string"),
    KINDRED_DEMO: flag,
    APP_URL: z.url("must be a full URL such as https://kindred.example.org").optional(),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    NEXTAUTH_SECRET: optionalString,
    RESEND_API_KEY: optionalString.refine((v) => !v || v.startsWith("re_"), {
      message: "must start with re_ (a Resend API key)",
    }),
    RESEND_BASE_URL: z.url().optional(),
    EMAIL_FROM: z.string().default("Kindred <hello@kindred.local>"),
    STRIPE_SECRET_KEY: optionalString.refine((v) => !v || /^(sk|rk)_/.test(v), {
      message: "must start with sk_ or rk_ (a Stripe secret key)",
    }),
    STRIPE_WEBHOOK_SECRET: optionalString.refine((v) => !v || v.startsWith("whsec_"), {
      message: "must start with whsec_ (a Stripe webhook signing secret)",
    }),
  })
  .superRefine((env, ctx) => {
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
    }
  });

export type Env = Readonly<{
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string;
  demo: boolean;
  appUrl: string;
  port: number;
  authSecret: string;
  email: { mode: "resend" | "outbox"; apiKey: string | undefined; baseUrl: string; from: string };
  billing: { mode: "stripe" | "emulator"; secretKey?: string; webhookSecret?: string };
}>;

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
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    demo: e.KINDRED_DEMO,
    appUrl,
    port: e.PORT,
    // Only demo, development and test deployments fall back to a derived secret; production
    // without KINDRED_DEMO is refused above.
    authSecret: e.NEXTAUTH_SECRET ?? `kindred-insecure-dev-secret:${e.DATABASE_URL}`,
    email: {
      mode: emailMode,
      apiKey: e.RESEND_API_KEY,
      baseUrl:
        emailMode === "resend"
          ? (e.RESEND_BASE_URL ?? "https://api.resend.com")
          : (e.RESEND_BASE_URL ?? `http://127.0.0.1:${e.PORT}/api/emulators/resend`),
      from: e.EMAIL_FROM,
    },
    billing: e.STRIPE_SECRET_KEY
      ? { mode: "stripe", secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET }
      : { mode: "emulator" },
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
