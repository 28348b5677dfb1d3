import { cookies } from "next/headers";
import { journalExportResponse } from "@/server/journal/export";
import { createContext } from "@/server/trpc/context";

// Always read fresh, never cached: this is the member's private data.
export const dynamic = "force-dynamic";

/** GET /api/export/journal?format=json|md — all of the signed-in member's data as a download. */
export async function GET(request: Request) {
  const ctx = await createContext({ headers: request.headers, cookies: await cookies() });
  const format = new URL(request.url).searchParams.get("format");
  return journalExportResponse(ctx.db, ctx.session?.user.id ?? null, format);
}
