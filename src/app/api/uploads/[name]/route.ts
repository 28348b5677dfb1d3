import { db } from "@/server/db";
import { whileDatabaseAway } from "@/server/http/unavailable";
import { serveUpload } from "@/server/uploads/http";
import { uploadStore } from "@/server/uploads/store";

/** Public: covers appear in the catalog, and their random names cannot be guessed. */
export const GET = whileDatabaseAway(
  async (request: Request, { params }: { params: Promise<{ name: string }> }) => {
    return serveUpload(request, (await params).name, uploadStore(db()));
  },
);
