import pg from "pg";
import { groupAlive, stopChild } from "../../tests/instances/processes";
import type { Cluster } from "../fault/cluster";
import type { SoakClient } from "./client";
import type { Load } from "./load";
import type { Slot, Stack } from "./stack";
import type { World } from "./world";

/** Writes: an acknowledged one after a fault ended says the service is back for members. */
export const WRITE_OPS = new Set([
  "player.saveDraft",
  "player.submit",
  "commitments.checkIn",
  "practices.tick",
  "programs.updateStep",
  "auth.requestLink",
  "upload",
]);

export type FaultRun = {
  id: string;
  title: string;
  plannedAt: number;
  /** Milliseconds since the load started. */
  injectedAt: number;
  /** When the fault was lifted (database started, process restarted, trigger dropped). */
  endedAt: number;
  /** When the service was whole again (see each fault); null: not within the bound. */
  recoveredAt: number | null;
  notes: string[];
};

export type FaultContext = {
  cluster: Cluster;
  stack: Stack;
  client: SoakClient;
  load: Load;
  world: World;
  databaseUrl: string;
  outageMs: number;
  /** Milliseconds since the load started. */
  clock: () => number;
  log: (line: string) => void;
};

type Fault = {
  id: string;
  title: string;
  run: (ctx: FaultContext, result: FaultRun) => Promise<void>;
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function poll<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await pause(everyMs);
  }
  return undefined;
}

async function healthy(port: number | undefined) {
  const response = await fetch(`http://127.0.0.1:${port}/api/health`, {
    signal: AbortSignal.timeout(5000),
  }).catch(() => null);
  await response?.arrayBuffer().catch(() => null);
  return response?.status === 200;
}

/**
 * Recovered when every web process answers /api/health 200 and a member's write was
 * acknowledged after the fault was lifted (the load keeps writing all along).
 */
async function recoverService(ctx: FaultContext, result: FaultRun, timeoutMs = 120_000) {
  const since = ctx.client.started + result.endedAt;
  let healthAt: number | null = null;
  const at = await poll(async () => {
    if (healthAt === null) {
      const all = await Promise.all(ctx.stack.webs.map((w) => healthy(w.port)));
      if (all.every(Boolean)) healthAt = ctx.clock();
    }
    const write = ctx.client.events.find(
      (e) => e.t > since && e.outcome === "ok" && WRITE_OPS.has(e.op),
    );
    if (healthAt === null || !write) return undefined;
    return Math.max(healthAt, write.t - ctx.client.started);
  }, timeoutMs);
  result.recoveredAt = at ?? null;
  if (healthAt !== null) result.notes.push(`health ok ${s(healthAt - result.endedAt)} s after`);
}

const s = (ms: number) => (ms / 1000).toFixed(1);

function databaseStop(mode: "fast" | "immediate"): Fault {
  return {
    id: `postgres-${mode}`,
    title: `PostgreSQL stopped (${mode} shutdown), started again`,
    async run(ctx, result) {
      await ctx.cluster.stop(mode);
      result.notes.push(`stopped with pg_ctl -m ${mode}`);
      await pause(ctx.outageMs);
      await ctx.cluster.start();
      result.endedAt = ctx.clock();
      // Seen from outside while it was down (not a fault of the soak: a fact to report).
      const during = ctx.client.events.filter(
        (e) =>
          e.t >= ctx.client.started + result.injectedAt &&
          e.t <= ctx.client.started + result.endedAt,
      );
      result.notes.push(
        `${during.filter((e) => e.outcome === "503").length} answers 503 while it was down`,
      );
      await recoverService(ctx, result);
    },
  };
}

async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const workerKill: Fault = {
  id: "worker-kill",
  title: "a worker SIGKILLed mid-job (email.send active), started again",
  async run(ctx, result) {
    const [victim, ...others] = ctx.stack.workers as [Slot, ...Slot[]];
    // The others stop gracefully first, so the job seen active is the victim's.
    for (const other of others) {
      ctx.stack.intend(other);
      const code = await stopChild(other.child);
      result.notes.push(`${other.name} stopped first (SIGTERM, exit ${code})`);
    }
    // Sign-in requests keep coming (the sign-in user); the worker sends their emails at the
    // paced rate, so an email.send job is active most of the time.
    // Best: a job active with its emails claimed (SENDING: the batch is on its way to Resend or
    // waiting for its slot). Else, after a while, any active job.
    // One connection for the polling: a kill must land within milliseconds of what it saw.
    const watch = new pg.Client({ connectionString: ctx.databaseUrl });
    await watch.connect();
    const activeJobs = async () =>
      (
        await watch.query<{ id: string; email: string }>(
          `SELECT id, data->>'emailId' AS email FROM pgboss.job
            WHERE name = 'email.send' AND state = 'active'`,
        )
      ).rows;
    const sendingEmails = async () =>
      (await watch.query<{ id: string }>(`SELECT id FROM "Email" WHERE status = 'SENDING'`)).rows;
    let active = await poll(
      async () => {
        const [jobs, emails] = await Promise.all([activeJobs(), sendingEmails()]);
        return jobs.length && emails.length ? jobs : undefined;
      },
      45_000,
      10,
    );
    active ??= await poll(
      async () => {
        const jobs = await activeJobs();
        return jobs.length ? jobs : undefined;
      },
      30_000,
      10,
    );
    const sending = await sendingEmails();
    ctx.stack.intend(victim);
    process.kill(-victim.child.pid, "SIGKILL");
    await victim.child.exited;
    result.injectedAt = ctx.clock();
    await watch.end();
    result.notes.push(
      active
        ? `killed with ${active.length} email.send job(s) active, ${sending.length} email(s) SENDING`
        : "no email.send job was active within 60 s: killed anyway",
    );
    // The kill is the whole fault: recovery runs from it, through the restarts, until every
    // email the killed worker held is sent.
    result.endedAt = result.injectedAt;
    await ctx.stack.restart(victim);
    for (const other of others) await ctx.stack.restart(other);
    // Recovered when every email that was in the killed worker's hands is sent (its lock lapses,
    // the sweep hands it on).
    const emails = [
      ...new Set([...(active ?? []).map((a) => a.email), ...sending.map((e) => e.id)]),
    ];
    const at = await poll(
      async () => {
        const rows = await sql<{ n: number }>(
          ctx.databaseUrl,
          `SELECT count(*)::int AS n FROM "Email" WHERE id = ANY($1) AND status <> 'SENT'`,
          [emails],
        );
        return rows[0]?.n === 0 ? ctx.clock() : undefined;
      },
      240_000,
      500,
    );
    result.recoveredAt = at ?? null;
    result.notes.push(
      `${emails.length} email(s) in hand at the kill; all sent: ${at !== undefined}`,
    );
    const states = await sql<{ state: string; n: number }>(
      ctx.databaseUrl,
      `SELECT state, count(*)::int AS n FROM pgboss.job WHERE id = ANY($1::uuid[]) GROUP BY state`,
      [(active ?? []).map((a) => a.id)],
    );
    result.notes.push(
      `the killed job(s) now: ${states.map((r) => `${r.n} ${r.state}`).join(", ") || "archived"}`,
    );
  },
};

const webKill: Fault = {
  id: "web-kill",
  title: "web 0 SIGKILLed, started again",
  async run(ctx, result) {
    const slot = ctx.stack.webs[0]!;
    const inFlight = ctx.stack.proxy.inFlight(0).length;
    ctx.stack.intend(slot);
    process.kill(-slot.child.pid, "SIGKILL");
    await slot.child.exited;
    result.notes.push(`${inFlight} request(s) in flight on it were cut (clients retried)`);
    result.endedAt = ctx.clock();
    await ctx.stack.restart(slot);
    result.recoveredAt = ctx.clock();
  },
};

const webTerm: Fault = {
  id: "web-sigterm",
  title: "web 1 sent SIGTERM with requests in flight (graceful), started again",
  async run(ctx, result) {
    const slot = ctx.stack.webs[1]!;
    // Several requests in flight if the load gives that within a while, else at least one.
    const inFlight = (least: number) =>
      poll(
        async () => {
          const list = ctx.stack.proxy.inFlight(1);
          return list.length >= least ? list : undefined;
        },
        15_000,
        2,
      );
    const flying = (await inFlight(2)) ?? (await inFlight(1));
    ctx.stack.intend(slot);
    process.kill(-slot.child.pid, "SIGTERM");
    result.injectedAt = ctx.clock();
    const code = await slot.child.exited;
    const outcomes = await Promise.all((flying ?? []).map((f) => f.done));
    const cut = outcomes.filter((o) => o === "cut").length;
    result.notes.push(
      `exit code ${code}; ${outcomes.length} request(s) in flight at SIGTERM: ` +
        `${outcomes.length - cut} completed (${outcomes.join(", ") || "none"}), ${cut} cut`,
    );
    if (cut > 0 || code !== 0) result.notes.push("FAILED: the graceful stop cut requests");
    result.endedAt = ctx.clock();
    await ctx.stack.restart(slot);
    result.recoveredAt = ctx.clock();
  },
};

const uploadsFull: Fault = {
  id: "uploads-full",
  title: "upload store full (inserts into Upload raise disk_full, 53100), then writable",
  async run(ctx, result) {
    await sql(
      ctx.databaseUrl,
      `CREATE OR REPLACE FUNCTION soak_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full';
       END $$;
       CREATE TRIGGER soak_disk_full BEFORE INSERT ON "Upload"
         FOR EACH ROW EXECUTE FUNCTION soak_disk_full();`,
    );
    result.injectedAt = ctx.clock();
    // Members keep uploading through it (each upload retries its 503s until it lands).
    let stop = false;
    const uploaders = [0, 1, 2].map(async (i) => {
      let n = 0;
      while (!stop) {
        const member = ctx.world.members[(i * 37 + n++) % ctx.world.members.length]!;
        await ctx.load.upload(member);
        await pause(500);
      }
    });
    await pause(ctx.outageMs);
    await sql(
      ctx.databaseUrl,
      `DROP TRIGGER soak_disk_full ON "Upload"; DROP FUNCTION soak_disk_full();`,
    );
    result.endedAt = ctx.clock();
    const since = ctx.client.started + result.endedAt;
    const at = await poll(async () => {
      const ok = ctx.client.events.find(
        (e) => e.t > since && e.op === "upload" && e.outcome === "ok",
      );
      return ok ? ok.t - ctx.client.started : undefined;
    }, 120_000);
    stop = true;
    await Promise.all(uploaders);
    result.recoveredAt = at ?? null;
    const during = ctx.client.events.filter(
      (e) =>
        e.op === "upload" &&
        e.t >= ctx.client.started + result.injectedAt &&
        e.t <= ctx.client.started + result.endedAt,
    );
    const by = (o: string) => during.filter((e) => e.outcome === o).length;
    result.notes.push(
      `uploads while full: ${during.length} answers, ${by("503")} × 503, ${by("500")} × 500, ${by("ok")} × 2xx`,
    );
  },
};

const rollingRestart: Fault = {
  id: "rolling-restart",
  title: "rolling restart of both web processes (SIGTERM, exit, start, healthy; then the other)",
  async run(ctx, result) {
    for (const slot of ctx.stack.webs) {
      ctx.stack.intend(slot);
      const code = await stopChild(slot.child);
      result.notes.push(`${slot.name} exit ${code}`);
      await ctx.stack.restart(slot);
    }
    result.endedAt = ctx.clock();
    result.recoveredAt = ctx.clock();
  },
};

export const FAULTS: Fault[] = [
  databaseStop("fast"),
  workerKill,
  webKill,
  uploadsFull,
  webTerm,
  databaseStop("immediate"),
  rollingRestart,
];

/** When each fault is due, in ms after the load starts: spread over 8 %…80 % of the run. */
export function schedule(runMs: number, count = FAULTS.length): number[] {
  const first = runMs * 0.08;
  const last = runMs * 0.8;
  return Array.from({ length: count }, (_, i) =>
    Math.round(first + ((last - first) * i) / Math.max(1, count - 1)),
  );
}

/** Runs the faults one after another at (or, when the previous overran, after) their times. */
export async function runFaults(
  ctx: FaultContext,
  times: number[],
  faults = FAULTS,
): Promise<FaultRun[]> {
  const results: FaultRun[] = [];
  for (const [i, fault] of faults.entries()) {
    const plannedAt = times[i]!;
    const wait = plannedAt - ctx.clock();
    if (wait > 0) await pause(wait);
    const result: FaultRun = {
      id: fault.id,
      title: fault.title,
      plannedAt,
      injectedAt: ctx.clock(),
      endedAt: Number.NaN,
      recoveredAt: null,
      notes: [],
    };
    ctx.log(`» ${s(result.injectedAt)} s: ${fault.title}`);
    try {
      await fault.run(ctx, result);
    } catch (error) {
      result.notes.push(`FAILED: ${(error as Error).message.split("\n")[0]}`);
    }
    if (Number.isNaN(result.endedAt)) result.endedAt = ctx.clock();
    // Whatever the fault did, the next one starts from a whole deployment.
    if (!(await ctx.cluster.running())) await ctx.cluster.start();
    for (const slot of [...ctx.stack.webs, ...ctx.stack.workers]) {
      if (!groupAlive(slot.child.pid)) {
        result.notes.push(`${slot.name} was down after the fault: started again`);
        await ctx.stack.restart(slot).catch((error: Error) => {
          result.notes.push(`FAILED to restart ${slot.name}: ${error.message.split("\n")[0]}`);
        });
      }
    }
    const recovery =
      result.recoveredAt === null
        ? "NOT recovered"
        : `recovered ${s(result.recoveredAt - result.endedAt)} s after it ended`;
    ctx.log(`  ended ${s(result.endedAt)} s, ${recovery}; ${result.notes.join("; ")}`);
    results.push(result);
  }
  return results;
}
