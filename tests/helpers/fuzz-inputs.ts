import superjson from "superjson";
import { z } from "zod";

/**
 * Malformed inputs for one procedure, derived from its input schema (zod's JSON Schema of it):
 * a valid-looking skeleton, then one part at a time replaced by a value the schema cannot
 * accept, then whole-input garbage. Every input is invalid by construction — the value alone is
 * refused wherever it stands, whatever the rest of the input — so a fuzz run that changes data
 * has found a bug, not a valid call.
 */

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
};

/** An envelope written by hand (raw superjson text), for what no serializer would produce. */
export class RawEnvelope {
  constructor(readonly text: string) {}
}

export type FuzzInput = {
  /** Where the bad value sits and what it is, for failure reports. */
  label: string;
  value: unknown;
  /** Too big to share a request (a 2 MB string): sent alone. */
  solo?: boolean;
};

type Path = (string | number)[];
export type IdFor = (field: string) => string | undefined;

export function inputSchema(parser: unknown): JsonSchema | null {
  if (!parser) return null;
  return z.toJSONSchema(parser as z.ZodType, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

// ─── Characters and values that no input accepts ────────────────────────────────────────

/** Controls that are refused even in multi-line text (which allows tab, LF and CR). */
export const CONTROLS = [
  ...Array.from({ length: 0x20 }, (_, c) => c).filter(
    (c) => c !== 0x09 && c !== 0x0a && c !== 0x0d,
  ),
  0x7f,
].map((c) => String.fromCharCode(c));

/** Halves of surrogate pairs on their own. */
export const LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00"];

export const TWO_MB = 2 * 1024 * 1024;

/** Values superjson carries that JSON has no word for: no input schema of ours takes them. */
const exotic = (): [string, unknown][] => [
  ["a Date", new Date(0)],
  ["a BigInt", 12345678901234567890n],
  ["a Map", new Map([["k", "v"]])],
  ["a Set", new Set(["v"])],
  ["a RegExp", /x/g],
];

/** An object with an own key JavaScript treats specially (as JSON.parse would build it). */
function withOwnKey(base: Record<string, unknown>, key: string, value: unknown) {
  const out: Record<string, unknown> = { ...base };
  Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
  return out;
}

function nestedArrays(depth: number, leaf: unknown = "x"): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function nestedObjects(depth: number, leaf: unknown = "x"): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

// Beyond the input shape check (32 levels) wherever it is placed.
const TOO_DEEP = 40;

// ─── Reading a schema ────────────────────────────────────────────────────────────────────

type Kind = "string" | "integer" | "number" | "boolean" | "null" | "array" | "object";

/** The JSON types a schema admits; null for "anything" (`{}`). */
function kinds(schema: JsonSchema): Set<Kind> | null {
  if (schema.anyOf) {
    const out = new Set<Kind>();
    for (const branch of schema.anyOf) {
      const k = kinds(branch);
      if (!k) return null;
      for (const x of k) out.add(x);
    }
    return out;
  }
  const values = schema.enum ?? ("const" in schema ? [schema.const] : undefined);
  if (values) {
    return new Set(values.map((v) => (v === null ? "null" : (typeof v as Kind))));
  }
  if (!schema.type) return null;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const out = new Set(types as Kind[]);
  if (out.has("integer")) out.add("number");
  return out;
}

/** The branch that is not null (`.nullable()` fields are anyOf [T, null]). */
function main(schema: JsonSchema): JsonSchema {
  return schema.anyOf?.find((b) => b.type !== "null") ?? schema;
}

function isFreeForm(schema: JsonSchema): boolean {
  const m = main(schema);
  return kinds(m) === null || (m.type === "object" && !m.properties);
}

// A day a week ahead: due dates must not lie in the past.
const SOON = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
const STRING_SAMPLES = [
  "fuzz",
  SOON,
  "be-open",
  "0",
  "/app",
  `/api/uploads/${"a".repeat(32)}.png`,
  "fuzz@example.org",
];
const BY_NAME: Record<string, string> = {
  timeZone: "Europe/Paris",
  email: "fuzz@example.org",
  slug: "fuzz-program",
};

/** A value the schema likely accepts, using real ids where the field names one. */
export function sample(schema: JsonSchema, name: string, idFor: IdFor): unknown {
  if ("const" in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(main(schema), name, idFor);
  switch (main(schema).type) {
    case "string": {
      const id = idFor(name);
      if (id) return id;
      if (BY_NAME[name]) return BY_NAME[name];
      const pattern = schema.pattern ? new RegExp(schema.pattern) : null;
      const fits = STRING_SAMPLES.find((s) => !pattern || pattern.test(s));
      return fits ?? "x".repeat(Math.max(schema.minLength ?? 1, 1));
    }
    case "integer":
    case "number":
      return schema.minimum ?? 0;
    case "boolean":
      return true;
    case "array": {
      const count = Math.max(schema.minItems ?? 0, schema.maxItems === 0 ? 0 : 1);
      return Array.from({ length: count }, () =>
        schema.items ? sample(schema.items, name, idFor) : "x",
      );
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        out[key] = sample(sub, key, idFor);
      }
      return out;
    }
    default:
      return {};
  }
}

// ─── Bad values for one part ─────────────────────────────────────────────────────────────

/** Of `candidates`, those whose JSON type the schema does not admit at all. */
function wrongTypes(schema: JsonSchema, base: unknown): [string, unknown][] {
  const allowed = kinds(schema);
  if (!allowed) return [];
  const candidates: [string, Kind, unknown][] = [
    ["null", "null", null],
    ["true", "boolean", true],
    ["false", "boolean", false],
    ["0", "number", 0],
    ["-1", "number", -1],
    ["1.5", "number", 1.5],
    ['"1"', "string", "1"],
    ['""', "string", ""],
    ["an empty array", "array", []],
    ["an array of it", "array", [base]],
    ["an empty object", "object", {}],
    ["an object holding it", "object", { value: base }],
  ];
  return candidates.filter(([, kind]) => !allowed.has(kind)).map(([label, , v]) => [label, v]);
}

function badStrings(schema: JsonSchema, base: string): [string, unknown][] {
  const out: [string, unknown][] = [];
  const b = base || "x";
  const code = (c: string) => `U+${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`;
  // Each character once, in turn alone, at the end, at the start and inside (a trim must not
  // turn a refused character at an edge into a valid value).
  const placed = (c: string, i: number): [string, string] =>
    [
      [`${code(c)} alone`, c],
      [`${code(c)} at the end`, `${b}${c}`],
      [`${code(c)} at the start`, `${c}${b}`],
      [`${code(c)} inside`, `${b.slice(0, 1)}${c}${b.slice(1)}`],
    ][i % 4] as [string, string];
  out.push(...CONTROLS.map(placed));
  out.push(...LONE_SURROGATES.map(placed));
  out.push(["a reversed surrogate pair", `${b}\ude00\ud83d`]);
  if (schema.maxLength !== undefined) {
    out.push([`${schema.maxLength + 1} characters`, "x".repeat(schema.maxLength + 1)]);
  }
  return out;
}

function badNumbers(schema: JsonSchema): [string, unknown][] {
  const integer = main(schema).type === "integer";
  const min = schema.minimum ?? Number.NEGATIVE_INFINITY;
  const max = schema.maximum ?? Number.POSITIVE_INFINITY;
  const candidates: [string, number][] = [
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["0.5", 0.5],
    ["1.5", 1.5],
    ["-0.5", -0.5],
    ["-1", -1],
    ["2^31", 2 ** 31],
    ["-2^31 - 1", -(2 ** 31) - 1],
    ["2^32", 2 ** 32],
    ["2^53", 2 ** 53],
    ["2^53 + 2", 2 ** 53 + 2],
    ["-2^53", -(2 ** 53)],
    ["1e21", 1e21],
    ["1e308", 1e308],
    ["-1e308", -1e308],
    ["5e-324", Number.MIN_VALUE],
    ["minimum - 1", min - 1],
    ["maximum + 1", max + 1],
    ["minimum - 0.5", min - 0.5],
    ["maximum + 0.5", max + 0.5],
  ];
  const accepted = (v: number) => (!integer || Number.isInteger(v)) && v >= min && v <= max;
  return candidates.filter(([, v]) => !accepted(v));
}

function badArrays(schema: JsonSchema, base: unknown[]): [string, unknown][] {
  const out: [string, unknown][] = [
    ["an object with array-like keys", { 0: base[0] ?? "x", length: 1 }],
    [`arrays ${TOO_DEEP} deep`, nestedArrays(TOO_DEEP)],
  ];
  if (schema.maxItems !== undefined && schema.maxItems < 5000) {
    out.push([`${schema.maxItems + 1} items`, Array(schema.maxItems + 1).fill(base[0] ?? "x")]);
  }
  return out;
}

function badObjects(base: Record<string, unknown>): [string, unknown][] {
  return [
    ["an own __proto__ key", withOwnKey(base, "__proto__", { role: "ADMIN", isAdmin: true })],
    ["an own __proto__ array", withOwnKey(base, "__proto__", [])],
    ["a constructor.prototype key", { ...base, constructor: { prototype: { isAdmin: true } } }],
    ["a constructor key", { ...base, constructor: "x" }],
    ["a prototype key", { ...base, prototype: { isAdmin: true } }],
    [`an extra key ${TOO_DEEP} levels deep`, { ...base, deep: nestedObjects(TOO_DEEP) }],
    [`objects ${TOO_DEEP} deep`, nestedObjects(TOO_DEEP)],
  ];
}

/** Values no free-form JSON part accepts (see jsonProblem in src/lib/input.ts). */
function badJson(): [string, unknown][] {
  const inObject = (label: string, v: unknown): [string, unknown] => [`{k: ${label}}`, { k: v }];
  const out: [string, unknown][] = [
    inObject("NUL", "a\u0000b"),
    inObject("U+0007", "\u0007"),
    inObject("lone U+D800", "\ud800"),
    inObject("lone U+DFFF", "x\udfff"),
    inObject("NaN", Number.NaN),
    inObject("Infinity", Number.POSITIVE_INFINITY),
    inObject("-Infinity", Number.NEGATIVE_INFINITY),
    inObject("a BigInt", 1n),
    inObject("a Date", new Date(0)),
    inObject("a Map", new Map()),
    inObject("a Set", new Set([1])),
    inObject("[NaN]", [Number.NaN]),
    inObject("[1, NUL]", [1, "\u0000"]),
    inObject("{j: U+001B}", { j: "\u001b" }),
    inObject("25 levels", nestedArrays(25)),
    inObject(`${TOO_DEEP} levels`, nestedObjects(TOO_DEEP)),
    inObject("250,000 characters", "x".repeat(250_000)),
    ["a NUL key", { "\u0000": "x" }],
    ["a key with U+0001", { "a\u0001": 1 }],
    ["a key with a lone surrogate", { "k\ud800": 1 }],
    ["an own __proto__ key", withOwnKey({ k: 1 }, "__proto__", { isAdmin: true })],
    ["a constructor key", { constructor: "x" }],
    ["a prototype key", { prototype: { isAdmin: true } }],
    ["25,000 keys", Object.fromEntries(Array.from({ length: 25_000 }, (_, i) => [`k${i}`, i]))],
    ["NUL", "\u0000"],
    ["NaN", Number.NaN],
    ["a Date", new Date(0)],
  ];
  return out;
}

// ─── Walking the skeleton ────────────────────────────────────────────────────────────────

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<
    string | number,
    unknown
  >;
  copy[head!] = setAt((root as Record<string | number, unknown>)[head!], rest, value);
  return copy;
}

function omitAt(root: unknown, path: Path): unknown {
  const parent = path.slice(0, -1);
  const key = path.at(-1)!;
  const container = parent.reduce<unknown>(
    (v, k) => (v as Record<string | number, unknown>)[k],
    root,
  ) as Record<string, unknown>;
  const { [key]: _dropped, ...rest } = container;
  return setAt(root, parent, rest);
}

type Part = { path: Path; schema: JsonSchema; required: boolean };

/** Every part of the skeleton that has a schema of its own, the root first. */
function parts(schema: JsonSchema, value: unknown, path: Path = [], required = true): Part[] {
  const out: Part[] = [{ path, schema, required }];
  const m = main(schema);
  if (m.type === "object" && m.properties && value && typeof value === "object") {
    for (const [key, sub] of Object.entries(m.properties)) {
      const isRequired = (m.required ?? []).includes(key) && !isFreeForm(sub);
      out.push(...parts(sub, (value as Record<string, unknown>)[key], [...path, key], isRequired));
    }
  } else if (m.type === "array" && m.items && Array.isArray(value) && value.length) {
    out.push(...parts(m.items, value[0], [...path, 0], true));
  }
  return out;
}

function badValuesFor(part: Part, current: unknown): [string, unknown][] {
  const { schema } = part;
  if (isFreeForm(schema)) return badJson();
  const m = main(schema);
  const out: [string, unknown][] = [...wrongTypes(schema, current), ...exotic()];
  if (part.required && schema.default === undefined) out.push(["left out", undefined]);
  if (m.type === "string") out.push(...badStrings(m, typeof current === "string" ? current : ""));
  if (m.type === "integer" || m.type === "number") out.push(...badNumbers(m));
  if (m.type === "array") out.push(...badArrays(m, Array.isArray(current) ? current : []));
  if (m.type === "object" && m.properties) {
    out.push(...badObjects((current ?? {}) as Record<string, unknown>));
  }
  return out;
}

// ─── Whole inputs ────────────────────────────────────────────────────────────────────────

/** Envelopes superjson itself refuses to read, and inputs only an envelope can build. */
function badEnvelopes(skeleton: unknown): [string, RawEnvelope][] {
  const json = JSON.stringify(skeleton ?? null);
  const firstKey =
    skeleton && typeof skeleton === "object" ? Object.keys(skeleton as object)[0] : undefined;
  const at = firstKey ? JSON.stringify({ [firstKey]: ["bogus"] }) : '["bogus"]';
  return [
    [
      "an unknown superjson transformation",
      new RawEnvelope(`{"json":${json},"meta":{"values":${at}}}`),
    ],
    [
      "an unknown superjson class",
      new RawEnvelope(`{"json":${json},"meta":{"values":[["class","Evil"]]}}`),
    ],
    [
      "a superjson BigInt that is not a number",
      new RawEnvelope(`{"json":"x","meta":{"values":["bigint"]}}`),
    ],
    [
      "a superjson Error around a number",
      new RawEnvelope(`{"json":{"a":1},"meta":{"values":{"a":["Error"]}}}`),
    ],
    [
      "a __proto__ key in superjson meta",
      new RawEnvelope(`{"json":${json},"meta":{"values":{"__proto__":["undefined"]}}}`),
    ],
    [
      "a cycle built by superjson references",
      new RawEnvelope(`{"json":{"a":{"b":{}}},"meta":{"referentialEqualities":{"a":["a.b.c"]}}}`),
    ],
    ["2,000 nested arrays", new RawEnvelope(`{"json":${"[".repeat(2000)}${"]".repeat(2000)}}`)],
    [
      "a superjson meta tree 2,000 deep",
      new RawEnvelope(
        `{"json":{},"meta":{"values":${"[".repeat(2000)}"undefined"${"]".repeat(2000)}}}`,
      ),
    ],
  ];
}

function garbage(schema: JsonSchema | null, skeleton: unknown): [string, unknown][] {
  const out: [string, unknown][] = [
    ["null", null],
    ["true", true],
    ["0", 0],
    ["NaN", Number.NaN],
    ['"x"', "x"],
    ["NUL", "\u0000"],
    ["an empty array", []],
    ["an array of the input", [skeleton]],
    ...exotic(),
    [`arrays ${TOO_DEEP} deep`, nestedArrays(TOO_DEEP)],
    [`objects ${TOO_DEEP} deep`, nestedObjects(TOO_DEEP)],
    ["an own __proto__ key holding the input", withOwnKey({}, "__proto__", skeleton)],
    ...badEnvelopes(skeleton),
  ];
  // An input with a default at its root (a page number, say) may be left out, like a part's.
  if (schema && schema.default === undefined) out.push(["nothing", undefined]);
  if (schema?.required?.length) out.push(["an empty object", {}]);
  return out;
}

// ─── Random fill ─────────────────────────────────────────────────────────────────────────

/** A small deterministic PRNG, so a failure can be reproduced from the procedure's name. */
function random(seedText: string) {
  let seed = 2166136261;
  for (const ch of seedText) seed = Math.imul(seed ^ ch.charCodeAt(0), 16777619);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ["a", "Z", "7", " ", "-", "é", "ß", "中", "😀", "\n", "\t", "'", '"', "<", "%"];

/** A string of ordinary text with one to three refused characters at random places. */
function randomBadString(rand: () => number): string {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)]!;
  const chars = Array.from({ length: 1 + Math.floor(rand() * 30) }, () => pick(ALPHABET));
  const bad = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < bad; i++) {
    const c = rand() < 0.75 ? pick(CONTROLS) : pick(LONE_SURROGATES);
    chars.splice(Math.floor(rand() * (chars.length + 1)), 0, c);
  }
  // A lone high surrogate followed by a low one would pair up; a letter in between keeps it lone.
  return chars.join("").replace(/([\ud800-\udbff])([\udc00-\udfff])/g, "$1x$2");
}

// ─── Everything for one procedure ────────────────────────────────────────────────────────

export function malformedInputs(
  schema: JsonSchema | null,
  idFor: IdFor,
  options: { seed: string; atLeast: number },
): { skeleton: unknown; inputs: FuzzInput[] } {
  const skeleton = schema ? sample(schema, "", idFor) : undefined;
  const inputs: FuzzInput[] = [];
  const partList = schema ? parts(schema, skeleton) : [];
  for (const part of partList) {
    const where = part.path.length ? part.path.join(".") : "input";
    const current = part.path.reduce<unknown>(
      (v, k) => (v as Record<string | number, unknown> | undefined)?.[k],
      skeleton,
    );
    if (part.path.length === 0) continue; // the root gets `garbage` below
    for (const [label, value] of badValuesFor(part, current)) {
      inputs.push({
        label: `${where} ← ${label}`,
        value:
          value === undefined ? omitAt(skeleton, part.path) : setAt(skeleton, part.path, value),
      });
    }
  }
  for (const [label, value] of garbage(schema, skeleton)) {
    inputs.push({ label: `input ← ${label}`, value });
  }
  if (schema && main(schema).type === "object") {
    for (const [label, value] of badObjects(skeleton as Record<string, unknown>)) {
      inputs.push({ label: `input ← ${label}`, value });
    }
  }
  // The first text part (or the input itself) holding 2 MB: past the body limit.
  const firstText = partList.find((p) => main(p.schema).type === "string");
  inputs.push({
    label: `${firstText?.path.join(".") ?? "input"} ← 2 MB of text`,
    value: firstText ? setAt(skeleton, firstText.path, "x".repeat(TWO_MB)) : "x".repeat(TWO_MB),
    solo: true,
  });

  // Up to `atLeast`: random refused text in random text parts (or the input itself).
  const rand = random(options.seed);
  const textParts = partList.filter(
    (p) => main(p.schema).type === "string" || isFreeForm(p.schema),
  );
  let n = 0;
  while (inputs.length < options.atLeast) {
    const part = textParts.length ? textParts[Math.floor(rand() * textParts.length)]! : null;
    const bad = randomBadString(rand);
    const value = !part
      ? { [`k${n}`]: bad }
      : isFreeForm(part.schema)
        ? setAt(skeleton, part.path, { note: bad })
        : setAt(skeleton, part.path, bad);
    inputs.push({ label: `${part?.path.join(".") ?? "input"} ← random text #${n++}`, value });
  }
  return { skeleton, inputs };
}

// ─── On the wire ─────────────────────────────────────────────────────────────────────────

function isPlainJson(value: unknown, depth = 0): boolean {
  if (depth > 200) return true; // our own nested test values: plain all the way down
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every((v) => isPlainJson(v, depth + 1));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every((v) => v !== undefined && isPlainJson(v, depth + 1));
  }
  return false;
}

/**
 * The superjson envelope as the tRPC client sends it, as text; plain JSON goes as `{"json": …}`
 * directly, since superjson.serialize refuses to send an own `__proto__` key at all.
 */
export function envelope(value: unknown): string | undefined {
  if (value instanceof RawEnvelope) return value.text;
  if (value === undefined) return undefined;
  if (isPlainJson(value)) return JSON.stringify({ json: value });
  try {
    return JSON.stringify(superjson.serialize(value));
  } catch {
    // An own __proto__ key next to an `undefined`: plain JSON, dropping the `undefined`.
    return JSON.stringify({ json: value });
  }
}
