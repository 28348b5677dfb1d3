import { db } from "@/server/db";
import { serveUpload } from "@/server/uploads/http";
import { uploadStore } from "@/server/uploads/store";

/** Public: covers appear in the catalog, and their random names cannot be guessed. */
export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return serveUpload(request, (await params).name, uploadStore(db()));
}
