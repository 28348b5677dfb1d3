import { TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodRealError } from "zod";
import { type JsonLimits, type JsonProblem, jsonProblem } from "@/lib/input";

/**
 * How procedure inputs are read before their own schemas see them. Each schema checks its
 * fields (src/lib/input.ts); what is checked here is the shape of the whole input, which no
 * field schema can see: nesting (a parser that recurses overflows the stack on it), size, and
 * keys such as `__proto__`, which superjson drops silently (so an input holding one would
 * otherwise pass as valid). Refusals name the field, like a schema's.
 */

export const UNREADABLE = "The request could not be read.";

// Far beyond any real input (the deepest, an answer's people list, is 4 levels), far below what
// overflows a recursive parser.
export const INPUT_LIMITS: JsonLimits = { maxDepth: 32, maxNodes: 100_000, maxChars: 2_000_000 };
// The superjson envelope wraps the input in one more level ({ json: input, meta }).
const ENVELOPE_LIMITS: JsonLimits = { ...INPUT_LIMITS, maxDepth: INPUT_LIMITS.maxDepth + 1 };

/**
 * An input refused while it was read. tRPC deserializes every input of a batch at once and a
 * throw there fails the whole batch, so the transformer returns this instead and `refusal`
 * fails only the call it belongs to.
 */
class RefusedInput {
  constructor(readonly problem: JsonProblem | null) {}
}

function deserialize(envelope: unknown): unknown {
  const problem = jsonProblem(envelope, "The input", ENVELOPE_LIMITS, { shapeOnly: true });
  if (problem) {
    const [where, ...path] = problem.path;
    // The input itself lives under "json"; a problem in superjson's own "meta" is unreadable.
    return new RefusedInput(where === "json" || path.length === 0 ? { ...problem, path } : null);
  }
  try {
    return superjson.deserialize(envelope as Parameters<typeof superjson.deserialize>[0]);
  } catch {
    // superjson's messages describe its envelope ("Unknown transformation: …"), not the input.
    return new RefusedInput(null);
  }
}

/** superjson both ways, with inputs read as above. */
export const transformer = {
  input: { serialize: superjson.serialize, deserialize },
  output: superjson,
};

/**
 * The same error a schema would raise (ZodRealError: zod's ZodError proper is no Error), on the
 * top-level field where the problem is (forms highlight fields, not paths 30 levels deep), or
 * on the input as a whole when that is where it is.
 */
function fieldError(problem: JsonProblem): TRPCError {
  const [field] = problem.path;
  const issue = {
    code: "custom" as const,
    path: typeof field === "string" ? [field] : [],
    message: problem.message,
    input: undefined,
  };
  return new TRPCError({
    code: "BAD_REQUEST",
    message: problem.message,
    cause: new ZodRealError([issue]),
  });
}

/**
 * Why this raw input must be refused before its schema runs, or null. Checked again after
 * superjson, which can build shared references and cycles out of a small envelope; server
 * callers (RSC) skip the transformer and get this check alone.
 */
export function refusal(raw: unknown): TRPCError | null {
  if (raw instanceof RefusedInput) {
    return raw.problem
      ? fieldError(raw.problem)
      : new TRPCError({ code: "BAD_REQUEST", message: UNREADABLE });
  }
  const problem = jsonProblem(raw, "The input", INPUT_LIMITS, { shapeOnly: true });
  return problem ? fieldError(problem) : null;
}
