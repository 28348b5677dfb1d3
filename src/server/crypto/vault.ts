import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/generated/prisma/client";
import { EnvelopeError } from "./envelope";
import { configuredMasterKeys, type KeyProvider, LocalKeyProvider } from "./master-keys";

/**
 * The data keys: one random AES-256 key per owner (a member, or a program for shared snapshots),
 * stored wrapped by the master key in `kindred_keys.data_key`. That table lives in its own
 * schema so backups can keep it apart from the data (docs/architecture.md, "Encryption at
 * rest"): a data dump holds ciphertext only, and destroying a member's key row makes every copy
 * of their text unreadable, the backups' included, once the key backups have aged out.
 *
 * Unwrapped keys are cached per process for CACHE_MS; deleting an account drops its key from this
 * process at once, and from the others when their cache entry expires.
 */
type Raw = Pick<PrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

/**
 * Where key reads and writes go: the unextended client, or inside an interactive transaction
 * that transaction itself (crypto/extension.ts). Keys read or made inside a transaction are not
 * cached: a key made there is rolled back with the rows it sealed, and must not outlive them.
 */
export type Vault = { db: Raw; cache: boolean };

const CACHE_MS = 10 * 60_000;
const CACHE_MAX = 20_000;

export class KeyGoneError extends EnvelopeError {
  override name = "KeyGoneError";
}

let provider: KeyProvider | undefined;

export function keyProvider(): KeyProvider {
  provider ??= new LocalKeyProvider(configuredMasterKeys());
  return provider;
}

/** Tests and a KMS integration swap the provider; the cache goes with the old one. */
export function setKeyProvider(next: KeyProvider | undefined): void {
  provider = next;
  cache.clear();
}

const cache = new Map<string, { key: Buffer; at: number }>();

function remember(owner: string, key: Buffer) {
  if (cache.size >= CACHE_MAX) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(owner, { key, at: Date.now() });
}

function cached(owner: string): Buffer | undefined {
  const hit = cache.get(owner);
  if (!hit) return undefined;
  if (Date.now() - hit.at > CACHE_MS) {
    cache.delete(owner);
    return undefined;
  }
  return hit.key;
}

export function forgetKey(owner: string): void {
  cache.delete(owner);
}

type KeyRow = { owner: string; kek_id: string; wrapped: Uint8Array };

async function unwrapRows(rows: KeyRow[], into: Map<string, Buffer>, cache: boolean) {
  for (const row of rows) {
    const key = await keyProvider().unwrap(row.owner, row.kek_id, Buffer.from(row.wrapped));
    if (cache) remember(row.owner, key);
    into.set(row.owner, key);
  }
}

/** The keys of `owners` that exist; one statement for those not cached. */
export async function findKeys(
  { db, cache }: Vault,
  owners: Iterable<string>,
): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  const missing: string[] = [];
  for (const owner of new Set(owners)) {
    const key = cached(owner);
    if (key) found.set(owner, key);
    else missing.push(owner);
  }
  if (missing.length > 0) {
    const rows = await db.$queryRawUnsafe<KeyRow[]>(
      `SELECT owner, kek_id, wrapped FROM kindred_keys.data_key WHERE owner = ANY($1::text[])`,
      missing,
    );
    await unwrapRows(rows, found, cache);
  }
  return found;
}

/** The key of `owner`, made (and wrapped under the current master key) if it has none yet. */
export async function keyFor(vault: Vault, owner: string): Promise<Buffer> {
  const existing = (await findKeys(vault, [owner])).get(owner);
  if (existing) return existing;
  const dataKey = randomBytes(32);
  const { kekId, wrapped } = await keyProvider().wrap(owner, dataKey);
  // Two first writes at once: one insert wins and both read the winner back.
  await vault.db.$executeRawUnsafe(
    `INSERT INTO kindred_keys.data_key (owner, kek_id, wrapped) VALUES ($1, $2, $3)
     ON CONFLICT (owner) DO NOTHING`,
    owner,
    kekId,
    wrapped,
  );
  const key = (await findKeys(vault, [owner])).get(owner);
  if (!key) throw new KeyGoneError(`No data key could be made for ${owner}.`);
  return key;
}

/** Crypto-shredding: the key row goes, so every sealed copy of the owner's text is unreadable. */
export async function destroyKey(db: Raw, owner: string): Promise<void> {
  await db.$executeRawUnsafe(`DELETE FROM kindred_keys.data_key WHERE owner = $1`, owner);
  forgetKey(owner);
}

export type RotationProgress = { rewrapped: number; remaining: number };

/**
 * Re-wraps data keys still under an earlier master key with the current one, `batch` at a time,
 * each batch its own statement: stopped at any point, running it again carries on where it was
 * (a key already re-wrapped is not selected again). The data itself is never touched.
 */
export async function rotateMasterKey(
  db: Raw,
  options: { batch?: number; maxBatches?: number; onBatch?: (p: RotationProgress) => void } = {},
): Promise<RotationProgress> {
  const batch = options.batch ?? 500;
  const p = keyProvider();
  let rewrapped = 0;
  for (let i = 0; options.maxBatches === undefined || i < options.maxBatches; i++) {
    const rows = await db.$queryRawUnsafe<KeyRow[]>(
      `SELECT owner, kek_id, wrapped FROM kindred_keys.data_key
        WHERE kek_id <> $1 ORDER BY owner LIMIT $2`,
      p.currentId,
      batch,
    );
    if (rows.length === 0) break;
    const owners: string[] = [];
    const kekIds: string[] = [];
    const wrappedKeys: string[] = [];
    for (const row of rows) {
      const key = await p.unwrap(row.owner, row.kek_id, Buffer.from(row.wrapped));
      const next = await p.wrap(row.owner, key);
      owners.push(row.owner);
      kekIds.push(next.kekId);
      wrappedKeys.push(next.wrapped.toString("base64"));
    }
    // Only rows still under the key they were read with: a concurrent rotation's work stands.
    await db.$executeRawUnsafe(
      `UPDATE kindred_keys.data_key d
          SET kek_id = x.kek_id, wrapped = decode(x.wrapped, 'base64'), rotated_at = now()
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(owner, kek_id, wrapped, old)
        WHERE d.owner = x.owner AND d.kek_id = x.old`,
      owners,
      kekIds,
      wrappedKeys,
      rows.map((r) => r.kek_id),
    );
    rewrapped += rows.length;
    options.onBatch?.({ rewrapped, remaining: await countUnder(db, p.currentId, false) });
  }
  return { rewrapped, remaining: await countUnder(db, p.currentId, false) };
}

async function countUnder(db: Raw, kekId: string, equal: boolean): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM kindred_keys.data_key WHERE ${equal ? "kek_id = $1" : "kek_id <> $1"}`,
    kekId,
  );
  return rows[0]?.n ?? 0;
}

/** How many data keys each master key wraps (the `keys status` command). */
export async function keyStatus(db: Raw) {
  return db.$queryRawUnsafe<{ kek_id: string; n: number }[]>(
    `SELECT kek_id, count(*)::int AS n FROM kindred_keys.data_key GROUP BY kek_id ORDER BY kek_id`,
  );
}
