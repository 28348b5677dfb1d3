import { db } from "@/server/db";
import { env } from "@/server/env";
import { checkHealth } from "@/server/health/service";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth(db(), env());
  return Response.json(health, {
    status: health.database.ok ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
