import { z } from "zod";

/**
 * The one boundary for everything that comes from outside: procedure inputs, query strings,
 * form fields. Every input schema builds on these, so text, numbers, ids and free-form JSON are
 * checked the same way everywhere.
 *
 * Why: PostgreSQL refuses NUL in text (a 500), refuses lone UTF-16 surrogates in JSON columns
 * and silently stores them as U+FFFD in text columns; `Int` columns overflow past 32 bits; and a
 * NUL in one of several concurrent `findUnique` calls fails all of them, because Prisma merges
 * them into one query. Refused here, such input gets a field-level message and changes nothing.
 *
 * Pure and framework-free (only zod): client code that validates forms may import it too.
 */

export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

/** Keys that mean something to JavaScript objects; refused anywhere in input. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set([
  "__proto__",
  "constructor",
  "prototype",
]);

// ─── Characters ──────────────────────────────────────────────────────────────────────────

export type CharProblem = "line-break" | "control" | "surrogate";

/**
 * The first reason `value` cannot be stored as text, or null. Multi-line text may hold tab,
 * line feed and carriage return; every other C0 control character, DEL and any UTF-16 surrogate
 * that is not half of a pair are refused. A plain loop: it runs on every string of every input.
 */
export function charProblem(value: string, multiline: boolean): CharProblem | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20) {
      const whitespace = c === 0x09 || c === 0x0a || c === 0x0d;
      if (!whitespace) return "control";
      if (!multiline) return c === 0x09 ? "control" : "line-break";
    } else if (c === 0x7f) {
      return "control";
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return "surrogate";
      i++; // a valid pair: skip its second half
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return "surrogate";
    }
  }
  return null;
}

/** "The title contains ..." — `label` names the field the way its form does. */
export function charMessage(label: string, problem: CharProblem): string {
  switch (problem) {
    case "line-break":
      return `${label} must be a single line.`;
    case "control":
      return `${label} contains an invisible control character; remove it and try again.`;
    case "surrogate":
      return `${label} contains a broken character (half of an emoji or symbol); remove it and try again.`;
  }
}

// ─── Text ────────────────────────────────────────────────────────────────────────────────

export type TextOptions = {
  /** How messages name the field, capitalised: "The title", "Your name", "A note". */
  label: string;
  /** Every text is bounded; counted in UTF-16 code units, as browsers' `maxLength` does. */
  max: number;
  /** Minimum length after trimming; 1 makes the field required. Default 0. */
  min?: number;
  /** Trim surrounding whitespace before the length checks. Default true. */
  trim?: boolean;
  /** Allow tab, line feed and carriage return (textareas). Default false. */
  multiline?: boolean;
  /** Replace the default messages (which name the field by `label`). */
  messages?: { missing?: string; type?: string; min?: string; max?: string };
};

/**
 * A string with its characters checked (before trimming, so a control character at an edge is
 * refused rather than trimmed into a valid value), then trimmed, then bounded. Returns a
 * `ZodString`, so a field may chain its own `.regex()` or `.refine()`.
 */
export function text(options: TextOptions) {
  const { label, max, min = 0, trim = true, multiline = false, messages = {} } = options;
  const missing = messages.missing ?? `${label} is missing.`;
  const type = messages.type ?? `${label} must be text.`;
  let schema = z
    .string({ error: (issue) => (issue.input === undefined ? missing : type) })
    .superRefine((value, ctx) => {
      const problem = charProblem(value, multiline);
      if (problem) ctx.addIssue({ code: "custom", message: charMessage(label, problem) });
    });
  if (trim) schema = schema.trim();
  if (min > 0) {
    schema = schema.min(
      min,
      messages.min ??
        (min === 1 ? `${label} cannot be empty.` : `${label} needs at least ${min} characters.`),
    );
  }
  return schema.max(max, messages.max ?? `${label} can be at most ${max} characters.`);
}

// ─── Ids and days ────────────────────────────────────────────────────────────────────────

export const ID_MAX = 64;
// cuid()s, and the short ids tests use; nothing that could carry a control character or a quote.
const ID_PATTERN = /^[A-Za-z0-9_-]*$/; // empty is "missing", said once by min(1)

/** A row id from outside. `label` reads like "The step"; messages are "… is missing." etc. */
export function id(label: string, messages: { missing?: string; invalid?: string } = {}) {
  const missing = messages.missing ?? `${label} is missing.`;
  const invalid = messages.invalid ?? `${label} is not valid.`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? missing : invalid) })
    .min(1, missing)
    .max(ID_MAX, invalid)
    .regex(ID_PATTERN, invalid);
}

/** A calendar day as forms send it ("2026-12-31"); it must exist (no 2026-02-30). */
export function isoDay(messages: { format?: string; exists?: string } = {}) {
  const format = messages.format ?? "Use a date like 2026-12-31.";
  return z
    .string({ error: format })
    .regex(/^\d{4}-\d{2}-\d{2}$/, format)
    .refine((v) => {
      const d = new Date(`${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
    }, messages.exists ?? "That date does not exist.");
}

// ─── Integers ────────────────────────────────────────────────────────────────────────────

export type IntegerOptions = {
  /** Bounds, clamped to the 32-bit range of PostgreSQL's `integer` (Prisma's `Int`). */
  min?: number;
  max?: number;
  messages?: { type?: string; whole?: string; min?: string; max?: string };
};

/** A whole number within 32 bits (or the tighter range given); NaN and ±Infinity are refused. */
export function integer(options: IntegerOptions = {}) {
  const min = Math.max(options.min ?? INT32_MIN, INT32_MIN);
  const max = Math.min(options.max ?? INT32_MAX, INT32_MAX);
  const m = options.messages ?? {};
  return z
    .number({ error: m.type ?? "Enter a number." })
    .int(m.whole ?? "Enter a whole number.")
    .min(min, m.min ?? `Enter ${min} or more.`)
    .max(max, m.max ?? `Enter ${max} or less.`);
}

// ─── Free-form JSON ──────────────────────────────────────────────────────────────────────

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonValue[]
  | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type JsonLimits = {
  /** Nesting of arrays and objects; the value itself is depth 0. */
  maxDepth: number;
  /** Values, keys and containers counted together. */
  maxNodes: number;
  /** Characters of every string and key together (a size bound that needs no JSON.stringify). */
  maxChars: number;
};

export const JSON_LIMITS: JsonLimits = { maxDepth: 20, maxNodes: 20_000, maxChars: 200_000 };

export type JsonProblem = { path: (string | number)[]; message: string };

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The first reason `value` is not plain, bounded JSON, or null. `undefined` is accepted as an
 * object property (it means "absent" and is dropped when stored). Iterative, and bounded by
 * depth and node count before anything else, so neither deep nesting nor a cycle (superjson can
 * build one) can overflow the stack.
 *
 * With `shapeOnly`, only the shape is checked (depth, size, forbidden keys) and leaves of any
 * type pass: that is the check every procedure input gets before its own schema runs.
 */
export function jsonProblem(
  value: unknown,
  label: string,
  limits: JsonLimits = JSON_LIMITS,
  options: { shapeOnly?: boolean } = {},
): JsonProblem | null {
  const strict = !options.shapeOnly;
  const stack: { value: unknown; path: (string | number)[]; inObject: boolean }[] = [
    { value, path: [], inObject: false },
  ];
  let nodes = 0;
  let chars = 0;
  const tooLarge = `${label} is too large.`;
  const notJson = (path: (string | number)[]) => ({
    path,
    message: `${label} holds a value that is not JSON.`,
  });
  while (stack.length) {
    const item = stack.pop()!;
    const { path } = item;
    const v = item.value;
    if (++nodes > limits.maxNodes) return { path: [], message: tooLarge };
    if (v === null || typeof v === "boolean") continue;
    if (v === undefined) {
      if (item.inObject || !strict) continue;
      return notJson(path);
    }
    if (typeof v === "number") {
      if (strict && !Number.isFinite(v)) {
        return { path, message: `${label} holds a number that is not finite.` };
      }
      continue;
    }
    if (typeof v === "string") {
      const problem = strict ? charProblem(v, true) : null;
      if (problem) return { path, message: charMessage(label, problem) };
      chars += v.length;
      if (chars > limits.maxChars) return { path: [], message: tooLarge };
      continue;
    }
    if (typeof v !== "object") {
      if (strict) return notJson(path);
      continue;
    }
    const array = Array.isArray(v) && Object.getPrototypeOf(v) === Array.prototype;
    if (!array && !isPlainObject(v)) {
      // Not JSON. Of what superjson can build, only a Date may be a part of an input; a Map, a
      // Set, a RegExp or an Error never is, and nothing may stand in for the input object itself
      // (a schema of optional fields would read a Date as an empty object).
      if (strict || !(v instanceof Date) || path.length === 0) return notJson(path);
      continue;
    }
    if (path.length >= limits.maxDepth) {
      return { path, message: `${label} is nested too deeply.` };
    }
    if (array) {
      const items = v as unknown[];
      for (let i = items.length - 1; i >= 0; i--) {
        stack.push({ value: items[i], path: [...path, i], inObject: false });
      }
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (FORBIDDEN_KEYS.has(key)) {
        // The path stops at the object: "__proto__" as a key of field errors would be lost.
        return { path, message: `${label} may not use the name “${key}”.` };
      }
      const problem = strict ? charProblem(key, false) : null;
      if (problem) return { path, message: charMessage(`A name in ${lower(label)}`, problem) };
      chars += key.length;
      if (chars > limits.maxChars) return { path: [], message: tooLarge };
      stack.push({
        value: (v as Record<string, unknown>)[key],
        path: [...path, key],
        inObject: true,
      });
    }
  }
  return null;
}

const lower = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

/**
 * Any JSON value (an exercise's config), checked by `jsonProblem`. Typed `unknown`, like the
 * `z.unknown()` it replaces: what it holds is for a more specific schema to say.
 */
export function jsonValue(label: string, limits: JsonLimits = JSON_LIMITS) {
  return z.unknown().superRefine((value, ctx) => {
    const problem = jsonProblem(value, label, limits);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
  });
}

/** A JSON object (a draft's or an answer's `content`), its fields typed `unknown` like above. */
export function jsonObject(label: string, limits: JsonLimits = JSON_LIMITS) {
  return z
    .custom<Record<string, unknown>>(
      (v) => typeof v === "object" && v !== null && !Array.isArray(v),
      {
        error: `${label} is missing.`,
        abort: true,
      },
    )
    .superRefine((value, ctx) => {
      const problem = jsonProblem(value, label, limits);
      if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
    })
    .meta({ type: "object" });
}
