import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { unwrapKey, wrapKey } from "./envelope";

/**
 * Key-encryption keys ("master keys") and the small interface the data keys are wrapped
 * through. `LocalKeyProvider` holds the master keys from configuration; a cloud KMS plugs in
 * by implementing `KeyProvider` (wrap with its current key, unwrap by the id stored beside
 * each wrapped key) and passing it to `setKeyProvider`.
 */
export interface KeyProvider {
  /** The id stored with every data key wrapped now. */
  readonly currentId: string;
  wrap(owner: string, dataKey: Buffer): Promise<{ kekId: string; wrapped: Buffer }>;
  /** Throws when `kekId` is not a key this provider holds. */
  unwrap(owner: string, kekId: string, wrapped: Buffer): Promise<Buffer>;
}

export class MasterKeyError extends Error {
  override name = "MasterKeyError";
}

/** A short public fingerprint of a master key: what the vault stores to say which wrapped. */
export function fingerprint(key: Buffer): string {
  return `local:${createHash("sha256").update(key).digest("hex").slice(0, 16)}`;
}

export function parseMasterKey(text: string, name: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed)
    ? Buffer.from(trimmed, "hex")
    : Buffer.from(trimmed, /[-_]/.test(trimmed) ? "base64url" : "base64");
  if (key.length !== 32) {
    throw new MasterKeyError(
      `${name} must be 32 random bytes, base64 or hex (openssl rand -base64 32); it decodes to ${key.length}.`,
    );
  }
  return key;
}

export class LocalKeyProvider implements KeyProvider {
  readonly currentId: string;
  private readonly keys: Map<string, Buffer>;

  /** `keys[0]` wraps; the others (earlier keys during a rotation) only unwrap. */
  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new MasterKeyError("No master key.");
    this.keys = new Map(keys.map((k) => [fingerprint(k), k]));
    this.currentId = fingerprint(keys[0] as Buffer);
  }

  async wrap(owner: string, dataKey: Buffer) {
    const key = this.keys.get(this.currentId) as Buffer;
    return { kekId: this.currentId, wrapped: wrapKey(key, owner, dataKey) };
  }

  async unwrap(owner: string, kekId: string, wrapped: Buffer) {
    const key = this.keys.get(kekId);
    if (!key) {
      throw new MasterKeyError(
        `The data key of ${owner} is wrapped by master key ${kekId}, which is not configured (KINDRED_MASTER_KEY, KINDRED_MASTER_KEY_PREVIOUS).`,
      );
    }
    return unwrapKey(key, owner, wrapped);
  }
}

/** `<data folder>/master-key`: one key per line, the current first. */
export function masterKeyFile(dataDir = process.env.KINDRED_DATA_DIR ?? ".data"): string {
  return path.resolve(dataDir, "master-key");
}

/**
 * A demo or development deployment without KINDRED_MASTER_KEY keeps its key in the data folder
 * beside the embedded database, made on first use. Created exclusively, so two processes
 * starting together end up with the same key.
 */
export function ensureMasterKeyFile(file = masterKeyFile()): string {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  return readFileSync(file, "utf8");
}

/**
 * The master keys this process holds, newest first: KINDRED_MASTER_KEY then
 * KINDRED_MASTER_KEY_PREVIOUS (comma-separated, kept while a rotation runs). Without
 * KINDRED_MASTER_KEY, a production deployment refuses to start (see env.ts); anything else reads
 * or creates the data folder's key file.
 */
export function configuredMasterKeys(source: NodeJS.ProcessEnv = process.env): Buffer[] {
  const current = source.KINDRED_MASTER_KEY?.trim();
  const previous = (source.KINDRED_MASTER_KEY_PREVIOUS ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k, i) => parseMasterKey(k, `KINDRED_MASTER_KEY_PREVIOUS (key ${i + 1})`));
  if (current) return [parseMasterKey(current, "KINDRED_MASTER_KEY"), ...previous];
  if (source.NODE_ENV === "production" && !["1", "true"].includes(source.KINDRED_DEMO ?? "")) {
    throw new MasterKeyError(
      "KINDRED_MASTER_KEY is required in production: 32 random bytes, base64 (openssl rand -base64 32). Keep it outside the database and its backups.",
    );
  }
  const file = masterKeyFile(source.KINDRED_DATA_DIR);
  const lines = ensureMasterKeyFile(file)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return [...lines.map((l, i) => parseMasterKey(l, `${file} line ${i + 1}`)), ...previous];
}
