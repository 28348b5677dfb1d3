import type { Env } from "@/server/env";

export { startStripeEmulatorDelivery } from "./background";
export { advanceClock, emulatorNow, processDueSubscriptions } from "./clock";
export { createStripeEmulator, type StripeEmulatorOptions } from "./handler";
export { TEST_CARDS } from "./objects";
export { prismaStripeEmulatorStore, type StripeEmulatorStore } from "./store";
export { deliverDueWebhooks, signatureHeader } from "./webhooks";

/** Where the emulator is served in the app (src/app/api/emulators/stripe/[...path]/route.ts). */
export const STRIPE_EMULATOR_BASE_PATH = "/api/emulators/stripe";
/** Kindred's webhook endpoint, which the emulator posts events to. */
export const STRIPE_WEBHOOK_PATH = "/api/stripe/webhook";

/**
 * The emulator's settings on this deployment, or null when it must not exist (not a demo, or
 * real Stripe keys are configured). Its keys are the ones the app's SDK client uses.
 */
export function stripeEmulatorSettings(env: Env) {
  if (!env.demo || env.billing.mode !== "emulator" || !env.billing.api) return null;
  const { api } = env.billing;
  return {
    apiKey: env.billing.secretKey,
    webhookSecret: env.billing.webhookSecret,
    webhookUrl: `${api.protocol}://${api.host}:${api.port}${STRIPE_WEBHOOK_PATH}`,
    publicBaseUrl: env.appUrl,
    basePath: STRIPE_EMULATOR_BASE_PATH,
  };
}
