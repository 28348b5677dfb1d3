import { mkdir, writeFile } from "node:fs/promises";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/generated/prisma/client";
import type { Session } from "@/server/auth/session";
import type { Db } from "@/server/db";
import { startEmbeddedPostgres } from "@/server/db/embedded";
import { migrate } from "@/server/db/migrate";
import { parseEnv } from "@/server/env";
import { createCaller } from "@/server/trpc/root";
import { seedDemo } from "../prisma/seed";
import { loadDotEnv } from "./load-env";

/**
 * `npm run bench`: seeds 2,000 members with 50 answers each, then drives the dashboard and journal
 * procedures with concurrent callers and reports p50/p95/p99 latency and requests per second.
 * The floor: the exact SQL those procedures sent (captured from the driver), replayed through
 * raw `pg` with the same concurrency. The ratio says what the tRPC + Prisma layers cost.
 *
 * Bounded: BENCH_REQUESTS requests per scenario (default 1,000), BENCH_CONCURRENCY in flight.
 */
loadDotEnv();
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 2000);
const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 50);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

type Captured = { text: string; values?: unknown[] };

async function database(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!server) {
    const embedded = await startEmbeddedPostgres({});
    return { url: embedded.url, stop: embedded.stop };
  }
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS kindred_bench WITH (FORCE)");
  await admin.query("CREATE DATABASE kindred_bench");
  await admin.end();
  const url = new URL(server);
  url.pathname = "/kindred_bench";
  return { url: url.toString(), stop: async () => {} };
}

/** 2,000 members, each enrolled in the demo program with ~50 passes spread over its prompts. */
async function seed(db: Db, url: string) {
  await seedDemo(db);
  const program = await db.program.findFirstOrThrow({
    include: { modules: { include: { steps: { include: { exercises: true } } } } },
  });
  const exercises = program.modules.flatMap((m) => m.steps.flatMap((s) => s.exercises));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `INSERT INTO "User"(id, email, name, role, "timeZone", "updatedAt")
     SELECT 'bench-' || g, 'bench-' || g || '@bench.local', 'Bench ' || g, 'MEMBER', 'Europe/Berlin', now()
     FROM generate_series(1, $1) g`,
    [MEMBERS],
  );
  await client.query(
    `INSERT INTO "Enrolment"(id, "userId", "programId", "createdAt")
     SELECT 'benchenrol-' || g, 'bench-' || g, $2, now() - interval '60 days' FROM generate_series(1, $1) g`,
    [MEMBERS, program.id],
  );
  const perExercise = Math.ceil(ANSWERS / exercises.length);
  const ids = exercises.map((e) => e.id);
  const kinds = exercises.map((e) => e.kind);
  await client.query(
    `INSERT INTO "AnswerPass"(id, "userId", "exerciseId", "programId", "passNumber", kind, content, "promptSnapshot", "scaleValue", "createdAt")
     SELECT 'benchpass-' || u || '-' || e || '-' || p, 'bench-' || u, ($3::text[])[e], $2, p, ($4::text[])[e]::"ExerciseKind",
            CASE ($4::text[])[e]
              WHEN 'SCALE' THEN jsonb_build_object('value', 1 + (u + p) % 10, 'followUp', 'More practice', 'why', 'Pass ' || p)
              WHEN 'LENSES' THEN jsonb_build_object('answers', jsonb_build_object('Career', 'c' || p, 'Work', 'w' || p, 'Friendships', 'f' || p, 'Family', 'm' || p))
              WHEN 'PEOPLE' THEN jsonb_build_object('people', '[]'::jsonb)
              WHEN 'COMMITMENT' THEN jsonb_build_object('text', 'Call someone ' || p, 'dueOn', '2026-01-01')
              WHEN 'PRACTICE' THEN jsonb_build_object('ticked', '[]'::jsonb, 'note', '')
              ELSE jsonb_build_object('text', repeat('A thoughtful answer about my people. ', 20) || p, 'probes', '[]'::jsonb)
            END,
            jsonb_build_object('prompt', 'Prompt ' || e, 'config', '{}'::jsonb, 'revision', 1, 'stepTitle', 'Step', 'programTitle', 'Bench'),
            CASE WHEN ($4::text[])[e] = 'SCALE' THEN 1 + (u + p) % 10 END,
            now() - ((50 - p) || ' days')::interval
     FROM generate_series(1, $1) u, generate_series(1, $5) e, generate_series(1, $6) p
     WHERE (e - 1) * $6 + p <= $7`,
    [MEMBERS, program.id, ids, kinds, exercises.length, perExercise, ANSWERS],
  );
  await client.query("ANALYZE");
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM "AnswerPass"`);
  await client.end();
  return { passes: rows[0].n as number };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function drive(label: string, call: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        const t = performance.now();
        await call(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const row = {
    scenario: label,
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    p50_ms: +percentile(latencies, 50).toFixed(2),
    p95_ms: +percentile(latencies, 95).toFixed(2),
    p99_ms: +percentile(latencies, 99).toFixed(2),
    rps: +(REQUESTS / seconds).toFixed(1),
  };
  console.log(JSON.stringify(row));
  return row;
}

async function main() {
  const target = await database();
  await migrate({ connectionString: target.url });
  const pool = new pg.Pool({ connectionString: target.url, max: CONCURRENCY });
  let capture: Captured[] | null = null;
  pool.on("connect", (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (
      ...args: unknown[]
    ) => {
      const [first, second] = args as [
        string | { text: string; values?: unknown[] },
        unknown[] | undefined,
      ];
      if (capture)
        capture.push(
          typeof first === "string"
            ? { text: first, values: second }
            : { text: first.text, values: first.values },
        );
      return original(...args);
    };
  });
  const db = new PrismaClient({ adapter: new PrismaPg(pool) }) as unknown as Db;
  const t0 = performance.now();
  const { passes } = await seed(db, target.url);
  console.log(
    `seeded ${MEMBERS} members, ${passes} answers in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const env = parseEnv({ NODE_ENV: "test", KINDRED_DEMO: "1", DATABASE_URL: target.url });
  const users: Session["user"][] = Array.from({ length: MEMBERS }, (_, i) => ({
    id: `bench-${i + 1}`,
    email: `bench-${i + 1}@bench.local`,
    name: `Bench ${i + 1}`,
    role: "MEMBER",
    timeZone: "Europe/Berlin",
  }));
  const callerFor = (i: number) =>
    createCaller({
      db,
      env,
      session: { user: users[i % users.length]!, expires: new Date(Date.now() + 3600_000) },
      ip: "bench",
      resHeaders: null,
      queue: async () => {
        throw new Error("the bench enqueues nothing");
      },
    });

  const scenarios = {
    "dashboard.today": (i: number) => callerFor(i).dashboard.today(),
    "journal.list": (i: number) => callerFor(i).journal.list({}),
  };
  const results = [];
  for (const [name, run] of Object.entries(scenarios)) {
    // Capture the SQL one call sends, then replay it raw as the floor.
    capture = [];
    await run(0);
    const statements = capture.filter((q) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(q.text));
    capture = null;
    await drive(`${name} (warm-up)`, run).catch(() => {});
    const procedure = await drive(name, run);
    const floor = await drive(
      `${name} raw pg floor (${statements.length} statements)`,
      async (i) => {
        const client = await pool.connect();
        try {
          for (const s of statements) {
            const values = s.values?.map((v) =>
              v === users[0]!.id ? users[i % users.length]!.id : v,
            );
            await client.query(s.text, values);
          }
        } finally {
          client.release();
        }
      },
    );
    results.push({
      ...procedure,
      floor_p50_ms: floor.p50_ms,
      floor_rps: floor.rps,
      ratio_p50: +(procedure.p50_ms / floor.p50_ms).toFixed(2),
    });
  }
  console.table(results);
  await mkdir("bench-results", { recursive: true });
  await writeFile(
    "bench-results/latest.json",
    `${JSON.stringify({ members: MEMBERS, answers: passes, results }, null, 2)}\n`,
  );
  await db.$disconnect();
  await target.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
