/**
 * What Kindred accepts as an uploaded image. The type is decided by the file's first bytes, never
 * by its name or declared type; names are random, so nothing from the client names a file.
 */
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
/** Per person: enough for choosing an avatar or a few covers, not for filling the database. */
export const UPLOADS_PER_HOUR = 30;

export const IMAGE_TYPES = {
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
} as const;
export type ImageExt = keyof typeof IMAGE_TYPES;

/** 128 random bits in hex and the sniffed type's extension: the whole name, and the URL. */
export const UPLOAD_NAME = /^[a-f0-9]{32}\.(png|jpg|webp)$/;

export function sniffImage(bytes: Uint8Array): ImageExt | null {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (starts([0xff, 0xd8, 0xff])) return "jpg";
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return "webp";
  return null;
}
