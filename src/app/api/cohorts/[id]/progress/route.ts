import { cookies } from "next/headers";
import { exportRoster } from "@/server/cohorts/export";
import { createContext } from "@/server/trpc/context";

// The coach's progress export: counts and dates only, never private text. Never cached.
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ id: string }> };

/** GET /api/cohorts/<id>/progress: the roster as CSV, for the cohort's coaches. */
export async function GET(request: Request, context: Context) {
  const { id } = await context.params;
  const ctx = await createContext({ headers: request.headers, cookies: await cookies() });
  return exportRoster(ctx.db, ctx.session?.user ?? null, id);
}
