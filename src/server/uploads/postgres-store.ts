import { createHash } from "node:crypto";
import type { Db } from "../db";
import type { UploadStore } from "./store";

const INFO = { name: true, contentType: true, size: true, sha256: true, createdAt: true } as const;

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Uploads as rows of `Upload` (bytes in a bytea column, at most 2 MB each): every instance on
 * the database sees them, backups include them, and the embedded database keeps them in `.data/`.
 */
export function postgresUploadStore(db: Db): UploadStore {
  return {
    async put(upload) {
      const { count } = await db.upload.createMany({
        data: [
          {
            name: upload.name,
            contentType: upload.contentType,
            size: upload.bytes.byteLength,
            sha256: sha256Hex(upload.bytes),
            bytes: upload.bytes as Uint8Array<ArrayBuffer>,
            uploaderId: upload.uploaderId,
            ...(upload.createdAt ? { createdAt: upload.createdAt } : {}),
          },
        ],
        skipDuplicates: true,
      });
      return count === 1;
    },
    stat(name) {
      return db.upload.findUnique({ where: { name }, select: INFO });
    },
    get(name) {
      return db.upload.findUnique({ where: { name }, select: { ...INFO, bytes: true } });
    },
  };
}
