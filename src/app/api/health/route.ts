import { db } from "@/server/db";
import { publicHealth } from "@/server/health/service";

export const dynamic = "force-dynamic";

/** Up or down, nothing more: anyone can call it. Admins see the details at /admin/health. */
export async function GET() {
  const health = await publicHealth(db());
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: {
      "Cache-Control": "no-store",
      ...(health.status === "ok" ? {} : { "Retry-After": "5" }),
    },
  });
}
