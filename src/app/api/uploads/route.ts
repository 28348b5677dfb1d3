import { cookies } from "next/headers";
import { createContext } from "@/server/trpc/context";
import { handleUpload } from "@/server/uploads/http";
import { uploadStore } from "@/server/uploads/store";

export const dynamic = "force-dynamic";

/** Cover image upload for coaches and admins: multipart field `file`, PNG/JPEG/WebP, 2 MB. */
export async function POST(request: Request) {
  const ctx = await createContext({ headers: request.headers, cookies: await cookies() });
  return handleUpload(request, ctx.session, uploadStore(ctx.db), ctx.env.appUrl);
}
