import { charProblem, FORBIDDEN_KEYS } from "@/lib/input";
import { invalidRequest, missingParam } from "./errors";

/**
 * Stripe's form encoding: `a[b][0][c]=x` and `expand[]=y`, in bodies (POST) and query strings
 * (GET, DELETE). Parsed into plain nested values; objects whose keys are all indexes become arrays.
 */
export type ParamValue = string | Params | ParamValue[];
export type Params = { [key: string]: ParamValue };

const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;
const MAX_PARAMS = 1_000;
const MAX_VALUE = 5_000;

type Tree = Map<string, Tree | string>;

function checkText(value: string, label: string): void {
  if (charProblem(value, true)) {
    throw invalidRequest(
      `Invalid value for ${label}: it holds a character Stripe does not accept.`,
    );
  }
}

function toValue(node: Tree | string): ParamValue {
  if (typeof node === "string") return node;
  const keys = [...node.keys()];
  // Only 0..n-1 make an array, so `metadata[7]=x` stays a hash with key "7".
  if (keys.length > 0 && keys.every((_, i) => node.has(String(i)))) {
    return keys.map((_, i) => toValue(node.get(String(i))!));
  }
  const out: Params = {};
  for (const key of keys) out[key] = toValue(node.get(key)!);
  return out;
}

export function parseParams(search: URLSearchParams): Params {
  const root: Tree = new Map();
  let count = 0;
  for (const [rawKey, value] of search) {
    if (++count > MAX_PARAMS) throw invalidRequest("Too many parameters.");
    const match = KEY.exec(rawKey);
    if (!match) throw invalidRequest(`Invalid parameter name: ${rawKey}`);
    checkText(rawKey, "a parameter name");
    checkText(value, rawKey);
    if (value.length > MAX_VALUE) {
      throw invalidRequest(`Invalid ${rawKey}: must be at most ${MAX_VALUE} characters`, rawKey);
    }
    const segments = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node = root;
    for (const [i, raw] of segments.entries()) {
      if (FORBIDDEN_KEYS.has(raw)) throw invalidRequest(`Invalid parameter name: ${rawKey}`);
      // `expand[]=a&expand[]=b` appends, as Stripe's parser does.
      const segment = raw === "" ? String(node.size) : raw;
      const last = i === segments.length - 1;
      const existing = node.get(segment);
      if (last) {
        if (existing !== undefined && typeof existing !== "string") {
          throw invalidRequest(`Invalid parameter: ${rawKey} is given both as a value and a hash.`);
        }
        node.set(segment, value);
      } else {
        if (typeof existing === "string") {
          throw invalidRequest(`Invalid parameter: ${rawKey} is given both as a value and a hash.`);
        }
        const child: Tree = existing ?? new Map();
        node.set(segment, child);
        node = child;
      }
    }
  }
  const value = toValue(root);
  return Array.isArray(value) ? {} : (value as Params);
}

/** Refuses parameters the endpoint does not take, as Stripe does ("Received unknown parameter"). */
export function allowOnly(params: Params, allowed: readonly string[], prefix = ""): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      const name = prefix ? `${prefix}[${key}]` : key;
      throw invalidRequest(`Received unknown parameter: ${name}`, name, "parameter_unknown");
    }
  }
}

export function optionalString(params: Params, name: string, label = name): string | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") {
    throw invalidRequest(`Invalid string: ${label} must be a string`, label);
  }
  return value;
}

export function requiredString(params: Params, name: string, label = name): string {
  const value = optionalString(params, name, label);
  if (value === undefined) throw missingParam(label);
  if (value === "") {
    throw invalidRequest(
      `You passed an empty string for '${label}'. We assume empty values are an attempt to unset a parameter; however '${label}' cannot be unset. You should remove '${label}' from your request or supply a non-empty value.`,
      label,
      "parameter_invalid_empty",
    );
  }
  return value;
}

/** A string that may be "" to clear the field (Stripe's way of unsetting). */
export function nullableString(params: Params, name: string): string | null | undefined {
  const value = optionalString(params, name);
  if (value === undefined) return undefined;
  return value === "" ? null : value;
}

export function optionalInteger(
  params: Params,
  name: string,
  options: { min?: number; max?: number; label?: string } = {},
): number | undefined {
  const label = options.label ?? name;
  const raw = optionalString(params, name, label);
  if (raw === undefined) return undefined;
  if (!/^-?\d{1,15}$/.test(raw)) {
    throw invalidRequest(`Invalid integer: ${raw}`, label, "parameter_invalid_integer");
  }
  const value = Number(raw);
  if (options.min !== undefined && value < options.min) {
    throw invalidRequest(
      `This value must be greater than or equal to ${options.min}.`,
      label,
      "parameter_invalid_integer",
    );
  }
  if (options.max !== undefined && value > options.max) {
    throw invalidRequest(
      `This value must be less than or equal to ${options.max}.`,
      label,
      "parameter_invalid_integer",
    );
  }
  return value;
}

export function optionalBoolean(params: Params, name: string, label = name): boolean | undefined {
  const raw = optionalString(params, name, label);
  if (raw === undefined) return undefined;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw invalidRequest(`Invalid boolean: ${raw}`, label);
}

export function optionalHash(params: Params, name: string): Params | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (typeof value === "string" || Array.isArray(value)) {
    throw invalidRequest(`Invalid object: ${name} must be a hash`, name);
  }
  return value;
}

export function optionalList(params: Params, name: string): ParamValue[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`Invalid array: ${name} must be an array`, name);
  return value;
}

export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  label: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidRequest(
      `Invalid ${label}: must be one of ${allowed.join(", ")}`,
      label,
      "parameter_invalid",
    );
  }
  return value as T;
}

export type Metadata = Record<string, string>;

/**
 * Stripe's metadata update rules: keys are merged into what is there, a key set to "" is
 * removed, and `metadata=""` clears everything. At most 50 keys of 40 characters, values of 500.
 */
export function applyMetadata(current: Metadata, params: Params, name = "metadata"): Metadata {
  const raw = params[name];
  if (raw === undefined) return current;
  if (raw === "") return {};
  if (typeof raw === "string") throw invalidRequest(`Invalid object: ${name} must be a hash`, name);
  const next: Metadata = { ...current };
  // `metadata[0]=x` parses as a list; its keys are still "0", "1", …
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== "string") {
      throw invalidRequest(
        `Invalid value for ${name}[${key}]: must be a string`,
        `${name}[${key}]`,
      );
    }
    if (key.length > 40) {
      throw invalidRequest(
        `Metadata keys can have up to 40 characters; '${key}' has ${key.length}.`,
        `${name}[${key}]`,
      );
    }
    if (value.length > 500) {
      throw invalidRequest(
        `Metadata values can have up to 500 characters, but you passed in a value that is ${value.length} characters.`,
        `${name}[${key}]`,
      );
    }
    if (value === "") delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50) {
    throw invalidRequest("Metadata can have up to 50 keys.", name);
  }
  return next;
}

export function expandPaths(params: Params): string[] {
  const raw = params.expand;
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((item) => {
    if (typeof item !== "string") throw invalidRequest("Invalid array: expand", "expand");
    return item;
  });
}

/** The page parameters of a list request. */
export function pageParams(params: Params): { limit: number; startingAfter?: string } {
  const limit = optionalInteger(params, "limit", { min: 1, max: 100 }) ?? 10;
  const startingAfter = optionalString(params, "starting_after");
  if (params.ending_before !== undefined) {
    throw invalidRequest(
      "The emulator pages forward only: use starting_after.",
      "ending_before",
      "parameter_unknown",
    );
  }
  return { limit, ...(startingAfter ? { startingAfter } : {}) };
}

/** A canonical string of the parameters, for comparing an idempotent request with its replay. */
export function canonicalParams(value: ParamValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalParams).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalParams(value[k]!)}`).join(",")}}`;
}
