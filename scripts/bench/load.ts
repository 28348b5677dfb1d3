import autocannon from "autocannon";
import { percentile } from "./report";

export type LoadResult = {
  /** Responses with a 2xx status per second of the run. */
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Median of sequential requests with nothing else in flight. */
  alone: number;
  ok: number;
  /** Non-2xx responses, connection errors and timeouts: any makes the run worthless. */
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
};

/**
 * Drives one URL with autocannon. Every response is looked at: its status is counted and the
 * latency of each 2xx kept, so p95 (which autocannon's histogram does not report) and the error
 * count are exact rather than sampled.
 */
export async function drive(
  url: string,
  headers: Record<string, string>,
  /** `latencies`: each 2xx response's latency is also added there (pooling several runs). */
  options: { connections: number; duration: number; latencies?: number[] },
): Promise<Omit<LoadResult, "alone">> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let failures = 0;
  const started = performance.now();
  const instance = autocannon({
    url,
    headers,
    connections: options.connections,
    duration: options.duration,
    timeout: 30,
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  instance.on("reqError", () => {
    failures += 1;
  });
  await instance;
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  options.latencies?.push(...latencies);
  const ok = latencies.length;
  const non2xx = Object.values(statuses).reduce((a, b) => a + b, 0) - ok;
  // autocannon drops the requests still in flight when time is up, but the server goes on
  // rendering them; let that work finish (about one slow response) so it does not run into the
  // next measurement.
  const slowest = latencies.at(-1) ?? 1000;
  await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, Math.max(500, slowest))));
  return {
    rps: ok / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    ok,
    errors: non2xx + failures,
    statuses,
    seconds,
  };
}

/** One request, read to its end: its time in ms, or null for a non-2xx or failed one. */
export async function timed(url: string, headers: Record<string, string>): Promise<number | null> {
  const t = performance.now();
  const response = await fetch(url, { headers, redirect: "manual" }).catch(() => null);
  await response?.arrayBuffer().catch(() => null);
  if (!response || response.status < 200 || response.status >= 300) return null;
  return performance.now() - t;
}

/** One request at a time: what a single user waits on an idle server. */
export async function alone(
  url: string,
  headers: Record<string, string>,
  count: number,
): Promise<{ median: number; errors: number }> {
  const times: number[] = [];
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const ms = await timed(url, headers);
    if (ms === null) errors += 1;
    else times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), errors };
}

/** One side of an A/B: a server's URL for the route and the headers to send it. */
export type Contender = { url: string; headers: Record<string, string> };
export type TurnsResult = { rps: number; p50: number; p99: number; errors: number };

/**
 * Drives each contender in short turns, alternating (each goes first every other turn, so
 * neither always follows the other's tail), with the same connections and duration: whatever
 * else the machine does falls on all alike. Returns each one's pooled req/s, p50, p99, errors.
 */
export async function alternatingTurns(
  contenders: Contender[],
  options: { turns: number; turn: number; connections: number },
): Promise<TurnsResult[]> {
  const tallies = contenders.map(() => ({
    ok: 0,
    seconds: 0,
    errors: 0,
    latencies: [] as number[],
  }));
  for (let turn = 0; turn < options.turns; turn++) {
    const order = contenders.map((_, i) => i);
    if (turn % 2 === 1) order.reverse();
    for (const i of order) {
      const tally = tallies[i]!;
      const r = await drive(contenders[i]!.url, contenders[i]!.headers, {
        connections: options.connections,
        duration: options.turn,
        latencies: tally.latencies,
      });
      tally.ok += r.ok;
      tally.seconds += r.seconds;
      tally.errors += r.errors;
    }
  }
  return tallies.map((tally) => {
    tally.latencies.sort((a, b) => a - b);
    return {
      rps: tally.ok / tally.seconds,
      p50: percentile(tally.latencies, 50),
      p99: percentile(tally.latencies, 99),
      errors: tally.errors,
    };
  });
}
