import type { PrismaClient } from "@/generated/prisma/client";
import { type EnvelopeKind, memberOwner, programOwner, sealWith } from "./envelope";
import { SEALED, type SealedModel } from "./sealing";
import { findKeys, keyFor, type Vault } from "./vault";

type Raw = Pick<PrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

/** How each sealed table finds the owner of a row in SQL. */
const OWNER_SQL: Record<SealedModel, { owner: string; join: string; scope: "m" | "p" }> = {
  AnswerPass: { owner: `t."userId"`, join: "", scope: "m" },
  AnswerDraft: { owner: `t."userId"`, join: "", scope: "m" },
  Person: { owner: `t."userId"`, join: "", scope: "m" },
  ReachOut: { owner: `t."userId"`, join: "", scope: "m" },
  Commitment: { owner: `t."userId"`, join: "", scope: "m" },
  PracticeTick: { owner: `t."userId"`, join: "", scope: "m" },
  CommitmentCheckIn: {
    owner: `c."userId"`,
    join: `JOIN "Commitment" c ON c.id = t."commitmentId"`,
    scope: "m",
  },
  Share: { owner: `t."programId"`, join: "", scope: "p" },
};

/** SQL true when `column` still holds plain text (not empty, not an envelope). */
function plainSql(column: string, kind: EnvelopeKind): string {
  return kind === "j"
    ? `(jsonb_typeof(t."${column}") <> 'string' OR left(t."${column}" #>> '{}', 4) <> 'kx1:')`
    : `(t."${column}" <> '' AND left(t."${column}", 4) <> 'kx1:')`;
}

export type BackfillProgress = { table: string; sealed: number };

/**
 * Seals the private text written before encryption at rest (or inserted by SQL that bypassed the
 * application): each table a batch at a time, each batch one UPDATE, selected by "still plain",
 * so an interrupted run carries on where it stopped. Reads keep working meanwhile: a plain value
 * is returned as it is.
 */
export async function sealPlainRows(
  db: Raw,
  options: { batch?: number; onBatch?: (p: BackfillProgress) => void } = {},
): Promise<Record<string, number>> {
  const batch = options.batch ?? 500;
  const vault: Vault = { db, cache: true };
  const totals: Record<string, number> = {};
  for (const model of Object.keys(SEALED) as SealedModel[]) {
    const fields = Object.entries(SEALED[model].fields) as [string, EnvelopeKind][];
    const how = OWNER_SQL[model];
    totals[model] = 0;
    for (;;) {
      const rows = await db.$queryRawUnsafe<Record<string, string | null>[]>(
        `SELECT t.id, ${how.owner} AS owner,
                ${fields.map(([f, k]) => `CASE WHEN ${plainSql(f, k)} THEN t."${f}"::text END AS "${f}"`).join(", ")}
           FROM "${model}" t ${how.join}
          WHERE ${fields.map(([f, k]) => plainSql(f, k)).join(" OR ")}
          ORDER BY t.id LIMIT ${batch}`,
      );
      if (rows.length === 0) break;
      const owners = rows.map((r) =>
        how.scope === "m" ? memberOwner(r.owner as string) : programOwner(r.owner as string),
      );
      const keys = await findKeys(vault, owners);
      for (const owner of new Set(owners)) {
        if (!keys.has(owner)) keys.set(owner, await keyFor(vault, owner));
      }
      const columns: (string | null)[][] = fields.map(([field, kind]) =>
        rows.map((r, i) => {
          const plain = r[field];
          if (plain === null || plain === undefined) return null;
          const owner = owners[i] as string;
          return sealWith(keys.get(owner) as Buffer, owner, kind, plain);
        }),
      );
      const sets = fields
        .map(([f, k], i) =>
          k === "j"
            ? `"${f}" = COALESCE(to_jsonb(x.c${i}), t."${f}")`
            : `"${f}" = COALESCE(x.c${i}, t."${f}")`,
        )
        .join(", ");
      await db.$executeRawUnsafe(
        `UPDATE "${model}" t SET ${sets}
           FROM unnest($1::text[], ${fields.map((_, i) => `$${i + 2}::text[]`).join(", ")})
             AS x(id, ${fields.map((_, i) => `c${i}`).join(", ")})
          WHERE t.id = x.id`,
        rows.map((r) => r.id),
        ...columns,
      );
      totals[model] += rows.length;
      options.onBatch?.({ table: model, sealed: totals[model] });
    }
  }
  return totals;
}

/** How many rows of each sealed table still hold plain text. */
export async function countPlainRows(db: Raw): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const model of Object.keys(SEALED) as SealedModel[]) {
    const fields = Object.entries(SEALED[model].fields) as [string, EnvelopeKind][];
    const rows = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${model}" t WHERE ${fields.map(([f, k]) => plainSql(f, k)).join(" OR ")}`,
    );
    out[model] = rows[0]?.n ?? 0;
  }
  return out;
}
