import { db } from "@/server/db";
import { prismaOutboxStore } from "@/server/email/outbox";
import { createResendEmulator } from "@/server/emulators/resend";
import { env } from "@/server/env";

// The Resend emulator exists only on a demo deployment; elsewhere this route is a plain 404.
function handler(request: Request) {
  if (!env().demo) return new Response("Not found", { status: 404 });
  const emulate = createResendEmulator({
    store: prismaOutboxStore(db()),
    basePath: "/api/emulators/resend",
  });
  return emulate(request);
}

export { handler as GET, handler as POST };
