import { cookies } from "next/headers";
import { whileDatabaseAway } from "@/server/http/unavailable";
import { checkRateLimits } from "@/server/rate-limit";
import { createContext } from "@/server/trpc/context";
import { handleUpload } from "@/server/uploads/http";
import { UPLOADS_PER_HOUR } from "@/server/uploads/images";
import { uploadStore } from "@/server/uploads/store";

export const dynamic = "force-dynamic";

/** Image upload (covers, avatars) for anyone signed in: multipart `file`, PNG/JPEG/WebP, 2 MB. */
export const POST = whileDatabaseAway(async (request: Request) => {
  const ctx = await createContext({ headers: request.headers, cookies: await cookies() });
  return handleUpload(request, ctx.session, uploadStore(ctx.db), ctx.env.appUrl, (userId) =>
    checkRateLimits(
      ctx.db,
      [{ bucket: "upload", key: userId, max: UPLOADS_PER_HOUR, windowSeconds: 3600 }],
      (_limit, retry) =>
        `You have uploaded ${UPLOADS_PER_HOUR} images in the last hour. Try again in ${Math.ceil(retry / 60)} minutes.`,
    ),
  );
});
