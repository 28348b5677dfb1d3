import { serveUpload } from "@/server/programs/uploads";

/** Public: covers appear in the catalog, and their random names cannot be guessed. */
export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }) {
  return serveUpload((await params).name);
}
