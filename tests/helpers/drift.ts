import { readFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import wasm from "@prisma/prisma-schema-wasm";
import pg from "pg";

/**
 * Schema drift check: compares what prisma/schema.prisma says (its DMMF) with what the database
 * catalog holds, the way `prisma migrate diff` would if its engine could run here. Every
 * difference becomes one readable line, in both directions (missing and extra).
 * Only schema `public` is read (pg-boss lives in `pgboss`), and `_prisma_migrations` is ignored.
 */

// --- DMMF: only the parts the comparison needs -------------------------------------------

export type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  isUpdatedAt?: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
};
export type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
export type DmmfEnum = {
  name: string;
  dbName: string | null;
  values: { name: string; dbName: string | null }[];
};
export type DmmfIndex = {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  fields: { name: string; sortOrder?: "asc" | "desc" }[];
};
export type Dmmf = {
  datamodel: { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };
};

export async function readDmmf(schemaPath: string): Promise<Dmmf> {
  const prismaSchema = await readFile(schemaPath, "utf8");
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema }))) as Dmmf;
}

// --- Catalog ---------------------------------------------------------------------------------

export type CatalogColumn = {
  type: string; // format_type() output without quotes, e.g. "timestamp(3) without time zone", "Role[]"
  nullable: boolean;
  default: string | null; // the default expression as Postgres prints it
  value?: unknown; // a constant default evaluated to JSON, for comparing literals
};
export type CatalogIndex = {
  name: string;
  table: string;
  columns: string[]; // key columns in order, " DESC" appended where descending
  unique: boolean;
  primary: boolean;
  partial: boolean;
};
export type CatalogForeignKey = {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: string; // "CASCADE", "SET NULL", ...
  onUpdate: string;
};
export type Catalog = {
  tables: Record<string, Record<string, CatalogColumn>>;
  enums: Record<string, string[]>;
  indexes: CatalogIndex[];
  foreignKeys: CatalogForeignKey[];
};

const ACTIONS: Record<string, string> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

// Defaults that are not constants: evaluating them would give a fresh value each time.
const SEQUENCE_DEFAULT = /^nextval\(/i;
const NOW_DEFAULT = /^(CURRENT_TIMESTAMP|now\(\))$/i;

/** Reads the `public` schema. Accepts a client so a test can read inside its own transaction. */
export async function readCatalog(connection: string | pg.ClientBase): Promise<Catalog> {
  if (typeof connection !== "string") return readWith(connection);
  const client = new pg.Client({ connectionString: connection });
  await client.connect();
  try {
    return await readWith(client);
  } finally {
    await client.end();
  }
}

async function readWith(client: pg.ClientBase): Promise<Catalog> {
  const inPublic = `n.nspname = 'public' AND c.relname <> '_prisma_migrations'`;
  const tables = await client.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND ${inPublic}`,
  );
  const columns = await client.query<{
    table: string;
    column: string;
    type: string;
    nullable: boolean;
    default: string | null;
  }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND ${inPublic}
     ORDER BY c.relname, a.attnum`,
  );
  const enums = await client.query<{ name: string; labels: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' GROUP BY t.typname`,
  );
  // indkey is an int2vector (0-based); an expression column has attnum 0, so it is printed
  // with pg_get_indexdef instead of a name. Only key columns count (not INCLUDE ones).
  const indexes = await client.query<CatalogIndex>(
    `SELECT ic.relname AS name, c.relname AS table, i.indisunique AS unique,
            i.indisprimary AS primary, i.indpred IS NOT NULL AS partial,
            ARRAY(SELECT coalesce(a.attname::text, pg_get_indexdef(i.indexrelid, s.n, true))
                         || CASE WHEN pg_index_column_has_property(i.indexrelid, s.n, 'desc')
                                 THEN ' DESC' ELSE '' END
                  FROM generate_series(1, i.indnkeyatts) AS s(n)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[s.n - 1]
                  ORDER BY s.n) AS columns
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE ${inPublic}`,
  );
  const keyColumns = (key: string, rel: string) =>
    `ARRAY(SELECT a.attname::text FROM unnest(con.${key}) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = con.${rel} AND a.attnum = k.attnum ORDER BY k.ord)`;
  const fks = await client.query<CatalogForeignKey>(
    `SELECT con.conname AS name, c.relname AS table, r.relname AS "refTable",
            ${keyColumns("conkey", "conrelid")} AS columns,
            ${keyColumns("confkey", "confrelid")} AS "refColumns",
            con.confdeltype AS "onDelete", con.confupdtype AS "onUpdate"
     FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
     JOIN pg_class r ON r.oid = con.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE con.contype = 'f' AND ${inPublic}`,
  );

  const catalog: Catalog = {
    tables: Object.fromEntries(tables.rows.map((t) => [t.table, {}])),
    enums: Object.fromEntries(enums.rows.map((e) => [e.name, e.labels])),
    indexes: indexes.rows,
    foreignKeys: fks.rows.map((fk) => ({
      ...fk,
      onDelete: ACTIONS[fk.onDelete] ?? fk.onDelete,
      onUpdate: ACTIONS[fk.onUpdate] ?? fk.onUpdate,
    })),
  };
  for (const col of columns.rows) {
    const entry: CatalogColumn = {
      // Enum types print quoted (and schema-qualified off the search_path): keep the bare name.
      type: col.type.replace(/^public\./, "").replaceAll('"', ""),
      nullable: col.nullable,
      default: col.default,
    };
    if (col.default && !SEQUENCE_DEFAULT.test(col.default) && !NOW_DEFAULT.test(col.default)) {
      // Evaluating the constant normalises it ('UTC'::text, '{}'::jsonb, ARRAY[...]) to a value
      // that compares directly with the schema's literal.
      try {
        const { rows } = await client.query(`SELECT to_jsonb(${col.default}) AS v`);
        entry.value = rows[0]?.v;
      } catch {
        // Not a constant Postgres can evaluate here (e.g. references a column): leave it raw.
      }
    }
    const table = catalog.tables[col.table];
    if (table) table[col.column] = entry;
  }
  return catalog;
}

// --- Comparison --------------------------------------------------------------------------------

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Bytes: "bytea",
};

// @db.* attributes, rendered as format_type() prints them.
const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Text: () => "text",
  VarChar: (a) => (a.length ? `character varying(${a[0]})` : "character varying"),
  Char: (a) => `character(${a[0] ?? 1})`,
  Uuid: () => "uuid",
  Citext: () => "citext",
  Inet: () => "inet",
  Xml: () => "xml",
  SmallInt: () => "smallint",
  Integer: () => "integer",
  BigInt: () => "bigint",
  Oid: () => "oid",
  Real: () => "real",
  DoublePrecision: () => "double precision",
  Decimal: (a) => (a.length ? `numeric(${a.join(",")})` : "numeric"),
  Money: () => "money",
  Boolean: () => "boolean",
  Date: () => "date",
  Timestamp: (a) => `timestamp${a.length ? `(${a[0]})` : ""} without time zone`,
  Timestamptz: (a) => `timestamp${a.length ? `(${a[0]})` : ""} with time zone`,
  Time: (a) => `time${a.length ? `(${a[0]})` : ""} without time zone`,
  Timetz: (a) => `time${a.length ? `(${a[0]})` : ""} with time zone`,
  Json: () => "json",
  JsonB: () => "jsonb",
  ByteA: () => "bytea",
};

// Prisma's default constraint names: "<table>_<columns>_<suffix>", cut to Postgres' 63 bytes.
function prismaName(table: string, columns: string[], suffix: string): string {
  const base = [table, ...columns].join("_");
  return `${base.slice(0, 63 - suffix.length - 1)}_${suffix}`;
}

const ACTION_SQL: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

type ExpectedDefault =
  | { kind: "none" }
  | { kind: "sequence" }
  | { kind: "now" }
  | { kind: "any"; label: string }
  | { kind: "value"; value: unknown };

function expectedDefault(field: DmmfField): ExpectedDefault {
  if (!field.hasDefaultValue || field.isUpdatedAt) return { kind: "none" };
  const d = field.default;
  if (d && typeof d === "object" && !Array.isArray(d) && "name" in d) {
    const fn = String(d.name);
    if (fn === "autoincrement" || fn === "sequence") return { kind: "sequence" };
    if (fn === "now") return { kind: "now" };
    // Generated by the Prisma client, never by the database.
    if (["cuid", "uuid", "nanoid", "ulid"].includes(fn)) return { kind: "none" };
    // dbgenerated(expr): Postgres rewrites the expression (casts, spacing), so only its
    // presence is checked.
    return { kind: "any", label: `${fn}()` };
  }
  return { kind: "value", value: d };
}

function sameValue(
  field: DmmfField,
  enums: Map<string, DmmfEnum>,
  want: unknown,
  got: unknown,
): boolean {
  if (Array.isArray(want)) {
    return (
      Array.isArray(got) &&
      got.length === want.length &&
      want.every((w, i) => sameValue(field, enums, w, got[i]))
    );
  }
  if (field.kind === "enum") {
    const value = enums.get(field.type)?.values.find((v) => v.name === want);
    return got === (value?.dbName ?? want);
  }
  switch (field.type) {
    case "Json":
      try {
        return isDeepStrictEqual(JSON.parse(String(want)), got);
      } catch {
        return false;
      }
    case "Int":
    case "BigInt":
    case "Float":
    case "Decimal":
      return Number(want) === Number(got);
    case "DateTime": {
      // to_jsonb(timestamp) has no zone; the column holds UTC as Prisma writes it.
      const text = String(got);
      return (
        Date.parse(String(want)) ===
        Date.parse(/(Z|[+-]\d\d(:\d\d)?)$/.test(text) ? text : `${text}Z`)
      );
    }
    default:
      return String(want) === String(got);
  }
}

function describeDefault(d: ExpectedDefault): string {
  if (d.kind === "sequence") return "autoincrement()";
  if (d.kind === "now") return "now()";
  if (d.kind === "any") return d.label;
  return JSON.stringify(d.kind === "value" ? d.value : null);
}

const q = (name: string) => `"${name}"`;
const cols = (names: string[]) =>
  `(${names.map((n) => (n.endsWith(" DESC") ? `${q(n.slice(0, -5))} DESC` : q(n))).join(", ")})`;

export function findDrift(dmmf: Dmmf, catalog: Catalog): string[] {
  const drift: string[] = [];
  const { models, enums, indexes } = dmmf.datamodel;
  const enumByName = new Map(enums.map((e) => [e.name, e]));
  const modelByName = new Map(models.map((m) => [m.name, m]));
  const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
  const columnOf = (m: DmmfModel, fieldName: string) => {
    const f = m.fields.find((x) => x.name === fieldName);
    return f?.dbName ?? fieldName;
  };

  // Enums and their values.
  const wantEnums = new Map(
    enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]),
  );
  for (const [name, values] of wantEnums) {
    const got = catalog.enums[name];
    if (!got) {
      drift.push(`enum ${q(name)}: missing in database`);
      continue;
    }
    for (const v of values)
      if (!got.includes(v)) drift.push(`enum ${q(name)}: value ${q(v)} missing in database`);
    for (const v of got)
      if (!values.includes(v))
        drift.push(`enum ${q(name)}: value ${q(v)} in database, not in schema`);
  }
  for (const name of Object.keys(catalog.enums))
    if (!wantEnums.has(name)) drift.push(`enum ${q(name)}: in database, not in schema`);

  // Tables and columns.
  const modelTables = new Set(models.map(tableOf));
  for (const model of models) {
    const table = tableOf(model);
    const got = catalog.tables[table];
    if (!got) {
      drift.push(`table ${q(table)}: missing in database`);
      continue;
    }
    const scalars = model.fields.filter((f) => f.kind !== "object");
    const wanted = new Set(scalars.map((f) => f.dbName ?? f.name));
    for (const field of scalars) {
      const column = field.dbName ?? field.name;
      const where = `column ${q(table)}.${q(column)}`;
      const actual = got[column];
      if (!actual) {
        drift.push(`${where}: missing in database`);
        continue;
      }
      if (field.kind !== "unsupported") {
        const base =
          field.kind === "enum"
            ? (enumByName.get(field.type)?.dbName ?? field.type)
            : field.nativeType
              ? (NATIVE_TYPES[field.nativeType[0]]?.(field.nativeType[1]) ?? field.nativeType[0])
              : (SCALAR_TYPES[field.type] ?? field.type);
        const type = field.isList ? `${base}[]` : base;
        if (actual.type !== type)
          drift.push(`${where}: type is ${actual.type}, schema expects ${type}`);
      }
      const want = expectedDefault(field);
      // What Prisma Migrate creates: list columns without NOT NULL even when required
      // (prisma/orm#13880), and autoincrement as SERIAL, which is NOT NULL even when optional.
      const nullable = field.isList || (!field.isRequired && want.kind !== "sequence");
      if (actual.nullable !== nullable) {
        drift.push(
          `${where}: ${actual.nullable ? "nullable" : "NOT NULL"} in database, schema expects ${nullable ? "nullable" : "NOT NULL"}`,
        );
      }
      if (want.kind === "none") {
        if (actual.default !== null)
          drift.push(`${where}: has default ${actual.default} in database, schema expects none`);
      } else if (actual.default === null) {
        drift.push(`${where}: has no default in database, schema expects ${describeDefault(want)}`);
      } else if (
        (want.kind === "sequence" && !SEQUENCE_DEFAULT.test(actual.default)) ||
        (want.kind === "now" && !NOW_DEFAULT.test(actual.default)) ||
        (want.kind === "value" && !sameValue(field, enumByName, want.value, actual.value))
      ) {
        drift.push(
          `${where}: default is ${actual.default} in database, schema expects ${describeDefault(want)}`,
        );
      }
    }
    for (const column of Object.keys(got))
      if (!wanted.has(column))
        drift.push(`column ${q(table)}.${q(column)}: in database, not in schema`);
  }
  for (const table of Object.keys(catalog.tables))
    if (!modelTables.has(table)) drift.push(`table ${q(table)}: in database, not in schema`);

  // Primary keys, unique indexes and plain indexes, matched by name. Tables that are missing
  // or extra are reported above; their indexes and keys would only repeat that.
  const present = (table: string) => modelTables.has(table) && table in catalog.tables;
  const label = (i: { primary: boolean; unique: boolean }) =>
    i.primary ? "primary key" : i.unique ? "unique index" : "index";
  const wantIndexes = new Map<string, CatalogIndex>();
  for (const idx of indexes) {
    const model = modelByName.get(idx.model);
    if (!model || idx.type === "fulltext") continue; // fulltext is MySQL-only
    const table = tableOf(model);
    const columns = idx.fields.map(
      (f) => columnOf(model, f.name) + (f.sortOrder === "desc" ? " DESC" : ""),
    );
    const suffix = { id: "pkey", unique: "key", normal: "idx" }[idx.type];
    const name =
      idx.dbName ??
      prismaName(
        table,
        idx.type === "id" ? [] : columns.map((c) => c.replace(/ DESC$/, "")),
        suffix,
      );
    wantIndexes.set(name, {
      name,
      table,
      columns,
      unique: idx.type !== "normal",
      primary: idx.type === "id",
      partial: false,
    });
  }
  const gotIndexes = new Map(
    catalog.indexes.filter((i) => present(i.table)).map((i) => [i.name, i]),
  );
  for (const [name, want] of wantIndexes) {
    if (!present(want.table)) continue;
    const where = `${label(want)} ${q(name)} on ${q(want.table)}${cols(want.columns)}`;
    const got = gotIndexes.get(name);
    if (!got) {
      drift.push(`${where}: missing in database`);
      continue;
    }
    if (got.table !== want.table || !isDeepStrictEqual(got.columns, want.columns))
      drift.push(`${where}: is on ${q(got.table)}${cols(got.columns)} in database`);
    if (got.primary !== want.primary)
      drift.push(`${where}: ${got.primary ? "is" : "is not"} the primary key in database`);
    else if (got.unique !== want.unique)
      drift.push(`${where}: ${got.unique ? "unique" : "not unique"} in database`);
    if (got.partial) drift.push(`${where}: is partial (has a WHERE clause) in database`);
  }
  for (const [name, got] of gotIndexes)
    if (!wantIndexes.has(name))
      drift.push(
        `${label(got)} ${q(name)} on ${q(got.table)}${cols(got.columns)}: in database, not in schema`,
      );

  // Foreign keys, matched by table and columns. The DMMF does not carry @relation(map:), so the
  // expected name is always Prisma's default (this schema uses no custom FK names).
  const wantFks: CatalogForeignKey[] = [];
  for (const model of models) {
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const target = modelByName.get(field.type);
      if (!target) continue;
      const table = tableOf(model);
      const columns = field.relationFromFields.map((f) => columnOf(model, f));
      wantFks.push({
        name: prismaName(table, columns, "fkey"),
        table,
        columns,
        refTable: tableOf(target),
        refColumns: (field.relationToFields ?? []).map((f) => columnOf(target, f)),
        // Prisma's defaults: an optional relation nulls the reference, a required one blocks.
        onDelete:
          ACTION_SQL[field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull")] ?? "?",
        onUpdate: ACTION_SQL[field.relationOnUpdate ?? "Cascade"] ?? "?",
      });
    }
  }
  const fkKey = (fk: { table: string; columns: string[] }) =>
    `${fk.table}(${fk.columns.join(",")})`;
  const gotFks = new Map(
    catalog.foreignKeys.filter((fk) => present(fk.table)).map((fk) => [fkKey(fk), fk]),
  );
  for (const want of wantFks) {
    if (!present(want.table)) continue;
    const where = `foreign key ${q(want.name)} on ${q(want.table)}${cols(want.columns)}`;
    const got = gotFks.get(fkKey(want));
    if (!got) {
      drift.push(`${where}: missing in database`);
      continue;
    }
    if (got.name !== want.name) drift.push(`${where}: is named ${q(got.name)} in database`);
    if (got.refTable !== want.refTable || !isDeepStrictEqual(got.refColumns, want.refColumns))
      drift.push(
        `${where}: references ${q(got.refTable)}${cols(got.refColumns)} in database, schema expects ${q(want.refTable)}${cols(want.refColumns)}`,
      );
    if (got.onDelete !== want.onDelete)
      drift.push(
        `${where}: ON DELETE ${got.onDelete} in database, schema expects ${want.onDelete}`,
      );
    if (got.onUpdate !== want.onUpdate)
      drift.push(
        `${where}: ON UPDATE ${got.onUpdate} in database, schema expects ${want.onUpdate}`,
      );
  }
  const wantFkKeys = new Set(wantFks.map(fkKey));
  for (const [key, got] of gotFks)
    if (!wantFkKeys.has(key))
      drift.push(
        `foreign key ${q(got.name)} on ${q(got.table)}${cols(got.columns)}: in database, not in schema`,
      );

  return drift;
}
