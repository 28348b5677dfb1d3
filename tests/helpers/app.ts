import type { Role } from "@/generated/prisma/client";
import type { Session } from "@/server/auth/session";
import { createDb, type Db } from "@/server/db";
import { type Env, parseEnv, resetEnvCache } from "@/server/env";
import type { Queue } from "@/server/jobs/queue";
import type { Context } from "@/server/trpc/init";
import { createCaller } from "@/server/trpc/root";
import { createTestDatabase, type TestDatabase } from "./database";

export type SentJob = { name: string; payload: unknown; singletonKey?: string };

/**
 * A real database plus tRPC callers with real session contexts, one per test file.
 * The queue records what would be enqueued (the job runner itself is tested elsewhere).
 */
export type TestApp = {
  db: Db;
  env: Env;
  database: TestDatabase;
  sent: SentJob[];
  queue: Queue;
  createUser: (
    role: Role,
    overrides?: { email?: string; name?: string },
  ) => Promise<Session["user"]>;
  caller: (user: Session["user"] | null, ip?: string) => ReturnType<typeof createCaller>;
  close: () => Promise<void>;
};

let counter = 0;

export async function createTestApp(): Promise<TestApp> {
  const database = await createTestDatabase();
  const db = createDb(database.url, { max: 4 });
  const env = parseEnv({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    KINDRED_DEMO: "1",
    NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-test",
    APP_URL: "http://localhost:3999",
  });
  const sent: SentJob[] = [];
  const queue: Queue = {
    async send(job, payload, options) {
      sent.push({ name: job.name, payload, singletonKey: options?.singletonKey });
      return `job-${sent.length}`;
    },
  };
  return {
    db,
    env,
    database,
    sent,
    queue,
    async createUser(role, overrides = {}) {
      counter += 1;
      const user = await db.user.create({
        data: {
          email: overrides.email ?? `${role.toLowerCase()}-${counter}-${Date.now()}@test.local`,
          name: overrides.name ?? `${role} ${counter}`,
          role,
        },
        select: { id: true, email: true, name: true, role: true, timeZone: true },
      });
      return user;
    },
    caller(user, ip = "127.0.0.1") {
      const ctx: Context = {
        db,
        env,
        session: user ? { user, expires: new Date(Date.now() + 3600_000) } : null,
        ip,
        queue: async () => queue,
        resHeaders: null,
      };
      return createCaller(ctx);
    },
    async close() {
      await db.$disconnect();
      await database.drop();
    },
  };
}

/**
 * For tests of HTTP handlers that read the process's settings and its shared Prisma client
 * (`env()`, `db()`): point both at this app's database and secret.
 */
export function shareWithHandlers(app: TestApp) {
  process.env.DATABASE_URL = app.database.url;
  process.env.NEXTAUTH_SECRET = app.env.authSecret;
  process.env.KINDRED_DEMO = "1";
  resetEnvCache();
}

/** Closes the shared client those handlers opened (call in afterAll). */
export async function closeSharedDb() {
  const shared = globalThis as unknown as { kindredDb?: Db };
  await shared.kindredDb?.$disconnect();
  shared.kindredDb = undefined;
}
