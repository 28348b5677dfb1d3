import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * The stored form of one private value: AES-256-GCM under the data key of its owner.
 *
 *   kx1:<s|j>:<owner>:<base64url(iv ‖ ciphertext ‖ tag)>
 *
 * `s` holds a string, `j` a JSON value (answers, drafts and shared snapshots are JSON columns:
 * the envelope is stored there as a JSON string). `owner` names the key (`m:<userId>` for a
 * member, `p:<programId>` for a program's shared snapshots); it is bound into the tag as
 * additional data, so a value moved to another owner's row does not decrypt. Owner ids are not
 * secret: the row holds them in the clear anyway.
 */
export const ENVELOPE_PREFIX = "kx1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type EnvelopeKind = "s" | "j";
export type Envelope = { kind: EnvelopeKind; owner: string; payload: Buffer };

export class EnvelopeError extends Error {
  override name = "EnvelopeError";
}

const SHAPE = /^kx1:[sj]:[mp]:[A-Za-z0-9_-]{1,64}:[A-Za-z0-9_-]{38,}$/;

/** A string shaped like an envelope (it may still fail to open: see sealing.ts). */
export function isEnvelope(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(ENVELOPE_PREFIX) && SHAPE.test(value);
}

/** Member and program keys; ids are cuids (or the stand-in's fixed id): no colon inside. */
export const memberOwner = (userId: string) => `m:${userId}`;
export const programOwner = (programId: string) => `p:${programId}`;

export function parseEnvelope(text: string): Envelope {
  // kx1:<kind>:<scope>:<id>:<payload>
  const parts = text.split(":");
  if (parts.length !== 5 || parts[0] !== "kx1") throw new EnvelopeError("Not a sealed value.");
  const [, kind, scope, id, body] = parts as [string, string, string, string, string];
  if ((kind !== "s" && kind !== "j") || !scope || !id || !body) {
    throw new EnvelopeError("Not a sealed value.");
  }
  const payload = Buffer.from(body, "base64url");
  if (payload.length < IV_BYTES + TAG_BYTES)
    throw new EnvelopeError("A sealed value is cut short.");
  return { kind, owner: `${scope}:${id}`, payload };
}

export function sealWith(key: Buffer, owner: string, kind: EnvelopeKind, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(owner, "utf8"));
  const body = Buffer.concat([
    iv,
    cipher.update(plain, "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `${ENVELOPE_PREFIX}${kind}:${owner}:${body.toString("base64url")}`;
}

/** The plain text of `envelope`; throws when the key is wrong or the value was altered. */
export function openWith(key: Buffer, envelope: Envelope): string {
  const { payload, owner } = envelope;
  const iv = payload.subarray(0, IV_BYTES);
  const tag = payload.subarray(payload.length - TAG_BYTES);
  const body = payload.subarray(IV_BYTES, payload.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(Buffer.from(owner, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    throw new EnvelopeError(`A sealed value of ${owner} does not open with its key.`);
  }
}

/** Wrapping a data key under a master key: the same cipher, bound to the key's owner. */
export function wrapKey(master: Buffer, owner: string, dataKey: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", master, iv);
  cipher.setAAD(Buffer.from(`key:${owner}`, "utf8"));
  return Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
}

export function unwrapKey(master: Buffer, owner: string, wrapped: Buffer): Buffer {
  const iv = wrapped.subarray(0, IV_BYTES);
  const tag = wrapped.subarray(wrapped.length - TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", master, iv);
  decipher.setAAD(Buffer.from(`key:${owner}`, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([
      decipher.update(wrapped.subarray(IV_BYTES, wrapped.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new EnvelopeError(`The data key of ${owner} does not unwrap with this master key.`);
  }
}
