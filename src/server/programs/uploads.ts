import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Session } from "../auth/session";
import { BodyTooLargeError, withLimitedBody } from "../http/body";

/**
 * Cover image uploads, framework-free (`Request -> Response`) so tests call them directly.
 * The type is decided by the file's first bytes, never by its name or declared type, and the
 * stored name is random, so nothing from the client reaches the file system.
 */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

const TYPES = {
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
} as const;
type Ext = keyof typeof TYPES;

export const UPLOAD_NAME = /^[a-f0-9]{32}\.(png|jpg|webp)$/;

export function uploadDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.env.UPLOAD_DIR ?? ".data/uploads");
}

export function sniffImage(bytes: Uint8Array): Ext | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (starts([0xff, 0xd8, 0xff])) return "jpg";
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "webp";
  return null;
}

const fail = (status: number, error: string) =>
  Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } });

const tooLarge = () => fail(413, "The image is larger than 2 MB. Choose a smaller one.");

export async function handleUpload(
  request: Request,
  session: Session | null,
  dir = uploadDir(),
  appUrl?: string,
): Promise<Response> {
  if (!session) return fail(401, "Please sign in.");
  if (session.user.role !== "COACH" && session.user.role !== "ADMIN")
    return fail(403, "Only coaches can upload images.");
  // Cookies ride along on cross-site form posts; only our own pages may upload.
  // Behind a reverse proxy request.url is the internal address; the public one is APP_URL.
  const origin = request.headers.get("origin");
  const ours = [new URL(request.url).origin, ...(appUrl ? [new URL(appUrl).origin] : [])];
  if (origin && !ours.includes(origin))
    return fail(403, "Uploads are only accepted from Kindred itself.");

  // Read at most the cap (multipart adds a little framing), whether or not a length was declared.
  let limited: Request;
  try {
    limited = await withLimitedBody(request, MAX_UPLOAD_BYTES + 64 * 1024);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return tooLarge();
    throw error;
  }
  let file: FormDataEntryValue | null;
  try {
    file = (await limited.formData()).get("file");
  } catch {
    return fail(400, "Send the image as multipart form data in a field named “file”.");
  }
  if (!file || typeof file === "string") return fail(400, "Choose an image file to upload.");
  if (file.size === 0) return fail(400, "The file is empty.");
  if (file.size > MAX_UPLOAD_BYTES) return tooLarge();

  const bytes = new Uint8Array(await file.arrayBuffer());
  const ext = sniffImage(bytes);
  if (!ext) return fail(415, "Use a PNG, JPEG or WebP image.");

  const name = `${randomBytes(16).toString("hex")}.${ext}`;
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(/* turbopackIgnore: true */ dir, name), bytes, { flag: "wx" });
  return Response.json({ url: `/api/uploads/${name}` }, { status: 201 });
}

export async function serveUpload(name: string, dir = uploadDir()): Promise<Response> {
  // The pattern admits no slashes or dots beyond the extension: no path traversal.
  const match = UPLOAD_NAME.exec(name);
  if (!match) return fail(404, "No such image.");
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(/* turbopackIgnore: true */ dir, name));
  } catch {
    return fail(404, "No such image.");
  }
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": TYPES[match[1] as Ext],
      "Content-Length": String(bytes.length),
      "X-Content-Type-Options": "nosniff",
      // Names are random and files never change: cache for a year.
      "Cache-Control": "public, max-age=31536000, immutable",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
