import { randomBytes } from "node:crypto";
import type { Session } from "../auth/session";
import { DomainError } from "../errors";
import { BodyTooLargeError, withLimitedBody } from "../http/body";
import { IMAGE_TYPES, MAX_UPLOAD_BYTES, sniffImage, UPLOAD_NAME } from "./images";
import type { UploadInfo, UploadStore } from "./store";

/**
 * Image uploads (program covers, avatars) over HTTP, framework-free (`Request -> Response`) so tests call them
 * directly; the routes under src/app/api/uploads pass the request, the session and the store.
 */
const fail = (status: number, error: string) =>
  Response.json({ error }, { status, headers: { "Cache-Control": "no-store" } });

const tooLarge = () => fail(413, "The image is larger than 2 MB. Choose a smaller one.");

export async function handleUpload(
  request: Request,
  session: Session | null,
  store: UploadStore,
  appUrl?: string,
  /** Throws TOO_MANY_REQUESTS (a DomainError) when this user has uploaded too much lately. */
  limit?: (userId: string) => Promise<void>,
): Promise<Response> {
  if (!session) return fail(401, "Please sign in.");
  // Cookies ride along on cross-site form posts; only our own pages may upload.
  // Behind a reverse proxy request.url is the internal address; the public one is APP_URL.
  const origin = request.headers.get("origin");
  const ours = [new URL(request.url).origin, ...(appUrl ? [new URL(appUrl).origin] : [])];
  if (origin && !ours.includes(origin))
    return fail(403, "Uploads are only accepted from Kindred itself.");
  // Coaches upload covers, everyone an avatar: a cap per person keeps the store from filling.
  if (limit) {
    try {
      await limit(session.user.id);
    } catch (error) {
      if (error instanceof DomainError && error.code === "TOO_MANY_REQUESTS") {
        return fail(429, error.message);
      }
      throw error;
    }
  }

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
  const stored = await store.put({
    name,
    contentType: IMAGE_TYPES[ext],
    bytes,
    uploaderId: session.user.id,
  });
  // 128 random bits do not collide; if they ever did, the existing file stays untouched.
  if (!stored) throw new Error("upload name collision");
  return Response.json({ url: `/api/uploads/${name}` }, { status: 201 });
}

/** The headers of a served upload, also sent with a 304 so caches keep the same policy. */
function servedHeaders(info: UploadInfo): Record<string, string> {
  return {
    ETag: `"${info.sha256}"`,
    // Names are random and never reused, and files never change: cache for a year.
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  };
}

/** If-None-Match (RFC 9110 §13.1.2): `*` or a list of entity tags, compared weakly. */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (ifNoneMatch === null) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

export async function serveUpload(
  request: Request,
  name: string,
  store: UploadStore,
): Promise<Response> {
  // The pattern admits no slashes or dots beyond the extension: not a path, just a key.
  if (!UPLOAD_NAME.test(name)) return fail(404, "No such image.");
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    // A revalidation needs the metadata only, not up to 2 MB of bytes.
    const info = await store.stat(name);
    if (!info) return fail(404, "No such image.");
    if (matchesEtag(ifNoneMatch, `"${info.sha256}"`))
      return new Response(null, { status: 304, headers: servedHeaders(info) });
  }
  const upload = await store.get(name);
  if (!upload) return fail(404, "No such image.");
  return new Response(upload.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      ...servedHeaders(upload),
      "Content-Type": upload.contentType,
      "Content-Length": String(upload.size),
    },
  });
}
