import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "@/server/db/migrate";
import { type Cluster, createCluster } from "../../scripts/fault/cluster";
import {
  type Child,
  freePort,
  groupAlive,
  killGroup,
  productionEnv,
  startChild,
  stopChild,
  waitFor,
} from "./processes";

/**
 * The production web server (scripts/web.ts in front of the built Next.js app) while its
 * PostgreSQL is stopped: signed-in pages, tRPC and health answer 503 with Retry-After, never 500
 * (Next.js picks a failed render's status itself; Kindred's server turns it into 503), and all of
 * them answer as before once the database is back, with no restart of the web server.
 */
let cluster: Cluster;
let web: Child | undefined;
let base: string;
let cookie: string;

beforeAll(async () => {
  cluster = await createCluster({ label: "outage-test" });
  const admin = new pg.Client(cluster.url());
  await admin.connect();
  await admin.query("CREATE DATABASE kindred");
  await admin.end();
  const databaseUrl = cluster.url("kindred");
  await migrate({ connectionString: databaseUrl });

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = startChild(
    "web",
    ["--import", "tsx", "scripts/web.ts", "start"],
    productionEnv(databaseUrl, { PORT: String(port), APP_URL: base, WEB_CONCURRENCY: "1" }),
  );
  await waitFor(
    "the web server",
    async () => ((await fetch(`${base}/api/health`).catch(() => null))?.ok ? true : undefined),
    { children: [web] },
  );

  const client = new pg.Client(databaseUrl);
  await client.connect();
  const token = randomBytes(32).toString("hex");
  await client.query(
    `INSERT INTO "User" (id, email, name, role, "timeZone", "updatedAt")
     VALUES ('outage-member', 'outage@example.org', 'Ada', 'MEMBER', 'UTC', now())`,
  );
  await client.query(
    `INSERT INTO "Session" (id, "sessionToken", "userId", expires)
     VALUES ('outage-session', $1, 'outage-member', now() + interval '1 day')`,
    [token],
  );
  await client.end();
  // The cookie name follows APP_URL: plain http here.
  cookie = `next-auth.session-token=${token}`;
}, 300_000);

afterAll(async () => {
  if (web) {
    await stopChild(web);
    killGroup(web);
    expect(groupAlive(web.pid)).toBe(false);
  }
  await cluster?.destroy();
});

const PATHS = ["/app", "/app/journal", "/api/trpc/me.get", "/api/health"];

async function statuses() {
  const answers: { path: string; status: number; retryAfter: string | null }[] = [];
  for (const path of PATHS) {
    const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
    await response.arrayBuffer();
    answers.push({
      path,
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
    });
  }
  return answers;
}

describe("the production server while its database is stopped", () => {
  it("answers 503 with Retry-After, never 500, and recovers by itself", async () => {
    for (const answer of await statuses())
      expect(answer, answer.path).toMatchObject({ status: 200 });

    await cluster.stop("fast");
    for (let round = 0; round < 2; round++) {
      for (const answer of await statuses()) {
        expect(answer, answer.path).toMatchObject({ status: 503, retryAfter: "5" });
      }
    }

    await cluster.start();
    const back = await waitFor("every route answering again", async () => {
      const answers = await statuses();
      return answers.every((a) => a.status === 200) ? answers : undefined;
    });
    expect(back.map((a) => a.status)).toEqual(PATHS.map(() => 200));
  });
});
