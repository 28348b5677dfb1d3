import { db } from "@/server/db";
import {
  createStripeEmulator,
  prismaStripeEmulatorStore,
  STRIPE_EMULATOR_BASE_PATH,
  stripeEmulatorSettings,
} from "@/server/emulators/stripe";
import { env } from "@/server/env";
import { BodyTooLargeError, readBodyLimited } from "@/server/http/body";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ path: string[] }> };
const MAX_BODY = 1024 * 1024;

// The Stripe emulator exists only on a demo deployment without Stripe keys; elsewhere this route
// is a plain 404. It accepts only this deployment's own emulator key, the one the app's SDK
// client sends. The SDK calls /v1/… on this server; next.config.mjs rewrites that to here.
let cached: { key: string; handle: (request: Request) => Promise<Response> } | undefined;

function emulator() {
  const settings = stripeEmulatorSettings(env());
  if (!settings) return null;
  const key = JSON.stringify(settings);
  if (cached?.key !== key) {
    cached = {
      key,
      handle: createStripeEmulator({ store: prismaStripeEmulatorStore(db()), ...settings }),
    };
  }
  return cached.handle;
}

async function handler(request: Request, context: Context) {
  const handle = emulator();
  if (!handle) return new Response("Not found", { status: 404 });
  // Built from the route's own segments, so a rewritten /v1/… request and a direct one look alike.
  const { path } = await context.params;
  const url = new URL(request.url);
  const target = new URL(
    `${STRIPE_EMULATOR_BASE_PATH}/${path.map(encodeURIComponent).join("/")}${url.search}`,
    url,
  );
  let body: Uint8Array<ArrayBuffer> | undefined;
  if (request.method !== "GET" && request.method !== "HEAD") {
    try {
      body = (await readBodyLimited(request, MAX_BODY)) as Uint8Array<ArrayBuffer>;
    } catch (error) {
      if (error instanceof BodyTooLargeError) return new Response(error.message, { status: 413 });
      throw error;
    }
  }
  return handle(new Request(target, { method: request.method, headers: request.headers, body }));
}

export { handler as DELETE, handler as GET, handler as POST };
