import type { Db } from "../db";
import { postgresUploadStore } from "./postgres-store";

/** What is kept about an upload besides its bytes. */
export type UploadInfo = {
  name: string;
  contentType: string;
  size: number;
  /** Hex SHA-256 of the bytes: the ETag, and a check on what was stored. */
  sha256: string;
  createdAt: Date;
};
export type StoredUpload = UploadInfo & { bytes: Uint8Array };
export type NewUpload = {
  name: string;
  contentType: string;
  bytes: Uint8Array;
  uploaderId: string | null;
  /** Defaults to now; the folder import keeps a file's modification time. */
  createdAt?: Date;
};

/**
 * Where uploaded files live. Several web instances serve one deployment, so a store must be
 * shared by all of them: never a process's memory or one machine's folder. PostgreSQL is the
 * store today; an S3-compatible bucket would be a second implementation of these three calls,
 * picked in `uploadStore` by configuration (README, "Scaling out", says what it needs).
 */
export interface UploadStore {
  /** Stores a new file. False when the name is taken: names are never reused or overwritten. */
  put(upload: NewUpload): Promise<boolean>;
  /** The metadata alone, enough to answer a conditional request without reading the bytes. */
  stat(name: string): Promise<UploadInfo | null>;
  get(name: string): Promise<StoredUpload | null>;
}

export function uploadStore(db: Db): UploadStore {
  return postgresUploadStore(db);
}
