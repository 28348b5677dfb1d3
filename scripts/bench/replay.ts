import type pg from "pg";
import type { SentStatement } from "./counting-pool";

/**
 * The floor of the in-process bench: the statements a procedure sent, replayed through raw `pg`
 * with the same parallelism. A statement waits for exactly the statements that had been answered
 * before it was sent (it may have needed their results) and for no others, so statements the
 * procedure ran side by side (Promise.all over a pool) run side by side here too.
 */
export type Plan = { statements: SentStatement[]; dependsOn: number[][]; waves: number };

const TRANSACTION = /^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b/i;

/** Statement keys that survive reordering: the SQL text and which occurrence of it this is. */
function keyed(sent: SentStatement[]): Map<string, SentStatement> {
  const seen = new Map<string, number>();
  const byKey = new Map<string, SentStatement>();
  for (const s of [...sent].sort((a, b) => a.start - b.start)) {
    const n = (seen.get(s.config.text) ?? 0) + 1;
    seen.set(s.config.text, n);
    byKey.set(`${n}\u0000${s.config.text}`, s);
  }
  return byKey;
}

/**
 * Builds the replay plan from one or more captures of the same call. Timing alone can invent a
 * dependency (a statement the client was merely slow to send, after another had answered), so
 * with several captures a dependency is kept only if it held in every one of them: a real
 * dependency always holds. All captures must have sent the same statements.
 */
export function planReplay(captures: SentStatement[][]): Plan {
  if (captures.length === 0) throw new Error("nothing was captured");
  for (const sent of captures) {
    if (sent.some((s) => TRANSACTION.test(s.config.text))) {
      // Statements of a transaction must share one connection; replaying them on a pool would
      // measure something else. No benchmarked read uses one when called alone: fail loudly if
      // that changes.
      throw new Error("the captured call used a transaction; the floor replays plain reads only");
    }
    if (sent.some((s) => Number.isNaN(s.end)))
      throw new Error("a captured statement never completed");
  }
  const runs = captures.map(keyed);
  const keys = [...runs[0]!.keys()];
  for (const run of runs) {
    if (run.size !== keys.length || keys.some((k) => !run.has(k)))
      throw new Error("the captured calls sent different statements; the floor needs one shape");
  }
  const statements = keys.map((k) => runs[0]!.get(k)!);
  const dependsOn = keys.map((k, i) =>
    keys.flatMap((other, j) =>
      j !== i && runs.every((run) => run.get(other)!.end <= run.get(k)!.start) ? [j] : [],
    ),
  );
  // Waves: the longest chain of dependencies, i.e. the round trips a call waits for in turn.
  const depth: number[] = [];
  const depthOf = (i: number): number => {
    depth[i] ??= 1 + Math.max(0, ...dependsOn[i]!.map(depthOf));
    return depth[i]!;
  };
  return { statements, dependsOn, waves: Math.max(0, ...keys.map((_, i) => depthOf(i))) };
}

/** Replays a plan on `pool`; `values` may rewrite each statement's parameters (another user). */
export function replay(
  pool: pg.Pool,
  plan: Plan,
  values: (original: unknown[] | undefined) => unknown[] | undefined = (v) => v,
): Promise<unknown> {
  const done: Promise<unknown>[] = [];
  plan.statements.forEach((statement, i) => {
    done[i] = Promise.all(plan.dependsOn[i]!.map((j) => done[j])).then(() =>
      pool.query({ ...statement.config, values: values(statement.config.values) }),
    );
  });
  return Promise.all(done);
}
