import { confirmInThisBrowser } from "@/server/auth/link-binding-http";
import { db } from "@/server/db";
import { env } from "@/server/env";
import { whileDatabaseAway } from "@/server/http/unavailable";

/** The confirm page's "sign in in this browser" button, for a link asked for elsewhere. */
export const POST = whileDatabaseAway((request: Request) => {
  return confirmInThisBrowser(request, { db: db(), env: env() });
});
