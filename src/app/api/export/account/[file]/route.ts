import { cookies } from "next/headers";
import { whileDatabaseAway } from "@/server/http/unavailable";
import { accountExportResponse } from "@/server/privacy/export";
import { createContext } from "@/server/trpc/context";

// The member's whole account: read fresh, never cached.
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ file: string }> };

/** GET /api/export/account/<id>.<signature>: the owner's export ZIP (their session needed too). */
export const GET = whileDatabaseAway(async (request: Request, context: Context) => {
  const { file } = await context.params;
  const ctx = await createContext({ headers: request.headers, cookies: await cookies() });
  return accountExportResponse(ctx.db, ctx.env, ctx.session?.user.id ?? null, file);
});
