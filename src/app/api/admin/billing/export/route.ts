import { cookies } from "next/headers";
import { exportBilling } from "@/server/billing/export";
import { createContext } from "@/server/trpc/context";

// Money movements for the admin's spreadsheet. Never cached.
export const dynamic = "force-dynamic";

/** GET /api/admin/billing/export: invoices, purchases and refunds as CSV, for admins. */
export async function GET(request: Request) {
  const ctx = await createContext({ headers: request.headers, cookies: await cookies() });
  return exportBilling(ctx.db, ctx.session?.user ?? null);
}
