import type { PrismaClient } from "@/generated/prisma/client";
import {
  EnvelopeError,
  type EnvelopeKind,
  isEnvelope,
  memberOwner,
  openWith,
  parseEnvelope,
  programOwner,
  sealWith,
} from "./envelope";
import { findKeys, keyFor, type Vault } from "./vault";

/**
 * Which columns hold private text, and whose key seals them. Every write through Prisma to one
 * of these columns is sealed on its way out (`sealArgs`), and every envelope in any result,
 * Prisma's or a raw statement's, nested in JSON or not, is opened on its way back
 * (`openResult`). Code above the database layer sees plain values only.
 *
 * An empty string stays empty (an unwritten note): emptiness is all it tells, and filters such as
 * `note <> ''` keep working. A filter or an ordering on a sealed column cannot work in SQL and
 * throws (`refuseSqlOnSealed`): such reads decrypt and compare in the application instead.
 */
export const SEALED = {
  AnswerPass: { fields: { content: "j" }, owner: "member" },
  AnswerDraft: { fields: { content: "j" }, owner: "member" },
  // The circle stays readable: the map groups and pages by it in SQL.
  Person: { fields: { name: "s", why: "s" }, owner: "member", except: "the circle's name" },
  ReachOut: { fields: { note: "s" }, owner: "member" },
  Commitment: { fields: { text: "s" }, owner: "member" },
  CommitmentCheckIn: { fields: { note: "s" }, owner: "commitment" },
  PracticeTick: { fields: { note: "s" }, owner: "member" },
  Share: { fields: { snapshot: "j" }, owner: "program" },
} as const satisfies Record<
  string,
  {
    fields: Record<string, EnvelopeKind>;
    owner: "member" | "commitment" | "program";
    /** What the privacy page says stays unsealed in such a row. */
    except?: string;
  }
>;

export type SealedModel = keyof typeof SEALED;
type Base = Pick<PrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">;
type Rec = Record<string, unknown>;

const WRITES = new Set([
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
]);

export function isSealedModel(model: string | undefined): model is SealedModel {
  return model !== undefined && Object.hasOwn(SEALED, model);
}

const isRecord = (v: unknown): v is Rec =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** The owner a row's data names directly, when it does. */
function ownerInData(model: SealedModel, data: Rec): string | undefined {
  const how = SEALED[model].owner;
  const direct = (field: string, relation: string) => {
    if (typeof data[field] === "string") return data[field] as string;
    const rel = data[relation];
    if (isRecord(rel) && isRecord(rel.connect) && typeof rel.connect.id === "string") {
      return rel.connect.id;
    }
    return undefined;
  };
  if (how === "member") {
    const id = direct("userId", "user");
    return id ? memberOwner(id) : undefined;
  }
  if (how === "program") {
    const id = direct("programId", "program");
    return id ? programOwner(id) : undefined;
  }
  return undefined;
}

/** The owner a unique or filtering `where` pins down without a read (`userId`, compound keys). */
function ownerInWhere(model: SealedModel, where: unknown): string | undefined {
  if (!isRecord(where)) return undefined;
  const field = SEALED[model].owner === "program" ? "programId" : "userId";
  if (SEALED[model].owner === "commitment") return undefined;
  if (typeof where[field] === "string") {
    return SEALED[model].owner === "program"
      ? programOwner(where[field] as string)
      : memberOwner(where[field] as string);
  }
  for (const value of Object.values(where)) {
    if (isRecord(value) && typeof value[field] === "string") {
      return SEALED[model].owner === "program"
        ? programOwner(value[field] as string)
        : memberOwner(value[field] as string);
    }
  }
  return undefined;
}

/** The owners of the rows `where` selects, read with the unsealed client (one statement). */
async function ownersOfRows(
  lookupClient: unknown,
  model: SealedModel,
  where: unknown,
): Promise<string[]> {
  const client = lookupClient as unknown as Record<
    string,
    { findMany: (a: unknown) => Promise<Rec[]> }
  >;
  const delegate = client[model.charAt(0).toLowerCase() + model.slice(1)];
  if (!delegate) return [];
  const how = SEALED[model].owner;
  const select =
    how === "commitment"
      ? { commitment: { select: { userId: true } } }
      : how === "program"
        ? { programId: true }
        : { userId: true };
  const rows = await delegate.findMany({ where, select, take: 2 });
  const owners = rows.map((r) =>
    how === "commitment"
      ? memberOwner((r.commitment as Rec).userId as string)
      : how === "program"
        ? programOwner(r.programId as string)
        : memberOwner(r.userId as string),
  );
  return [...new Set(owners)];
}

async function commitmentOwner(db: Base, data: Rec): Promise<string | undefined> {
  const id =
    typeof data.commitmentId === "string"
      ? data.commitmentId
      : isRecord(data.commitment) && isRecord(data.commitment.connect)
        ? (data.commitment.connect.id as string | undefined)
        : undefined;
  if (!id) return undefined;
  const rows = await db.$queryRawUnsafe<{ userId: string }[]>(
    `SELECT "userId" FROM "Commitment" WHERE id = $1`,
    id,
  );
  return rows[0] ? memberOwner(rows[0].userId) : undefined;
}

function needsSealing(model: SealedModel, data: Rec): boolean {
  for (const field of Object.keys(SEALED[model].fields)) {
    const raw = data[field];
    const value = isRecord(raw) && "set" in raw ? raw.set : raw;
    if (value === undefined || value === "" || isEnvelope(value)) continue;
    if (value === null) continue;
    return true;
  }
  return false;
}

function sealFields(model: SealedModel, data: Rec, owner: string, key: Buffer): Rec {
  const out: Rec = { ...data };
  for (const [field, kind] of Object.entries(SEALED[model].fields) as [string, EnvelopeKind][]) {
    const raw = data[field];
    const wrapped = isRecord(raw) && "set" in raw;
    const value = wrapped ? raw.set : raw;
    if (value === undefined || value === null || value === "" || isEnvelope(value)) continue;
    // Prisma's JsonNull / DbNull markers are objects of its own classes: left as they are.
    if (kind === "j" && isRecord(value) && value.constructor !== Object) continue;
    const plain = kind === "j" ? JSON.stringify(value) : String(value);
    const sealed = sealWith(key, owner, kind, plain);
    out[field] = wrapped ? { set: sealed } : sealed;
  }
  return out;
}

async function sealOne(
  vault: Vault,
  lookupClient: unknown,
  model: SealedModel,
  data: unknown,
  where: unknown,
  fallbackOwner?: string,
): Promise<unknown> {
  if (!isRecord(data) || !needsSealing(model, data)) return data;
  let owner = ownerInData(model, data) ?? ownerInWhere(model, where) ?? fallbackOwner;
  if (!owner && SEALED[model].owner === "commitment") {
    owner = await commitmentOwner(vault.db, data);
  }
  if (!owner && where !== undefined) {
    const owners = await ownersOfRows(lookupClient, model, where);
    if (owners.length > 1) {
      throw new EnvelopeError(
        `A write to ${model} spans rows of different owners; private text is sealed per owner, so write them one owner at a time.`,
      );
    }
    owner = owners[0];
  }
  // Nothing matches: the write itself fails or changes nothing; leave it to say so.
  if (!owner) {
    if (where !== undefined) return data;
    throw new EnvelopeError(`A new ${model} row names no owner to seal its private text with.`);
  }
  return sealFields(model, data, owner, await keyFor(vault, owner));
}

/** `args` with every private column of a write sealed under its owner's key. */
export async function sealArgs(
  vault: Vault,
  lookupClient: unknown,
  model: string | undefined,
  operation: string,
  args: unknown,
): Promise<unknown> {
  if (!isSealedModel(model)) return args;
  const a = (args ?? {}) as Rec;
  refuseSqlOnSealed(model, a);
  if (!WRITES.has(operation)) return args;
  if (operation === "upsert") {
    const create = await sealOne(vault, lookupClient, model, a.create, undefined);
    const createOwner = isRecord(a.create) ? ownerInData(model, a.create) : undefined;
    const update = await sealOne(vault, lookupClient, model, a.update, a.where, createOwner);
    return { ...a, create, update };
  }
  if (operation.startsWith("createMany")) {
    const rows = Array.isArray(a.data) ? a.data : [a.data];
    const sealed = [];
    for (const row of rows) sealed.push(await sealOne(vault, lookupClient, model, row, undefined));
    return { ...a, data: sealed };
  }
  if (operation === "create")
    return { ...a, data: await sealOne(vault, lookupClient, model, a.data, undefined) };
  return { ...a, data: await sealOne(vault, lookupClient, model, a.data, a.where ?? {}) };
}

const sealedFieldNames = (model: SealedModel) => new Set(Object.keys(SEALED[model].fields));

/** A `where` or `orderBy` on a sealed column would compare ciphertext: refused, loudly. */
function refuseSqlOnSealed(model: SealedModel, args: Rec) {
  const names = sealedFieldNames(model);
  const check = (where: unknown) => {
    if (!isRecord(where)) return;
    for (const [key, value] of Object.entries(where)) {
      if (key === "AND" || key === "OR" || key === "NOT") {
        for (const w of Array.isArray(value) ? value : [value]) check(w);
      } else if (names.has(key) && !(value === "" || (isRecord(value) && value.not === ""))) {
        throw new EnvelopeError(`${model}.${key} is sealed: it cannot be filtered in SQL.`);
      }
    }
  };
  check(args.where);
  // Grouping or de-duplicating by ciphertext would make every value a group of its own.
  for (const key of [args.by, args.distinct].flat()) {
    if (typeof key === "string" && names.has(key)) {
      throw new EnvelopeError(`${model}.${key} is sealed: it cannot be grouped in SQL.`);
    }
  }
  for (const order of Array.isArray(args.orderBy) ? args.orderBy : [args.orderBy]) {
    if (!isRecord(order)) continue;
    for (const key of Object.keys(order)) {
      if (names.has(key)) {
        throw new EnvelopeError(`${model}.${key} is sealed: it cannot be ordered in SQL.`);
      }
    }
  }
}

type Hole = { parent: Rec | unknown[]; key: string | number; text: string };

function collect(value: unknown, holes: Hole[], depth: number) {
  if (depth > 64) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === "string") {
        if (isEnvelope(item)) holes.push({ parent: value, key: i, text: item });
      } else if (typeof item === "object" && item !== null) collect(item, holes, depth + 1);
    }
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const proto = Object.getPrototypeOf(value);
  // Plain objects only: Dates, Buffers, Decimals and the like hold no envelopes.
  if (proto !== Object.prototype && proto !== null) return;
  for (const key in value as Rec) {
    const item = (value as Rec)[key];
    if (typeof item === "string") {
      if (isEnvelope(item)) holes.push({ parent: value as Rec, key, text: item });
    } else if (typeof item === "object" && item !== null) collect(item, holes, depth + 1);
  }
}

/**
 * Opens every envelope inside `result` in place: one read of the vault for the owners whose keys
 * this process has not cached. A value that does not open stays as it is: its key is gone (a
 * deleted member's row in a restored backup: crypto-shredded, as intended), or it only looks like
 * an envelope (text someone typed into a column that is not sealed). Neither must break a page.
 * A master key that is missing or wrong still throws, from the vault: that is configuration.
 */
export async function openResult<T>(vault: Vault, result: T): Promise<T> {
  if (typeof result === "string") {
    if (!isEnvelope(result)) return result;
    const box = [result];
    await openResult(vault, box);
    return box[0] as T;
  }
  const holes: Hole[] = [];
  collect(result, holes, 0);
  if (holes.length === 0) return result;
  const parsed = holes.map((h) => {
    try {
      return parseEnvelope(h.text);
    } catch {
      return null;
    }
  });
  const keys = await findKeys(
    vault,
    parsed.flatMap((p) => (p ? [p.owner] : [])),
  );
  for (let i = 0; i < holes.length; i++) {
    const hole = holes[i] as Hole;
    const envelope = parsed[i];
    const key = envelope ? keys.get(envelope.owner) : undefined;
    if (!envelope || !key) continue;
    let plain: string;
    try {
      plain = openWith(key, envelope);
    } catch {
      continue;
    }
    const value = envelope.kind === "j" ? JSON.parse(plain) : plain;
    (hole.parent as Record<string | number, unknown>)[hole.key] = value;
  }
  return result;
}
