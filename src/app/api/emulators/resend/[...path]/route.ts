import { db } from "@/server/db";
import { prismaOutboxStore } from "@/server/email/outbox";
import { createResendEmulator } from "@/server/emulators/resend";
import { env } from "@/server/env";

// The Resend emulator exists only on a demo deployment; elsewhere this route is a plain 404.
// It accepts only this deployment's own key, the one its mailer sends with.
function handler(request: Request) {
  const e = env();
  if (!e.demo) return new Response("Not found", { status: 404 });
  const emulate = createResendEmulator({
    store: prismaOutboxStore(db()),
    apiKey: e.email.apiKey,
    basePath: "/api/emulators/resend",
  });
  return emulate(request);
}

export { handler as GET, handler as POST };
