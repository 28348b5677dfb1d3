import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBoss, queueFrom } from "@/server/jobs/queue";
import type { TestDatabase } from "../helpers/database";
import { PROBE_TABLE_SQL, probeJob } from "./probe-job";
import {
  type Child,
  freePort,
  groupAlive,
  killGroup,
  portOpen,
  productionEnv,
  startChild,
  stopChild,
  waitFor,
} from "./processes";
import { PIN_HEADER, SERVED_BY_HEADER, startProxy, type TestProxy } from "./proxy";
import { sharedDatabase } from "./shared-database";

/**
 * Several instances on one database, as a scaled-out deployment runs them: two web processes
 * (scripts/web.ts, production build) and two workers (scripts/worker.ts) on one PostgreSQL,
 * behind a round-robin reverse proxy. Each web process has its own data folder, as on separate
 * machines, so nothing a request needs may live in a process or a folder of one instance.
 */
let database: TestDatabase;
let sql: pg.Client;
let proxy: TestProxy;
let dataRoot: string;
const webPorts: number[] = [];
const webs: Child[] = [];
const workers: Child[] = [];
const children = () => [...webs, ...workers];

beforeAll(async () => {
  database = await sharedDatabase();
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  await sql.query(PROBE_TABLE_SQL);
  dataRoot = await mkdtemp(path.join(tmpdir(), "kindred-instances-"));

  while (webPorts.length < 2) {
    const port = await freePort();
    if (!webPorts.includes(port)) webPorts.push(port);
  }
  proxy = await startProxy(webPorts);

  // One secret for all: a session made by one web process must be valid on the other.
  const base = productionEnv(database.url, {
    // Clients only ever see the proxy: links in emails, cookies and the upload origin check.
    APP_URL: proxy.url,
    NEXTAUTH_URL: proxy.url,
    TRUSTED_PROXIES: "1",
    // The demo's Resend emulator is a route of the web processes; workers reach it like clients.
    RESEND_BASE_URL: `${proxy.url}/api/emulators/resend`,
  });
  for (const [i, port] of webPorts.entries()) {
    const dataDir = path.join(dataRoot, `web-${i}`);
    webs.push(
      startChild(`web ${i}`, ["--import", "tsx", "scripts/web.ts", "start"], {
        ...base,
        PORT: String(port),
        // One process per instance: the instances are what this test spreads requests over.
        WEB_CONCURRENCY: "1",
        KINDRED_DATA_DIR: dataDir,
        UPLOAD_DIR: path.join(dataDir, "uploads"),
      }),
    );
  }
  for (const i of [0, 1]) {
    workers.push(
      startChild(
        `worker ${i}`,
        ["--import", "tsx", "--import", "./tests/instances/register-probe.ts", "scripts/worker.ts"],
        { ...base, KINDRED_DATA_DIR: path.join(dataRoot, `worker-${i}`) },
      ),
    );
  }
  for (const port of webPorts) {
    await waitFor(
      `the web process on port ${port}`,
      async () => {
        const health = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
        return health?.status === 200 ? true : undefined;
      },
      { children: children() },
    );
  }
  for (const worker of workers) {
    await waitFor(
      `${worker.name} to subscribe`,
      () => (worker.output().includes("[worker] running") ? true : undefined),
      { children: children() },
    );
  }
}, 300_000);

afterAll(async () => {
  // Normally the last test has stopped everything; after a failure, leave nothing behind.
  for (const child of children()) killGroup(child);
  await proxy?.close();
  await sql?.end();
  await database?.drop();
  if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
});

// ─── HTTP through the proxy, with a cookie jar ───────────────────────────────────────────

type Jar = Map<string, string>;

async function call(
  pathname: string,
  options: { via?: 0 | 1; jar?: Jar; method?: string; body?: BodyInit; headers?: HeadersInit } = {},
) {
  const headers = new Headers(options.headers);
  if (options.via !== undefined) headers.set(PIN_HEADER, String(options.via));
  if (options.jar?.size)
    headers.set("cookie", [...options.jar].map(([name, value]) => `${name}=${value}`).join("; "));
  const response = await fetch(`${proxy.url}${pathname}`, {
    method: options.method ?? "GET",
    body: options.body,
    headers,
    redirect: "manual",
  });
  for (const cookie of response.headers.getSetCookie()) {
    const [pair = ""] = cookie.split(";");
    const at = pair.indexOf("=");
    options.jar?.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return { response, servedBy: Number(response.headers.get(SERVED_BY_HEADER)) };
}

function requestLink(email: string, via: 0 | 1, jar?: Jar) {
  return call("/api/trpc/auth.requestLink", {
    via,
    jar,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ json: { email } }),
  });
}

/** The link of the sign-in email the workers delivered (to the demo outbox, via the proxy). */
async function deliveredLink(email: string): Promise<URL> {
  const text = await waitFor(
    `the sign-in email to ${email}`,
    async () => {
      const { rows } = await sql.query<{ text: string }>(
        `SELECT text FROM "OutboxMessage" WHERE $1 = ANY("toAddresses") ORDER BY "createdAt" DESC`,
        [email],
      );
      return rows[0]?.text;
    },
    { children: children(), timeoutMs: 60_000 },
  );
  const href = /https?:\/\/\S+\/signin\/confirm\?[^\s)\]]+/.exec(text)?.[0];
  expect(href, text).toBeDefined();
  return new URL(href!);
}

const signedIn: { email: string; jar: Jar } = { email: "", jar: new Map() };

describe("two web processes and two workers on one database", () => {
  it("a session made through one web process is valid on the other", async () => {
    const email = `instances-${randomBytes(4).toString("hex")}@example.org`;
    const jar: Jar = new Map();
    const asked = await requestLink(email, 0, jar);
    expect(asked.response.status).toBe(200);
    expect(asked.servedBy).toBe(0);

    // The emailed link, opened in the browser that asked, goes to next-auth's callback.
    const link = await deliveredLink(email);
    const params = new URLSearchParams({
      token: link.searchParams.get("token") ?? "",
      email: link.searchParams.get("email") ?? "",
    });
    const callback = await call(`/api/auth/callback/email?${params}`, { via: 0, jar });
    expect(callback.servedBy).toBe(0);
    expect(callback.response.status).toBe(302);
    expect([...jar.keys()]).toContain("next-auth.session-token");

    const me = await call("/api/trpc/me.get", { via: 1, jar });
    expect(me.servedBy).toBe(1);
    expect(me.response.status).toBe(200);
    expect(
      ((await me.response.json()) as { result: { data: { json: { email: string } } } }).result.data
        .json.email,
    ).toBe(email);
    // A new member is asked for their name first: a redirect to that step, not to sign-in.
    const page = await call("/app", { via: 1, jar });
    expect(page.servedBy).toBe(1);
    expect(page.response.status).toBe(307);
    expect(page.response.headers.get("location")).toMatch(
      /^(https?:\/\/[^/]+)?\/settings\/welcome/,
    );
    const welcome = await call("/settings/welcome", { via: 1, jar });
    expect(welcome.response.status).toBe(200);

    // The same request without the cookie is anonymous on that instance.
    expect((await call("/api/trpc/me.get", { via: 1 })).response.status).toBe(401);
    signedIn.email = email;
    signedIn.jar = jar;
  });

  it("an upload made through one web process is served by the other", async () => {
    expect(signedIn.email, "the session from the first test").not.toBe("");
    await sql.query(`UPDATE "User" SET role = 'COACH' WHERE email = $1`, [signedIn.email]);
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
      "base64",
    );
    const form = new FormData();
    form.set("file", new File([png], "cover.png", { type: "image/png" }));
    const upload = await call("/api/uploads", {
      via: 1,
      jar: signedIn.jar,
      method: "POST",
      body: form,
      headers: { origin: proxy.url },
    });
    expect(upload.servedBy).toBe(1);
    expect(upload.response.status).toBe(201);
    const { url } = (await upload.response.json()) as { url: string };
    expect(url).toMatch(/^\/api\/uploads\/[a-f0-9]{32}\.png$/);

    const served = await call(url, { via: 0 });
    expect(served.servedBy).toBe(0);
    expect(served.response.status).toBe(200);
    expect(served.response.headers.get("content-type")).toBe("image/png");
    expect(served.response.headers.get("cache-control")).toBe(
      "public, max-age=31536000, immutable",
    );
    expect(served.response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; sandbox",
    );
    expect(served.response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await served.response.arrayBuffer())).toEqual(png);

    const etag = served.response.headers.get("etag");
    expect(etag).toMatch(/^"[a-f0-9]{64}"$/);
    const revalidated = await call(url, { via: 1, headers: { "if-none-match": etag! } });
    expect(revalidated.servedBy).toBe(1);
    expect(revalidated.response.status).toBe(304);
  });

  it("sign-in rate limits are shared: requests spread across both count in one limit", async () => {
    // Five links per address per minute. Alternating between the instances, each has seen
    // three at most when the sixth is refused, so only a shared count refuses it.
    const email = `limited-${randomBytes(4).toString("hex")}@example.org`;
    const answers: { status: number; servedBy: number }[] = [];
    for (let i = 0; i < 6; i++) {
      const { response, servedBy } = await requestLink(email, (i % 2) as 0 | 1);
      answers.push({ status: response.status, servedBy });
      if (i === 5) {
        const body = (await response.json()) as { error: { json: { message: string } } };
        expect(body.error.json.message).toMatch(/^Too many sign-in links were requested/);
      }
    }
    expect(answers).toEqual([
      { status: 200, servedBy: 0 },
      { status: 200, servedBy: 1 },
      { status: 200, servedBy: 0 },
      { status: 200, servedBy: 1 },
      { status: 200, servedBy: 0 },
      { status: 429, servedBy: 1 },
    ]);
  });

  it("each job runs exactly once across the two workers", async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `probe-${i}`);
    const boss = createBoss(database.url, { worker: false });
    await boss.start();
    try {
      const queue = queueFrom(boss);
      for (const key of keys) expect(await queue.send(probeJob, { key })).toBeTruthy();
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    const runs = await waitFor(
      "every probe job to run",
      async () => {
        const { rows } = await sql.query<{ key: string; worker: number }>(
          "SELECT key, worker FROM instances_probe ORDER BY key",
        );
        return rows.length >= keys.length ? rows : undefined;
      },
      { children: workers },
    );
    const runsPerKey = new Map<string, number>();
    for (const run of runs) runsPerKey.set(run.key, (runsPerKey.get(run.key) ?? 0) + 1);
    expect(Object.fromEntries(runsPerKey)).toEqual(Object.fromEntries(keys.map((k) => [k, 1])));
    // Both workers took jobs (the probe's first runs wait for the second worker).
    expect(new Set(runs.map((run) => run.worker))).toEqual(
      new Set(workers.map((worker) => worker.pid)),
    );

    // The real jobs too: every email the web processes queued (sign-in links, the welcome
    // email) was sent, and reached the outbox once.
    const emails = await waitFor(
      "every queued email to be sent",
      async () => {
        const { rows } = await sql.query<{ total: number; sent: number; delivered: number }>(
          `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'SENT')::int AS sent,
                (SELECT count(*)::int FROM "OutboxMessage") AS delivered
         FROM "Email"`,
        );
        const row = rows[0];
        return row && row.sent === row.total ? row : undefined;
      },
      { children: children(), timeoutMs: 60_000 },
    );
    expect(emails.total).toBeGreaterThanOrEqual(6);
    expect(emails.delivered).toBe(emails.total);
  });

  it("stops on SIGTERM, each process and whatever it started, leaving no port open", async () => {
    for (const child of children()) {
      expect(await stopChild(child), `${child.name}:\n${child.output()}`).toBe(0);
    }
    for (const child of children()) expect(groupAlive(child.pid), child.name).toBe(false);
    for (const port of webPorts) expect(await portOpen(port), `port ${port}`).toBe(false);
    await proxy.close();
    expect(await portOpen(Number(new URL(proxy.url).port))).toBe(false);
  });
});
