import type { AnyTRPCRouter } from "@trpc/server";
import type { Db } from "@/server/db";
import { envelope, type FuzzInput, type IdFor, inputSchema, malformedInputs } from "./fuzz-inputs";

/**
 * The fuzz harness: every procedure of a router, enumerated from the router itself, gets its
 * malformed inputs (fuzz-inputs.ts) over real HTTP the way the tRPC client sends them (queries
 * as GET, mutations as POST, superjson envelopes, batches of up to 20), from each caller, plus
 * raw malformed requests, plus batches that mix one bad call with good read-only calls. It
 * reports every answer that is not a clean refusal.
 */

export type FuzzCaller = { name: string; cookie?: string };

export type FuzzFailure = {
  kind:
    | "server error"
    | "accepted"
    | "passed the boundary"
    | "leaked internals"
    | "good neighbour failed";
  procedure: string;
  caller: string;
  input: string;
  status: number;
  code?: string;
  message?: string;
};

export type FuzzReport = {
  procedures: string[];
  /** Malformed inputs generated per procedure (each sent once per caller). */
  inputsPerProcedure: Record<string, number>;
  calls: number;
  requests: number;
  /** Good calls that rode along with a bad one in the same batch. */
  goodNeighbours: number;
  failures: FuzzFailure[];
};

type Procedure = { path: string; type: "query" | "mutation"; hasInput: boolean };

type Call = {
  procedure: Procedure;
  input: FuzzInput;
  /** A known-good read-only call riding along in a mixed batch: it must succeed. */
  good?: boolean;
};

type Request = {
  caller: FuzzCaller;
  method: "GET" | "POST";
  calls: Call[];
  /** For raw requests: the exact URL suffix, body and content type to send. */
  raw?: { query: string; body?: string; contentType?: string; expectNotFound?: boolean };
};

// Refusals: the input was stopped before any service ran.
const REFUSED = new Set([
  "BAD_REQUEST",
  "PARSE_ERROR",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "METHOD_NOT_SUPPORTED",
  "UNSUPPORTED_MEDIA_TYPE",
  "PAYLOAD_TOO_LARGE",
]);

// What a parser or a database says about itself, never meant for a client.
const INTERNALS =
  /Unexpected (token|end|non-whitespace)|is not valid JSON|call stack|superjson|transformation|deserializ|prisma|invalid byte sequence|at position \d|\n\s+at /i;

const MAX_BATCH = 20;
const GOOD_NEIGHBOURS = 4;
// Callers refused by role never get as far as the input's schema; other callers let in meet the
// same schema again: a sample of the inputs is plenty for both.
const ROLE_REFUSED_SAMPLE = 5;
const ALSO_LET_IN_SAMPLE = 3;
// Node refuses request heads over 16 KB (431); a batch's URL stays well under that.
const MAX_GET_URL = 8 * 1024;

export function proceduresOf(router: AnyTRPCRouter): (Procedure & { parser: unknown })[] {
  return Object.entries(router._def.procedures as Record<string, unknown>).map(([path, p]) => {
    const def = (p as { _def: { type: "query" | "mutation"; inputs: unknown[] } })._def;
    return { path, type: def.type, hasInput: def.inputs.length > 0, parser: def.inputs[0] };
  });
}

// Envelopes are serialized once each: some inputs are large and sent by every caller.
const envelopes = new WeakMap<FuzzInput, string | undefined>();
function envelopeOf(input: FuzzInput): string | undefined {
  if (!envelopes.has(input)) envelopes.set(input, envelope(input.value));
  return envelopes.get(input);
}

function batchUrl(base: string, calls: Call[]): { path: string; input: string } {
  const entries = calls
    .map((c, i) => [i, envelopeOf(c.input)] as const)
    .filter(([, e]) => e !== undefined)
    .map(([i, e]) => `"${i}":${e}`);
  return {
    path: `${base}/api/trpc/${calls.map((c) => c.procedure.path).join(",")}?batch=1`,
    input: `{${entries.join(",")}}`,
  };
}

async function send(url: string, request: Request) {
  const headers: Record<string, string> = {};
  if (request.caller.cookie) headers.cookie = request.caller.cookie;
  if (request.raw) {
    if (request.raw.contentType) headers["content-type"] = request.raw.contentType;
    return fetch(`${url}/api/trpc/${request.raw.query}`, {
      method: request.method,
      headers,
      body: request.raw.body,
    });
  }
  const { path, input } = batchUrl(url, request.calls);
  if (request.method === "GET") {
    return fetch(`${path}&input=${encodeURIComponent(input)}`, { headers });
  }
  headers["content-type"] = "application/json";
  return fetch(path, { method: "POST", headers, body: input });
}

type Outcome = { ok: boolean; code?: string; message?: string };

/** One outcome per call: from the batch's array, or the whole response for all of them. */
function outcomes(status: number, body: unknown, count: number): Outcome[] {
  const one = (item: unknown): Outcome => {
    const error = (item as { error?: { json?: { message?: string; data?: { code?: string } } } })
      ?.error;
    if (!error) return { ok: status < 400 && item !== undefined };
    const json = error.json ?? (error as { message?: string; data?: { code?: string } });
    return { ok: false, code: json.data?.code, message: json.message };
  };
  if (Array.isArray(body) && body.length === count) return body.map(one);
  const whole: Outcome =
    body && typeof body === "object" && "error" in body
      ? one(body)
      : { ok: false, message: typeof body === "string" ? body : undefined };
  return Array.from({ length: count }, () => whole);
}

function judge(
  request: Request,
  status: number,
  results: Outcome[],
  failures: FuzzFailure[],
): void {
  const calls = request.calls;
  calls.forEach((call, i) => {
    const r = results[i]!;
    const base = {
      procedure: call.procedure.path,
      caller: request.caller.name,
      input: call.input.label,
      status,
      code: r.code,
      message: r.message,
    };
    if (call.good) {
      if (!r.ok) failures.push({ kind: "good neighbour failed", ...base });
      return;
    }
    if (status >= 500 || r.code === "INTERNAL_SERVER_ERROR") {
      failures.push({ kind: "server error", ...base });
    } else if (r.ok) {
      // A procedure without input ignores what it is sent; anything else must refuse it.
      if (call.procedure.hasInput || request.raw) failures.push({ kind: "accepted", ...base });
    } else if (
      r.code &&
      !REFUSED.has(r.code) &&
      !(r.code === "NOT_FOUND" && request.raw?.expectNotFound)
    ) {
      failures.push({ kind: "passed the boundary", ...base });
    }
    if (r.message && INTERNALS.test(r.message)) {
      failures.push({ kind: "leaked internals", ...base });
    }
  });
}

/** Raw requests no client would send: broken bodies, wrong methods and media types. */
function rawRequests(p: Procedure, caller: FuzzCaller): Request[] {
  const call = (label: string): Call[] => [{ procedure: p, input: { label, value: undefined } }];
  const get = p.type === "query";
  const req = (
    label: string,
    method: "GET" | "POST",
    query: string,
    body?: string,
    contentType = "application/json",
    expectNotFound = false,
  ): Request => ({
    caller,
    method,
    calls: call(label),
    raw: { query, body, contentType: body === undefined ? undefined : contentType, expectNotFound },
  });
  const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
  const inputParam = (text: string) => `${p.path}?batch=1&input=${encodeURIComponent(text)}`;
  const list: Request[] = [
    req(
      "unknown procedure",
      get ? "GET" : "POST",
      `${p.path}Nope?batch=1`,
      get ? undefined : "{}",
      "application/json",
      true,
    ),
    req(
      "a batch of 21 calls",
      get ? "GET" : "POST",
      `${Array(21).fill(p.path).join(",")}?batch=1`,
      get ? undefined : "{}",
    ),
  ];
  if (get) {
    list.push(
      req("input that is not JSON", "GET", inputParam("{")),
      req("input JSON cut short", "GET", inputParam('{"0":{"json":')),
      req("input that is a number", "GET", inputParam("5")),
      req("input 2,000 arrays deep", "GET", inputParam(deep(2000))),
      req("input of a lone surrogate", "GET", `${p.path}?batch=1&input=%ED%A0%80`),
      req("a POST to a query", "POST", `${p.path}?batch=1`, '{"0":{"json":{}}}'),
    );
  } else {
    const post = (label: string, body: string, type?: string) =>
      req(label, "POST", `${p.path}?batch=1`, body, type);
    list.push(
      post("a body that is not JSON", "{"),
      post("an empty body", ""),
      post("a body JSON cut short", '{"0":{"json":{"a":'),
      post("a body of null", "null"),
      post("a body that is a string", '"x"'),
      post("a body with a byte-order mark", '\ufeff{"0":{"json":{}}}'),
      post("a body 100,000 arrays deep", `{"0":{"json":${deep(100_000)}}}`),
      post(
        "a body 100,000 objects deep",
        `{"0":{"json":${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}}}`,
      ),
      post("a form body", "a=1&b=2", "application/x-www-form-urlencoded"),
      post(
        "a multipart body",
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
        "multipart/form-data; boundary=x",
      ),
      post("an octet-stream body", "\u0000\u0001\u0002", "application/octet-stream"),
      post("a text body", "hello", "text/plain"),
      req(
        "a GET to a mutation",
        "GET",
        `${p.path}?batch=1&input=${encodeURIComponent('{"0":{"json":{}}}')}`,
      ),
    );
  }
  return list;
}

/** Splits calls into batches: at most 20, a GET's URL within bounds, big inputs alone. */
function batches(caller: FuzzCaller, method: "GET" | "POST", calls: Call[]) {
  const out: Request[] = [];
  let current: Call[] = [];
  const flush = () => {
    if (current.length) out.push({ caller, method, calls: current });
    current = [];
  };
  let length = 0;
  for (const call of calls) {
    if (call.input.solo) {
      out.push({ caller, method, calls: [call] });
      continue;
    }
    // Roughly what this call adds to a GET batch's URL: its path and its encoded envelope.
    const size =
      method === "GET"
        ? call.procedure.path.length + encodeURIComponent(envelopeOf(call.input) ?? "").length + 8
        : 0;
    if (current.length && (current.length >= MAX_BATCH || length + size > MAX_GET_URL)) {
      flush();
      length = 0;
    }
    current.push(call);
    length += size;
  }
  flush();
  return out;
}

/**
 * Sends a request and reads its answer. A network error is retried once (a keep-alive socket
 * the server closed just then); a second one is reported as `error`.
 */
async function exchange(
  url: string,
  request: Request,
): Promise<{ status: number; body: unknown; error?: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await send(url, request);
      const text = await response.text();
      try {
        return { status: response.status, body: JSON.parse(text) };
      } catch {
        return { status: response.status, body: text };
      }
    } catch (error) {
      if (attempt === 2) return { status: 0, body: null, error: String(error) };
    }
  }
}

/** Node answers 431 for request heads over 16 KB, and may close the socket on the writer. */
function isOversize(request: Request): boolean {
  return request.method === "GET" && request.calls.some((c) => c.input.solo);
}

function rotate<T>(list: T[], by: number): T[] {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export async function fuzz(options: {
  url: string;
  router: AnyTRPCRouter;
  callers: FuzzCaller[];
  /** A real id for a field of a procedure, so skeletons reach as far as they can. */
  idFor: (procedure: string, field: string) => string | undefined;
  atLeast?: number;
  concurrency?: number;
}): Promise<FuzzReport> {
  const { url, router, callers } = options;
  const procedures = proceduresOf(router);
  const report: FuzzReport = {
    procedures: procedures.map((p) => p.path),
    inputsPerProcedure: {},
    calls: 0,
    requests: 0,
    goodNeighbours: 0,
    failures: [],
  };
  const generated = procedures.map((p) => {
    const idFor: IdFor = (field) => options.idFor(p.path, field);
    const { skeleton, inputs } = malformedInputs(inputSchema(p.parser), idFor, {
      seed: p.path,
      atLeast: options.atLeast ?? 200,
    });
    report.inputsPerProcedure[p.path] = inputs.length;
    return { procedure: p, skeleton, inputs };
  });

  // Good neighbours: each query's skeleton, if it succeeds alone for the caller.
  const good = new Map<FuzzCaller, Call[]>();
  for (const caller of callers) {
    const list: Call[] = [];
    for (const g of generated.filter((g) => g.procedure.type === "query")) {
      const call: Call = {
        procedure: g.procedure,
        input: { label: "its valid skeleton", value: g.skeleton },
        good: true,
      };
      const { status, body } = await exchange(url, { caller, method: "GET", calls: [call] });
      if (outcomes(status, body, 1)[0]?.ok) list.push(call);
    }
    good.set(caller, list);
  }

  const run = (
    requests: Request[],
    seen?: (request: Request, status: number, results: Outcome[]) => void,
  ) =>
    pool(requests, options.concurrency ?? 4, async (request) => {
      const { status, body, error } = await exchange(url, request);
      report.requests += 1;
      report.calls += request.calls.length;
      report.goodNeighbours += request.calls.filter((c) => c.good).length;
      if (error && !isOversize(request)) {
        // The socket closed with no answer: a crash, unless Node refused an oversized request.
        const [call] = request.calls;
        report.failures.push({
          kind: "server error",
          procedure: call?.procedure.path ?? request.raw?.query ?? "?",
          caller: request.caller.name,
          input: call?.input.label ?? "?",
          status: 0,
          message: error,
        });
        return;
      }
      const results = outcomes(status, body, request.calls.length);
      seen?.(request, status, results);
      judge(request, status, results, report.failures);
    });

  // First one batch per caller and procedure, to learn which callers the procedure lets in:
  // a caller refused by role (UNAUTHORIZED / FORBIDDEN before any input is read) then gets a
  // sample of the rest. The first caller let in gets every input and the raw requests; the
  // others let in get a sample, since a schema does not depend on who calls it.
  const plans = callers.flatMap((caller, c) =>
    generated.map(({ procedure, inputs }) => {
      const method = procedure.type === "query" ? ("GET" as const) : ("POST" as const);
      const calls = inputs.map((input) => ({ procedure, input }));
      const [first] = batches(caller, method, calls);
      return { caller, c, procedure, method, calls, first: first! };
    }),
  );
  const firsts = new Map<Request, Outcome[]>();
  await run(
    plans.map((p) => p.first),
    (request, _status, results) => firsts.set(request, results),
  );
  const letIn = new Map<string, number>();
  const later: Request[] = [];
  for (const plan of plans) {
    const { caller, c, procedure, method } = plan;
    const byRole = firsts
      .get(plan.first)
      ?.some((o) => o.code === "UNAUTHORIZED" || o.code === "FORBIDDEN");
    const rank = byRole ? -1 : (letIn.get(procedure.path) ?? 0);
    if (!byRole) letIn.set(procedure.path, rank + 1);
    const every = byRole ? ROLE_REFUSED_SAMPLE : rank === 0 ? 1 : ALSO_LET_IN_SAMPLE;
    const rest = plan.calls
      .filter((call) => !plan.first.calls.includes(call))
      // 2 MB bodies are refused before the caller is known: once per procedure is enough.
      .filter((call) => rank === 0 || !call.input.solo)
      .filter((_, i) => i % every === c % every);
    later.push(...batches(caller, method, rest));
    if (rank === 0) later.push(...rawRequests(procedure, caller));
    const company = good.get(caller)!;
    if (procedure.type !== "query" || !company.length || byRole) continue;
    // Every 25th bad input rides in a batch with good calls: this query's own valid call when
    // it has one (Prisma merges concurrent findUnique calls of one model) and a few others,
    // the bad call in the middle.
    const own = company.filter((g) => g.procedure === procedure);
    plan.calls.forEach(({ input }, i) => {
      if (i % 25 !== 0 || input.solo) return;
      if ((envelopeOf(input)?.length ?? 0) > 4096) return; // keep the URL short
      const others = [...own, ...rotate(company, i).filter((g) => g.procedure !== procedure)];
      const neighbours = others.slice(0, GOOD_NEIGHBOURS);
      const half = Math.ceil(neighbours.length / 2);
      later.push({
        caller,
        method: "GET",
        calls: [...neighbours.slice(0, half), { procedure, input }, ...neighbours.slice(half)],
      });
    });
  }
  await run(later);
  return report;
}

/**
 * A digest of every application table, to prove a run changed nothing. Sessions slide their
 * expiry on use and rate-limit hits record requests, so those two are left out; pg-boss keeps
 * its own schema.
 */
export async function tableDigests(db: Db): Promise<Record<string, string>> {
  const tables = await db.$queryRaw<{ name: string }[]>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
      AND table_name NOT IN ('Session', 'RateLimitHit')
    ORDER BY table_name`;
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    const [row] = await db.$queryRawUnsafe<{ digest: string; rows: bigint }[]>(
      `SELECT md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) AS digest,
              count(*) AS rows
       FROM ${quoted} t`,
    );
    out[name] = `${row!.rows} rows, ${row!.digest}`;
  }
  return out;
}

/** The failures grouped for a readable assertion message. */
export function summarize(failures: FuzzFailure[], limit = 15): string[] {
  return failures
    .slice(0, limit)
    .map(
      (f) =>
        `${f.kind}: ${f.procedure} as ${f.caller}, ${f.input} → ${f.status} ${f.code ?? ""} ${
          f.message?.slice(0, 120) ?? ""
        }`,
    );
}
